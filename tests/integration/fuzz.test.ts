// Thousands of seeded mutations of valid items (tests/support/mutations.ts) posted in batches mixed
// with valid items to a real server: no answer is a 5xx, every rejection names a field (or "(root)"
// for an item that is no object), every valid item is stored, and the store's log, read back in full,
// holds exactly the valid items and nothing of a bad one (docs/input.md).
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvent, type IngestEvent } from '#shared/events';
import { toShanghaiIso } from '#shared/time';
import { createRng } from '../../server/src/sim/random';
import { makeCase, makeInspection, makeTicket } from '../support/events';
import { addExtraKey, mutate, toJson } from '../support/mutations';
import { startServer, type TestServer } from '../support/server';

const SEED = 20261125;
const BATCHES = 48;
const PER_BATCH = 100;
const BAD_SHARE = 0.8;
/** Batches are cut to stay under the 1 MB body limit (long strings and deep nesting weigh). */
const MAX_BODY = 900 * 1024;

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.stop());

interface Sent {
  json: string;
  /** the event the store must hold for it, or undefined when it must be rejected */
  expected?: IngestEvent;
  paths: Set<string>;
  what: string[];
}

const eventKey = (e: { kind: string; id: string; version: number }) => `${e.kind}/${e.id}/${e.version}`;

/** A valid item of any stream, its times in the last three weeks, with free text that may hold line breaks and emoji. */
function validItem(rng: ReturnType<typeof createRng>, id: string, now: number): Record<string, unknown> {
  const t = Math.floor((now - 3600_000 - rng.int(21 * 86400_000)) / 1000) * 1000;
  const text = rng.pick(['3号楼楼道堆放杂物', '楼道堆放杂物\n影响通行', '夜间施工噪音\t扰民 😀', '市民反映：飞线充电']);
  const make = rng.pick([
    () => makeCase({ id, description: text }, t),
    () => makeTicket({ id, summary: text, status: 'closed', closedAt: toShanghaiIso(t + 3600_000), occurredAt: toShanghaiIso(t + 3600_000) }, t),
    () => makeInspection({ id, note: text }, t),
  ]);
  return JSON.parse(JSON.stringify(make())) as Record<string, unknown>;
}

describe('fuzzed ingest', () => {
  it(`${BATCHES} batches of ${PER_BATCH}: no 5xx, every rejection names a field, exactly the valid items stored`, async () => {
    const rng = createRng(SEED);
    const now = Date.now();
    const sent: Sent[] = [];
    for (let n = 0; n < BATCHES * PER_BATCH; n++) {
      if (rng.chance(BAD_SHARE)) {
        const m = mutate(rng, validItem(rng, `FZ-BAD-${n}`, now));
        sent.push({ json: toJson(m.item), paths: m.paths, what: m.what });
      } else {
        const item = validItem(rng, `FZ-OK-${n}`, now);
        const parsed = parseEvent(item);
        if (!parsed.ok) throw new Error(`the generator made an invalid item: ${JSON.stringify(parsed.errors)}`);
        // Now and then with a harmless unknown key: dropped by the schema, nothing of it stored.
        const what = rng.chance(0.25) ? [addExtraKey(rng, item)] : [];
        sent.push({ json: toJson(item), expected: parsed.event, paths: new Set(), what });
      }
    }

    // Post in batches of up to PER_BATCH items and MAX_BODY bytes; one batch in four as NDJSON.
    const statuses = new Map<number, number>();
    const results: Array<{ status: string; seq?: number; errors?: Array<{ path: string; message: string }> }> = [];
    let requests = 0;
    for (let i = 0; i < sent.length; ) {
      let j = i;
      let bytes = 2;
      while (j < sent.length && j - i < PER_BATCH && bytes + sent[j]!.json.length + 1 < MAX_BODY) bytes += sent[j++]!.json.length + 1;
      const part = sent.slice(i, j);
      const ndjson = requests % 4 === 3;
      const res = await fetch(`${s.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json', authorization: 'Bearer demo-ingest-key' },
        body: ndjson ? part.map((p) => p.json).join('\n') : `[${part.map((p) => p.json).join(',')}]`,
      });
      requests++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const body = (await res.json()) as { results: typeof results };
      expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(200);
      expect(body.results).toHaveLength(part.length);
      results.push(...body.results);
      i = j;
    }
    expect([...statuses]).toEqual([[200, requests]]);

    // Every answer as expected: valid items stored, bad ones rejected naming one of the fields they broke.
    const stored = new Map<number, IngestEvent>();
    let rejected = 0;
    sent.forEach((item, k) => {
      const r = results[k]!;
      const context = `item ${k} (${item.what.join('; ')}): ${JSON.stringify(r).slice(0, 400)}`;
      if (item.expected) {
        expect(r.status, context).toBe('stored');
        stored.set(r.seq!, item.expected);
        return;
      }
      rejected++;
      expect(r.status, context).toBe('rejected');
      expect(r.errors!.length, context).toBeGreaterThan(0);
      for (const e of r.errors!) expect(e.path, context).toMatch(/^(\(root\)|[A-Za-z_][\w]*(\.(\d+|[A-Za-z_]\w*))*)$/);
      // A field replaced by an object may be named by the fields it lacks (target → target.type).
      const names = (path: string) => [...item.paths].some((p) => path === p || path.startsWith(`${p}.`));
      expect(r.errors!.some((e) => names(e.path)), context).toBe(true);
    });

    // Brute force over the store's log: exactly the valid items, each as sent, nothing else.
    const log = await s.store.log.readAfter(0, 100_000);
    expect(log.map((e) => e.seq).sort((a, b) => a - b)).toEqual([...stored.keys()].sort((a, b) => a - b));
    for (const e of log) {
      expect(e.source).toBe('demo');
      expect(isDeepStrictEqual(e.event, stored.get(e.seq)), `seq ${e.seq}: ${JSON.stringify(e.event)}`).toBe(true);
    }
    expect(log.filter((e) => e.event.id.startsWith('FZ-BAD-'))).toEqual([]);
    expect(new Set(log.map((e) => eventKey(e.event))).size).toBe(log.length);

    const figures = { items: sent.length, rejected, stored: log.length, requests, ndjsonRequests: Math.floor(requests / 4), withExtraKey: sent.filter((i) => i.expected && i.what.length).length };
    console.log(`fuzz (seed ${SEED}): ${JSON.stringify(figures)}`);
    expect(rejected).toBeGreaterThanOrEqual(3_000);
    expect(rejected + log.length).toBe(sent.length);
  }, 60_000);
});
