// Personal numbers in every free-text field of every stream, in every form of tests/support/personalNumbers.ts,
// read back through everything a screen can read: live events, snapshot, resume, entity detail, search,
// feed, overdue list and replay. Each (form, field, channel) is one combination; a leak is the number's
// middle digits in the field's value, in any script or with any separators. docs/privacy.md
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestEventInput } from '#shared/events';
import type { StreamEvent } from '#shared/protocol';
import { manualClock } from '../../server/src/clock';
import { consume } from '../support/consumer';
import { BASE_MS, makeCase, makeInspection, makeTicket } from '../support/events';
import { leaks, NUMBER_FORMS, type NumberForm } from '../support/personalNumbers';
import { startServer, waitFor, type TestServer } from '../support/server';

type Kind = 'case' | 'ticket' | 'inspection';
interface Field { kind: Kind; path: string; max: number }
const FIELDS: Field[] = [
  { kind: 'case', path: 'address', max: 120 }, { kind: 'case', path: 'description', max: 500 }, { kind: 'case', path: 'department', max: 40 },
  { kind: 'ticket', path: 'address', max: 120 }, { kind: 'ticket', path: 'summary', max: 500 }, { kind: 'ticket', path: 'reply', max: 500 },
  { kind: 'inspection', path: 'address', max: 120 }, { kind: 'inspection', path: 'target.name', max: 60 },
  { kind: 'inspection', path: 'items.0.name', max: 30 }, { kind: 'inspection', path: 'inspector', max: 20 }, { kind: 'inspection', path: 'note', max: 300 },
];

const at = (ms: number) => new Date(ms).toISOString();
const DUE_PASSED = at(BASE_MS + 3600_000);
const NOW = BASE_MS + 12 * 3600_000;
const DATE = '2026-11-21'; // the Shanghai date of BASE_MS

interface Planted { id: string; kind: Kind; path: string; form: NumberForm; value: string }

/** The form inside a little text when the field has room for it (a field's limit may leave only the number). */
const inText = (form: NumberForm, max: number) => [`联系电话${form.text}请回电`, `电话${form.text}`, form.text].find((v) => [...v].length <= max);

function eventWith(f: Field, id: string, value: string, i: number): IngestEventInput {
  const t = BASE_MS + i * 1000;
  // address carriers are overdue (the overdue list shows addresses); the others are not
  const due = f.path === 'address';
  const base =
    f.kind === 'case' ? makeCase({ id, ...(due ? { deadline: DUE_PASSED } : {}) }, t)
    : f.kind === 'ticket' ? makeTicket({ id, ...(due ? { dueAt: DUE_PASSED, firstContactDueAt: DUE_PASSED } : {}) }, t)
    : makeInspection({ id, ...(due ? { status: 'rectifying', rectifyDeadline: DUE_PASSED } : {}) }, t);
  const e = structuredClone(base) as Record<string, unknown>;
  const keys = f.path.split('.');
  let o = e as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[keys.at(-1)!] = value;
  return e as IngestEventInput;
}

const valueAt = (event: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o === null || typeof o !== 'object' ? undefined : (o as Record<string, unknown>)[k]), event);

let s: TestServer;
const planted: Planted[] = [];
let tooLong = 0;
/** what each channel returned, by entity id: the field values seen */
const seen = new Map<string, Map<string, unknown[]>>();
const record = (channel: string, id: string, value: unknown) => {
  const byId = seen.get(channel) ?? new Map<string, unknown[]>();
  seen.set(channel, byId);
  byId.set(id, [...(byId.get(id) ?? []), value]);
};
const recordEvents = (channel: string, events: StreamEvent[]) => {
  for (const e of events) {
    const p = byId.get(e.event.id);
    if (p) record(channel, p.id, valueAt(e.event, p.path));
  }
};
const byId = new Map<string, Planted>();

