// Masking of personal data towards screens: it never leaves the server unmasked (docs/privacy.md).
// Raw values stay in the store; everything sent to a screen goes through maskEvent, which masks every
// string of an event — nested objects and arrays included — except the fields the schemas in
// events.ts type as codes: enums, literals, ISO times and ids. An allow-list, so a new free-text
// field is masked without anyone remembering to.
import type { z } from 'zod';
import { entityId, ingestEventSchema, phone, type IngestEvent } from './events';
import { compoundId, gridId, neighbourhoodId } from './geo';
import { maskPhone, maskText } from './textMask';

export { maskPhone, maskText } from './textMask';

/** Strings that are identifiers, not text: shown as sent. */
const ID_SCHEMAS: ReadonlySet<unknown> = new Set([entityId, gridId, neighbourhoodId, compoundId]);

type Treatment = 'code' | 'phone';
interface Def { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType; format?: string; options?: z.ZodType[] }
const defOf = (s: z.ZodType) => s._zod.def as unknown as Def;

/** The string fields of a schema that are codes or phones, by path ('items[].result'); any other string is text. */
function treatments(schema: z.ZodType, path: string, out: Map<string, Treatment>): Map<string, Treatment> {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional': case 'default': case 'nullable': case 'readonly': case 'prefault':
      return treatments(def.innerType!, path, out);
    case 'object':
      for (const [k, v] of Object.entries(def.shape!)) treatments(v, path ? `${path}.${k}` : k, out);
      return out;
    case 'array':
      return treatments(def.element!, `${path}[]`, out);
    case 'enum': case 'literal':
      return out.set(path, 'code');
    case 'string':
      if (schema === phone) return out.set(path, 'phone');
      if (ID_SCHEMAS.has(schema) || def.format === 'datetime') return out.set(path, 'code');
      return out;
    default:
      return out; // numbers and booleans are not strings; any other string (a transform …) is text
  }
}

/** `kind:path` → how the string there is shown, for each stream (derived from the schemas once). */
export const FIELD_TREATMENTS: ReadonlyMap<string, Treatment> = new Map(
  (defOf(ingestEventSchema).options ?? []).flatMap((s) => {
    const kind = String((defOf(defOf(s).shape!.kind!) as Def & { values?: unknown[] }).values?.[0]);
    return [...treatments(s, '', new Map())].map(([path, t]) => [`${kind}:${path}`, t] as const);
  }),
);

function maskValue(v: unknown, kind: string, path: string): unknown {
  if (typeof v === 'string') {
    const t = FIELD_TREATMENTS.get(`${kind}:${path}`);
    return t === 'code' ? v : t === 'phone' ? maskPhone(v) : maskText(v);
  }
  if (Array.isArray(v)) return v.map((x) => maskValue(x, kind, `${path}[]`));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskValue(x, kind, path ? `${path}.${k}` : k)]));
  return v;
}

/** A copy of the event safe for any screen: every string masked but the codes, phones as 139****5678. */
export const maskEvent = <E extends IngestEvent>(e: E): E => maskValue(e, e.kind, '') as E;
