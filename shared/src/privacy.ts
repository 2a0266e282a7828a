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

/** The treatments as a tree per stream, walked along with an event's own keys. */
interface Node { treatment?: Treatment; fields: Map<string, Node>; items?: Node }
const node = (): Node => ({ fields: new Map() });
const PLANS = new Map<string, Node>();
for (const [key, treatment] of FIELD_TREATMENTS) {
  const [kind, path] = key.split(':') as [string, string];
  let at = PLANS.get(kind) ?? PLANS.set(kind, node()).get(kind)!;
  for (const part of path.split('.')) {
    const name = part.replace(/\[\]$/, '');
    at = at.fields.get(name) ?? at.fields.set(name, node()).get(name)!;
    if (part !== name) at = at.items ??= node();
  }
  at.treatment = treatment;
}

function maskValue(v: unknown, plan: Node | undefined): unknown {
  if (typeof v === 'string') return plan?.treatment === 'code' ? v : plan?.treatment === 'phone' ? maskPhone(v) : maskText(v);
  if (Array.isArray(v)) return v.map((x) => maskValue(x, plan?.items));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = maskValue((v as Record<string, unknown>)[k], plan?.fields.get(k));
  return out;
}

/** A copy of the event safe for any screen: every string masked but the codes, phones as 139****5678. */
export const maskEvent = <E extends IngestEvent>(e: E): E => maskValue(e, PLANS.get(e.kind)) as E;