const get = async (path: string) => {
  const res = await fetch(`${s.url}${path}`, { headers: { authorization: 'Bearer demo-viewer' } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
};

beforeAll(async () => {
  s = await startServer({}, manualClock(NOW));
  for (const f of FIELDS)
    NUMBER_FORMS.forEach((form, n) => {
      const value = inText(form, f.max);
      if (value === undefined) return void tooLong++;
      const p = { id: `PV-${f.kind}-${f.path}-${n}`, kind: f.kind, path: f.path, form, value };
      planted.push(p);
      byId.set(p.id, p);
    });

  const live = consume(s.url);
  live.connect();
  await waitFor(() => live.syncs.length > 0, 10_000, 'the live screen synced');
  // Batches of 20: a snapshot's latest events and the feed's first page then hold the whole batch.
  for (let from = 0; from < planted.length; from += 20) {
    const batch = planted.slice(from, from + 20);
    const before = (await get('/healthz')).seq as number;
    const res = await s.post(batch.map((p, i) => eventWith(FIELDS.find((f) => f.kind === p.kind && f.path === p.path)!, p.id, p.value, from + i)));
    expect(res.body.results.filter((r: { status: string }) => r.status !== 'stored')).toEqual([]);

    const snap = consume(s.url);
    snap.connect();
    const resumed = consume(s.url, 'demo-viewer', before);
    resumed.connect();
    await waitFor(() => snap.syncs.length > 0 && resumed.seq.applied >= before + batch.length, 10_000, 'snapshot and resume');
    const sync = snap.syncs[0]!;
    if (sync.mode !== 'snapshot') throw new Error('expected a snapshot');
    recordEvents('snapshot', sync.recent);
    expect(resumed.syncs[0]?.mode).toBe('resume');
    recordEvents('resume', resumed.applied);
    snap.close();
    resumed.close();
    recordEvents('feed', (await get('/api/v1/feed?limit=50')).events);
  }
  await waitFor(() => live.seq.applied >= planted.length, 10_000, 'live events');
  recordEvents('live', live.applied);
  live.close();

  for (const p of planted) {
    const detail = await get(`/api/v1/entities/${p.kind}/${p.id}`);
    record('entity', p.id, valueAt(detail.entity, p.path));
    for (const t of detail.timeline) record('entity timeline', p.id, valueAt(t.event, p.path));
  }
  recordEvents('replay', (await get(`/api/v1/replay?date=${DATE}&limit=5000`)).events);
  for (const kind of ['case', 'ticket', 'inspection']) {
    for (const r of (await get(`/api/v1/search?q=PV-${kind}-address-&limit=50`)).results) record('search', r.id, r.address);
  }
  for (const r of (await get('/api/v1/overdue?limit=100')).results) if (byId.has(r.id)) record('overdue', r.id, r.address);
});
afterAll(() => s?.stop());

describe('personal numbers reach no screen', () => {
  it('every form in every free-text field is masked on every channel', () => {
    const channels = ['live', 'snapshot', 'resume', 'entity', 'entity timeline', 'feed', 'replay', 'search', 'overdue'];
    const leaked: string[] = [];
    const leakedCombos = new Set<string>();
    let checked = 0;
    for (const channel of channels) {
      const got = seen.get(channel) ?? new Map<string, unknown[]>();
      const expected = planted.filter((p) => !['search', 'overdue'].includes(channel) || p.path === 'address');
      for (const p of expected) {
        const values = got.get(p.id);
        expect(values, `${channel} has ${p.id}`).toBeDefined();
        for (const v of values!) {
          expect(typeof v, `${channel} ${p.id} ${p.path}`).toBe('string');
          checked++;
          if (!leaks(v as string, p.form)) continue;
          leaked.push(`${channel}: ${p.kind}.${p.path} ${p.form.name}: ${String(v)}`);
          leakedCombos.add(p.id);
        }
      }
    }
    console.info(`privacy: ${planted.length} form × field combinations (${tooLong} too long for their field), ${checked} values checked over ${channels.length} channels: ${leaked.length} leaked, in ${leakedCombos.size} combinations`);
    expect(planted.length).toBe(FIELDS.length * NUMBER_FORMS.length - tooLong);
    expect(leaked).toEqual([]);
  });
});
