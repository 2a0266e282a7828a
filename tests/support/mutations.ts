// Seeded mutations of valid ingest items for the fuzz test (tests/integration/fuzz.test.ts). Each
// mutation is invalid for every field it can hit, and says which paths a rejection may name; the one
// harmless mutation (an unknown key, dropped by the schema) says what must be stored instead.
import type { Rng } from '../../server/src/sim/random';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

/** JSON text spliced in as it is: nesting too deep for JSON.stringify. */
export class RawJson {
  constructor(readonly text: string) {}
}

export interface Mutated {
  item: unknown;
  /** what was done, for a failure message */
  what: string[];
  /** a rejection must name one of these paths ("(root)" for an item that is no object) */
  paths: Set<string>;
}

const TIME_FIELDS = [
  'occurredAt', 'reportedAt', 'deadline', 'handledAt', 'closedAt', 'receivedAt', 'dueAt', 'firstContactDueAt',
  'firstContactAt', 'repliedAt', 'inspectedAt', 'rectifyDeadline', 'rectifiedAt',
];
const TIMES_OF: Record<string, string[]> = {
  case: ['occurredAt', 'reportedAt', 'deadline', 'handledAt', 'closedAt'],
  ticket: ['occurredAt', 'receivedAt', 'dueAt', 'firstContactDueAt', 'firstContactAt', 'repliedAt', 'closedAt'],
  inspection: ['occurredAt', 'inspectedAt', 'rectifyDeadline', 'rectifiedAt'],
};
const REQUIRED: Record<string, string[]> = {
  case: ['status', 'source', 'category', 'subcategory', 'description', 'reportedAt', 'deadline'],
  ticket: ['status', 'ticketType', 'topic', 'summary', 'callerPhone', 'receivedAt', 'dueAt', 'firstContactDueAt'],
  inspection: ['status', 'campaign', 'target', 'target.type', 'target.name', 'items', 'items.0.name', 'items.0.result', 'outcome', 'inspectedAt', 'rectifyDeadline'],
};
const COMMON_REQUIRED = ['kind', 'id', 'version', 'occurredAt', 'address', 'location', 'location.lng', 'location.lat', 'location.gridId', 'location.neighbourhoodId'];

const ABSURD_TIMES = [
  '2099-01-01T00:00:00+08:00', '9999-12-31T23:59:59+08:00', '0000-01-01T00:00:00+08:00', '1970-01-01T00:00:00Z',
  '2026-13-01T00:00:00+08:00', '2026-11-21', '2026-11-21T09:00:00', 'yesterday', '',
];
/** Never accepted in any string field: C0/C1 controls, DEL, bidi overrides and isolates, lone surrogates. */
const BAD_CHARS = [
  '\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f', '\u0080', '\u0085', '\u009f',
  '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\ud800', '\udbff', '\udc00', '\udfff',
];
/** Refused in the fields that hold one line (all but descriptions, summaries, replies and notes). */
const LINE_CHARS = ['\n', '\r', '\t'];
const MULTILINE = new Set(['description', 'summary', 'reply', 'note']);
const BAD_NUMBERS = [-1, -1e9, 1e9, 1e308, -1e308, 2 ** 53 + 2, 0.5];
const DANGEROUS = ['__proto__', 'constructor', 'prototype'];

const clone = <T>(v: T): T => structuredClone(v);
const key = (p: Path) => p.join('.');

type Container = Record<string | number, unknown>;
const isContainer = (v: unknown): v is Container => v !== null && typeof v === 'object' && !(v instanceof RawJson);

/** Every leaf, object and array below a value, with its path (RawJson counts as a leaf). */
function nodes(v: unknown, path: Path = [], out: Array<[Path, unknown]> = []): Array<[Path, unknown]> {
  if (path.length) out.push([path, v]);
  if (isContainer(v)) for (const [k, x] of Object.entries(v)) nodes(x, [...path, Array.isArray(v) ? Number(k) : k], out);
  return out;
}
/** The container holding `path`'s last key, if an earlier mutation left one there. */
function parentOf(root: Container, path: Path): [Container, string | number] | undefined {
  let at: unknown = root;
  for (const k of path.slice(0, -1)) at = isContainer(at) ? at[k] : undefined;
  return isContainer(at) ? [at, path[path.length - 1]!] : undefined;
}
function set(root: Container, path: Path, value: unknown) {
  const [parent, k] = parentOf(root, path)!;
  parent[k] = value;
}

/** Nested arrays or objects `depth` levels deep, as JSON text. */
export function deepJson(rng: Rng, depth: number): RawJson {
  return rng.chance(0.5) ? new RawJson(`${'['.repeat(depth)}1${']'.repeat(depth)}`) : new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

function otherType(rng: Rng, v: unknown): unknown {
  const all: unknown[] = [0, 1e3, true, false, null, 'x', {}, [], ['x'], { a: 1 }];
  const kind = (x: unknown) => (Array.isArray(x) ? 'array' : x === null ? 'null' : typeof x);
  return rng.pick(all.filter((x) => kind(x) !== kind(v)));
}

function insertAt(rng: Rng, s: string, c: string): string {
  // Inside the text, never at its ends: the schema trims whitespace off the ends (\t, \v, \f …).
  const i = 1 + rng.int(Math.max(1, s.length - 1));
  return s.slice(0, i) + c + s.slice(i);
}

/** Mutates `item` (of stream `kind`); undefined when nothing fits what earlier mutations left. */
type Mutation = (rng: Rng, item: Container, kind: string) => { what: string; paths: string[] } | undefined;

const leaves = (item: Container, test: (v: unknown) => boolean) => nodes(item).filter(([, v]) => test(v));
const pickOf = <T>(rng: Rng, items: readonly T[]): T | undefined => (items.length ? rng.pick(items) : undefined);

const MUTATIONS: Record<string, Mutation> = {
  wrongType(rng, item) {
    const [p, v] = pickOf(rng, nodes(item)) ?? [];
    if (!p) return undefined;
    set(item, p, otherType(rng, v));
    return { what: `wrong type at ${key(p)}`, paths: [key(p)] };
  },
  badNumber(rng, item) {
    const [p] = pickOf(rng, leaves(item, (v) => typeof v === 'number')) ?? [];
    if (!p) return undefined;
    const n = rng.pick(BAD_NUMBERS);
    set(item, p, n);
    return { what: `${n} at ${key(p)}`, paths: [key(p)] };
  },
  absurdTime(rng, item, kind) {
    const f = rng.pick(TIMES_OF[kind]!);
    const t = rng.pick(ABSURD_TIMES);
    item[f] = t;
    // A time out of order may be reported on the other time it disagrees with.
    return { what: `${f} = ${JSON.stringify(t)}`, paths: TIME_FIELDS };
  },
  badChar(rng, item) {
    const [p, v] = pickOf(rng, leaves(item, (v) => typeof v === 'string' && v.length >= 2)) ?? [];
    if (!p) return undefined;
    const chars = MULTILINE.has(key(p)) ? BAD_CHARS : [...BAD_CHARS, ...LINE_CHARS];
    const c = rng.pick(chars);
    set(item, p, insertAt(rng, v as string, c));
    return { what: `U+${c.charCodeAt(0).toString(16).padStart(4, '0')} in ${key(p)}`, paths: [key(p)] };
  },
  longString(rng, item) {
    const [p] = pickOf(rng, leaves(item, (v) => typeof v === 'string')) ?? [];
    if (!p) return undefined;
    const n = 600 + rng.int(2_400);
    set(item, p, '长'.repeat(n));
    return { what: `${n} characters in ${key(p)}`, paths: [key(p)] };
  },
  deepNesting(rng, item) {
    const [p] = pickOf(rng, nodes(item)) ?? [];
    if (!p) return undefined;
    const depth = 500 + rng.int(4_500);
    set(item, p, deepJson(rng, depth));
    return { what: `${depth} levels of nesting at ${key(p)}`, paths: [key(p)] };
  },
  dangerousKey(rng, item) {
    const holders: Array<[Path, Container]> = [[[], item], ...(nodes(item).filter(([, v]) => isContainer(v) && !Array.isArray(v)) as Array<[Path, Container]>)];
    const [p, holder] = rng.pick(holders);
    const k = rng.pick(DANGEROUS);
    // An own key, as JSON.parse makes it (a plain assignment of __proto__ would set the prototype instead).
    Object.defineProperty(holder, k, { value: rng.pick([{ polluted: true }, {}, 1, 'x', null, []]), enumerable: true, configurable: true, writable: true });
    return { what: `key ${k} at ${key([...p, k])}`, paths: [key([...p, k])] };
  },
  missing(rng, item, kind) {
    const f = rng.pick([...COMMON_REQUIRED, ...REQUIRED[kind]!]);
    const p = f.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const at = parentOf(item, p);
    if (!at || !(at[1] in at[0])) return undefined;
    delete at[0][at[1]];
    return { what: `no ${f}`, paths: [f] };
  },
};

const NOT_OBJECTS = [42, -1, 1e308, 'case', '', null, true, false, [], [{ kind: 'case' }]];

/**
 * A valid item made invalid by one to three mutations, or (now and then) an item that is no object.
 * `extraKey` adds a harmless unknown key on top, sometimes.
 */
export function mutate(rng: Rng, valid: Container): Mutated {
  if (rng.chance(0.04)) {
    const item = clone(rng.pick(NOT_OBJECTS));
    return { item, what: [`not an object: ${JSON.stringify(item)}`], paths: new Set(['(root)']) };
  }
  const item = clone(valid);
  const what: string[] = [];
  const paths = new Set<string>();
  const names = Object.keys(MUTATIONS);
  for (let n = 1 + rng.int(3); n > 0 || !what.length; n--) {
    const m = MUTATIONS[rng.pick(names)]!(rng, item, valid.kind as string);
    if (!m) continue;
    what.push(m.what);
    m.paths.forEach((p) => paths.add(p));
  }
  if (rng.chance(0.2)) what.push(addExtraKey(rng, item));
  return { item, what, paths };
}

/** An unknown key with any value (deep, long, control characters): the schema drops it, storing nothing of it. */
export function addExtraKey(rng: Rng, item: Container): string {
  const k = `extra_${rng.int(1000)}`;
  item[k] = rng.pick<() => unknown>([
    () => 'x\u0000\u202e\ud800',
    () => 'y'.repeat(2_000),
    () => deepJson(rng, 1_000),
    () => ({ nested: { deeper: [1, 2, 3] } }),
    () => -1e308,
  ])();
  return `extra key ${k}`;
}

/** JSON text of a value, splicing in RawJson (JSON.stringify runs out of stack at a few thousand levels). */
export function toJson(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (!(v instanceof RawJson)) return v;
    raws.push(v.text);
    return `@@raw${raws.length - 1}@@`;
  });
  return text.replace(/"@@raw(\d+)@@"/g, (_m, i: string) => raws[Number(i)]!);
}
