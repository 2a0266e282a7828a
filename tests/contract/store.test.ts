// One contract suite, run on both backends (server/src/store/types.ts): SQLite on a temp file and
// PostgreSQL on a throwaway database (tests/support/pg.ts). Values are checked against brute force
// (tests/contract/brute.ts) over a seeded random town log; PostgreSQL also runs as two nodes on one
// database, through an outage, and with a closed port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IngestEvent } from '#shared/events';
import { NO_FILTERS, matches } from '#shared/filters';
import { NEW_METRICS, expandDelta } from '#shared/model/contributions';
import { counterKey, splitKey } from '#shared/model/keys';
import { summarize } from '#shared/summary';
import { HOUR_MS, hourOf, shanghaiDayStart, toShanghaiIso } from '#shared/time';
import { manualClock, type Clock } from '../../server/src/clock';
import { loadTown } from '../../server/src/geo/town';
import { StoreUnavailableError } from '../../server/src/store/errors';
import { createPostgresStore } from '../../server/src/store/postgres';
import { createSqliteStore } from '../../server/src/store/sqlite';
import type { AppendResult, Store, StoredEvent } from '../../server/src/store/types';
import { BASE_MS, makeCase, makeInspection, makeTicket, next } from '../support/events';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { add, bruteGauges, listed, newestFirst, statesBefore, sumDeltas, sumStates, type Sums } from './brute';
import { DAY0, arrivalOrder, calls, toEvent, townVersions } from './generate';
import { pgProxy } from './proxy';

const town = loadTown();
const NOW = BASE_MS + 3 * HOUR_MS; // 12:00 on the day of the generated log
const [FROM_HOUR, TO_HOUR] = [hourOf(DAY0), hourOf(DAY0) + 24];

interface Harness {
  /** A store on this test's database; called again, another node on the same database (PostgreSQL). */
  open(opts?: { clock?: Clock; pollMs?: number; url?: string }): Promise<Store>;
  /** A store on a database of its own (for a group of tests sharing one log); dispose drops it. */
  isolated(): Promise<{ store: Store; dispose(): Promise<void> }>;
  /** An empty database for the next test. */
  fresh(): Promise<void>;
  destroy(): Promise<void>;
  db?: TestDatabase;
}

const backends: Array<{ name: 'sqlite' | 'postgres'; init(): Promise<Harness> }> = [
  {
    name: 'sqlite',
    async init() {
      const dir = mkdtempSync(join(tmpdir(), 'onescreen-contract-'));
      let n = 0;
      let file = join(dir, 'store-0.sqlite');
      return {
        open: (o) => createSqliteStore({ file, geo: town, clock: o?.clock ?? manualClock(NOW) }),
        async isolated() {
          const store = await createSqliteStore({ file: join(dir, 'isolated.sqlite'), geo: town, clock: manualClock(NOW) });
          return { store, dispose: () => store.close() };
        },
        fresh: async () => void (file = join(dir, `store-${++n}.sqlite`)),
        destroy: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres',
    async init() {
      const db = await createTestDatabase();
      return {
        db,
        open: (o) => createPostgresStore({ url: o?.url ?? db.url, geo: town, clock: o?.clock ?? manualClock(NOW), pollMs: o?.pollMs ?? 100 }),
        async isolated() {
          const own = await createTestDatabase();
          const store = await createPostgresStore({ url: own.url, geo: town, clock: manualClock(NOW) });
          return { store, dispose: async () => (await store.close(), await own.drop()) };
        },
        fresh: () => db.reset(),
        destroy: () => db.drop(),
      };
    },
  },
];

const item = (event: IngestEvent, source = 'test') => ({ event, source });
const ev = (input: Parameters<typeof toEvent>[0]) => toEvent(input);

async function waitFor(cond: () => boolean, ms = 5_000, what = 'condition') {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Appends in concurrent calls of up to maxCall items; the results in the events' order. */
async function appendAll(s: Store, events: readonly IngestEvent[], maxCall = 40, seed = 7): Promise<AppendResult[]> {
  const parts = calls(events, maxCall, seed);
  return (await Promise.all(parts.map((p) => s.log.append(p.map((e) => item(e)))))).flat();
}

/**
 * Appends through `submitters` concurrent senders (spread over the stores, the nodes), each sending
 * its calls one after the other: commits interleave, within a node and across nodes.
 */
async function submitAll(stores: readonly Store[], submitters: number, parts: ReadonlyArray<readonly IngestEvent[]>) {
  const results: AppendResult[][] = new Array(parts.length);
  await Promise.all(Array.from({ length: submitters }, async (_, k) => {
    const store = stores[k % stores.length]!;
    for (let i = k; i < parts.length; i += submitters) results[i] = await store.log.append(parts[i]!.map((e) => item(e, `src-${parts[i]!.length}`)));
  }));
  return results;
}

async function readAll(s: Store): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (;;) {
    const page = await s.log.readAfter(out.at(-1)?.seq ?? 0, 1000);
    if (page.length === 0) return out;
    out.push(...page);
  }
}

const seqsOf = (results: readonly AppendResult[]) => results.flatMap((r) => (r.status === 'stored' ? [r.seq] : []));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const keyOf = (e: { kind: string; id: string }) => `${e.kind}:${e.id}`;
const rowsAsSums = (rows: Iterable<readonly [number, string, number]>): Sums => {
  const sums: Sums = new Map();
  for (const [hour, key, n] of rows) add(sums, hour, key, n);
  return sums;
};

describe.each(backends)('store contract: $name', ({ name, init }) => {
  let h: Harness;
  const opened: Store[] = [];
  const open = async (o?: Parameters<Harness['open']>[0]) => {
    const s = await h.open(o);
    opened.push(s);
    return s;
  };

  beforeAll(async () => {
    h = await init();
  });
  afterEach(async () => {
    while (opened.length) await opened.pop()!.close();
    await h.fresh();
  });
  afterAll(async () => {
    await h?.destroy();
  });

  describe('the log', () => {
    it('is empty at first', async () => {
      const s = await open();
      expect(s.kind).toBe(name);
      expect(await s.log.bounds()).toEqual({ oldest: 0, latest: 0 });
      expect(await s.log.readAfter(0, 10)).toEqual([]);
      expect(s.feed.position()).toBe(0);
      expect(await s.ping()).toBe(true);
    });

    it('hands out gapless seqs 1..n across many concurrent appends, each call in order, and stores what was sent', async () => {
      const s = await open();
      const events = Array.from({ length: 1200 }, (_, i) => ev(makeCase({ id: `G-${i}` }, BASE_MS + i * 1000)));
      const parts = calls(events, 30, 3);
      const results = await submitAll([s], 8, parts);
      for (const r of results) {
        const seqs = seqsOf(r);
        expect(seqs).toHaveLength(r.length);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b)); // one call's items commit together, in order
      }
      expect(results.flatMap(seqsOf).sort((a, b) => a - b)).toEqual(range(1, 1200));
      expect(await s.log.bounds()).toEqual({ oldest: 1, latest: 1200 });
      const stored = await readAll(s);
      expect(stored.map((x) => x.seq)).toEqual(range(1, 1200));
      const sent = new Map(parts.flatMap((p, i) => results[i]!.map((r, j) => [(r as { seq: number }).seq, { e: p[j]!, src: `src-${p.length}` }] as const)));
      for (const x of stored) {
        expect(x.event).toEqual(sent.get(x.seq)!.e);
        expect(x.source).toBe(sent.get(x.seq)!.src);
        expect(x.storedAt).toBe(NOW);
      }
    });

    it('answers duplicate for a version stored before or earlier in the same call, and spends no seq on it', async () => {
      const s = await open();
      const a = ev(makeCase({ id: 'D-1' }));
      const a2 = ev(next(makeCase({ id: 'D-1' }), 2, BASE_MS + 60_000, { status: 'accepted' }));
      expect(await s.log.append([item(a), item(a), item(a2)])).toEqual([{ status: 'stored', seq: 1 }, { status: 'duplicate' }, { status: 'stored', seq: 2 }]);
      expect(await s.log.append([item(a2), item(a)])).toEqual([{ status: 'duplicate' }, { status: 'duplicate' }]);
      const [r1, r2] = await Promise.all([s.log.append([item(a)]), s.log.append([item(ev(makeTicket({ id: 'D-2' })))])]);
      expect(r1).toEqual([{ status: 'duplicate' }]);
      expect(r2).toEqual([{ status: 'stored', seq: 3 }]);
      expect(await s.log.bounds()).toEqual({ oldest: 1, latest: 3 });
    });

    it('keeps a late older version in the history without moving the entity or the counters', async () => {
      const s = await open();
      const v1 = makeCase({ id: 'L-1' });
      const v3 = next(v1, 3, BASE_MS + 2 * HOUR_MS, { status: 'closed', closedAt: toShanghaiIso(BASE_MS + 2 * HOUR_MS) });
      const v2 = next(v1, 2, BASE_MS + HOUR_MS, { status: 'dispatched' });
      await s.log.append([item(ev(v1))]);
      await s.log.append([item(ev(v3))]);
      const before = await s.read.counterRows(FROM_HOUR, TO_HOUR);
      expect(await s.log.append([item(ev(v2))])).toEqual([{ status: 'stored', seq: 3 }]);
      expect((await s.read.entity('case', 'L-1'))?.version).toBe(3);
      const history = await s.read.history('case', 'L-1');
      expect(history.map((x) => [x.event.version, x.seq])).toEqual([[1, 1], [2, 3], [3, 2]]);
      expect(history[1]!.delta).toEqual([]);
      const after = await s.read.counterRows(FROM_HOUR, TO_HOUR);
      expect(after.seq).toBe(3);
      expect(listed(rowsAsSums(after.rows))).toEqual(listed(rowsAsSums(before.rows)));
    });

    it('reads after a seq, with a limit and an upper bound', async () => {
      const s = await open();
      await s.log.append(range(1, 10).map((i) => item(ev(makeTicket({ id: `R-${i}` })))));
      const seqs = async (...a: Parameters<Store['log']['readAfter']>) => (await s.log.readAfter(...a)).map((x) => x.seq);
      expect(await seqs(2, 3)).toEqual([3, 4, 5]);
      expect(await seqs(2, 100, 6)).toEqual([3, 4, 5, 6]);
      expect(await seqs(0, 100)).toEqual(range(1, 10));
      expect(await seqs(8, 100, 8)).toEqual([]);
      expect(await seqs(10, 5)).toEqual([]);
      expect(await seqs(0, 0)).toEqual([]);
      expect((await s.log.readAfter(4, 1))[0]!.event.id).toBe('R-5');
    });
  });

  describe('the commit feed', () => {
    it('delivers every batch in seq order, without holes or repeats, even when a listener throws', async () => {
      const s = await open();
      const batches: number[][] = [];
      s.feed.subscribe(() => {
        throw new Error('a broken listener');
      });
      const unsubscribe = s.feed.subscribe((events) => batches.push(events.map((e) => e.seq)));
      const events = Array.from({ length: 600 }, (_, i) => ev(makeInspection({ id: `F-${i}` })));
      await submitAll([s], 6, calls(events, 25, 11));
      expect(batches.length).toBeGreaterThan(5);
      await waitFor(() => s.feed.position() === 600, 5_000, 'the feed');
      for (const b of batches) expect(b).toEqual(range(b[0]!, b.at(-1)!));
      expect(batches.flat()).toEqual(range(1, 600));
      unsubscribe();
      await s.log.append([item(ev(makeInspection({ id: 'F-late' })))]);
      await waitFor(() => s.feed.position() === 601);
      expect(batches.flat()).toHaveLength(600);
    });

    it('starts at the latest committed seq', async () => {
      const first = await open();
      await first.log.append([item(ev(makeCase({ id: 'P-1' }))), item(ev(makeCase({ id: 'P-2' })))]);
      await opened.pop()!.close();
      const s = await open();
      expect(s.feed.position()).toBe(2);
      const got: number[] = [];
      s.feed.subscribe((events) => got.push(...events.map((e) => e.seq)));
      await s.log.append([item(ev(makeCase({ id: 'P-3' })))]);
      await waitFor(() => got.length === 1);
      expect(got).toEqual([3]);
    });
  });

  describe('the read model, against brute force over a random town log', () => {
    let s: Store;
    let dispose: () => Promise<void>;
    let versions: IngestEvent[];
    let stored: StoredEvent[];

    // One log for these tests, on a database of its own (appended once, read many times).
    beforeAll(async () => {
      ({ store: s, dispose } = await h.isolated());
      versions = townVersions(town, 240, 5);
      const results = await appendAll(s, arrivalOrder(versions, 6), 40, 8);
      const unique = new Set(versions.map((v) => `${keyOf(v)}:${v.version}`)).size;
      expect(seqsOf(results).sort((a, b) => a - b)).toEqual(range(1, unique));
      stored = await readAll(s);
    });
    afterAll(async () => {
      await dispose?.();
    });

    it('counterRows equal the stored deltas summed, and the current states summed, as of the latest seq', async () => {
      const { seq, rows } = await s.read.counterRows(FROM_HOUR, TO_HOUR);
      expect(seq).toBe(stored.length);
      const got = listed(rowsAsSums(rows));
      expect(got).toEqual(listed(sumDeltas(stored, town, FROM_HOUR, TO_HOUR)));
      expect(got).toEqual(listed(sumStates(statesBefore(versions), town, FROM_HOUR, TO_HOUR)));
      expect(got.length).toBeGreaterThan(100);
      for (const [hour] of rows) expect(hour === 0 || (hour >= FROM_HOUR && hour < TO_HOUR)).toBe(true);
    });

    it('entity and history are the highest version and every version', async () => {
      for (const e of statesBefore(versions).slice(0, 40)) {
        expect(await s.read.entity(e.kind, e.id)).toEqual(e);
        const history = await s.read.history(e.kind, e.id);
        expect(history.map((x) => x.event.version)).toEqual(range(1, e.version));
      }
      expect(await s.read.entity('case', 'NO-SUCH')).toBeUndefined();
    });

    it('gauges count the open entities past due at every place', async () => {
      for (const nowMs of [NOW, DAY0 + 30 * HOUR_MS]) expect(await s.read.gauges(nowMs)).toEqual(bruteGauges(statesBefore(versions), town, nowMs));
    });

    it('activeEntities: overdue first, then urgent open, then the freshest', async () => {
      const states = statesBefore(versions).map(summarize);
      const ms = (iso: string | undefined) => Date.parse(iso!);
      const overdue = states.filter((x) => x.open && x.dueAt && ms(x.dueAt) < NOW).sort((a, b) => ms(a.dueAt) - ms(b.dueAt));
      const urgent = states.filter((x) => x.open && x.urgent).sort((a, b) => ms(b.updatedAt) - ms(a.updatedAt));
      const fresh = [...states].sort((a, b) => ms(b.updatedAt) - ms(a.updatedAt));
      for (const limit of [8, 40, 1000]) {
        const share = Math.ceil(limit / 4);
        const want: string[] = [];
        const take = (list: typeof states, cap: number) => {
          for (const x of list) if (want.length < cap && !want.includes(keyOf(x))) want.push(keyOf(x));
        };
        take(overdue, share);
        take(urgent, 2 * share);
        take(fresh, limit);
        expect((await s.read.activeEntities(NOW, limit)).map(keyOf)).toEqual(want);
      }
      expect(overdue.length).toBeGreaterThan(2);
      expect(urgent.length).toBeGreaterThan(2);
    });

    it('recent: the latest by when they happened, as of a seq, oldest first', async () => {
      for (const [limit, upTo] of [[20, stored.length], [15, 100], [1, 1]] as const) {
        const want = stored.filter((x) => x.seq <= upTo).sort(newestFirst).slice(0, limit).reverse().map((x) => x.seq);
        expect((await s.read.recent(limit, upTo)).map((x) => x.seq)).toEqual(want);
      }
    });

    it('totals and newSeries sum the counters of a place over hours', async () => {
      const sums = sumDeltas(stored, town, FROM_HOUR - 48, TO_HOUR + 48);
      const nb = town.neighbourhoodIds[0]!;
      const places = ['town', town.areaOf(nb)!, nb];
      const got = await s.read.totals(places, FROM_HOUR, FROM_HOUR + 12);
      const want = new Map<string, number>();
      for (const [k, n] of sums) {
        const [hour, key] = [Number(k.split('|')[0]), k.slice(k.indexOf('|') + 1)];
        const [metric, place] = splitKey(key);
        if (hour >= FROM_HOUR && hour < FROM_HOUR + 12 && places.includes(place)) want.set(counterKey(metric, place), (want.get(counterKey(metric, place)) ?? 0) + n);
      }
      const nonZero = (m: Map<string, number>) => [...m].filter(([, n]) => n !== 0).sort();
      expect(nonZero(got)).toEqual(nonZero(want));
      expect(nonZero(got).length).toBeGreaterThan(10);

      const series = await s.read.newSeries(nb, FROM_HOUR - 24, TO_HOUR);
      const wantSeries = [...sums]
        .map(([k, n]) => [Number(k.split('|')[0]), ...splitKey(k.slice(k.indexOf('|') + 1)), n] as const)
        .filter(([hour, metric, place, n]) => place === nb && n !== 0 && hour >= FROM_HOUR - 24 && hour < TO_HOUR && Object.values(NEW_METRICS).includes(metric as never))
        .map(([hour, metric, , n]) => [hour, metric, n]);
      const sortRows = (r: Array<readonly unknown[]>) => r.map((x) => JSON.stringify(x)).sort();
      expect(sortRows(series.filter((r) => r[2] !== 0))).toEqual(sortRows(wantSeries));
      for (let i = 1; i < series.length; i++) expect(series[i - 1]![0] <= series[i]![0]).toBe(true);
    });

    it('oldestOccurrence is the start of the day of the oldest event', async () => {
      const oldest = Math.min(...versions.map((v) => Date.parse(v.occurredAt)));
      expect(await s.read.oldestOccurrence()).toBe(shanghaiDayStart(oldest));
    });

    it('replayBase plus every replayed delta reproduce the counters as of each instant of the day', async () => {
      const [fromMs, toMs] = [DAY0, DAY0 + 24 * HOUR_MS];
      const base = await s.read.replayBase(fromMs, toMs, 100_000);
      const expectAt = (sums: Sums, ms: number) => expect(listed(sums)).toEqual(listed(sumStates(statesBefore(versions, ms), town, FROM_HOUR, TO_HOUR)));
      const sums = rowsAsSums(base.rollups);
      expectAt(sums, fromMs);
      const openThen = statesBefore(versions, fromMs).filter((e) => summarize(e).open).map(keyOf).sort();
      expect(base.entities.map(keyOf).sort()).toEqual(openThen);

      // the day in pages of 7: same events as one page, and each delta applied in turn stays exact
      const all = await s.read.replayPage(fromMs, toMs, { occurredAt: 0, seq: 0 }, 100_000);
      const paged = [];
      for (let after = { occurredAt: 0, seq: 0 }; ;) {
        const page = await s.read.replayPage(fromMs, toMs, after, 7);
        paged.push(...page);
        if (page.length < 7) break;
        after = { occurredAt: page.at(-1)!.occurredAt, seq: page.at(-1)!.seq };
      }
      expect(paged.map((e) => [e.seq, e.delta])).toEqual(all.map((e) => [e.seq, e.delta]));
      const inDay = stored.filter((x) => Date.parse(x.event.occurredAt) >= fromMs && Date.parse(x.event.occurredAt) < toMs);
      expect(all.map((e) => e.seq)).toEqual(inDay.sort((a, b) => Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt) || a.seq - b.seq).map((x) => x.seq));
      all.forEach((e, i) => {
        for (const [hour, key, n] of expandDelta(e.delta, e.event, town)) if (hour === 0 || (hour >= FROM_HOUR && hour < TO_HOUR)) add(sums, hour, key, n);
        const nextAt = all[i + 1]?.occurredAt;
        if (nextAt !== e.occurredAt && i % 25 === 0) expectAt(sums, e.occurredAt + 1);
      });
      expectAt(sums, toMs);
    });

    it('feed: the latest events of a place by when they happened, of the given streams and filters', async () => {
      const nb = town.neighbourhoodIds[1]!;
      const area = town.areaOf(nb)!;
      const grid = town.communityGridOf(nb)!;
      const at = (place: string, x: StoredEvent) =>
        place === 'town' || x.event.location.neighbourhoodId === place || x.event.location.gridId === place || town.areaOf(x.event.location.neighbourhoodId) === place;
      for (const [place, kinds, filters] of [
        ['town', ['case', 'ticket', 'inspection'], NO_FILTERS],
        [area, ['case'], NO_FILTERS],
        [nb, ['ticket', 'case'], { ...NO_FILTERS, status: 'open' }],
        [grid, ['inspection', 'case', 'ticket'], { ...NO_FILTERS, urgent: true }],
      ] as const) {
        const want = stored.filter((x) => at(place, x) && (kinds as readonly string[]).includes(x.event.kind) && matches(filters, summarize(x.event), NOW))
          .sort(newestFirst).slice(0, 12).map((x) => x.seq);
        const got = await s.read.feed({ place, kinds, filters, limit: 12, nowMs: NOW, scanLimit: 10_000 });
        expect(got.map((x) => x.seq)).toEqual(want);
        expect(want.length).toBeGreaterThan(0);
      }
    });

    it('longestOverdue: open and past due, the longest first', async () => {
      const want = statesBefore(versions).filter((e) => summarize(e).open && summarize(e).dueAt && Date.parse(summarize(e).dueAt!) < NOW)
        .sort((a, b) => Date.parse(summarize(a).dueAt!) - Date.parse(summarize(b).dueAt!)).slice(0, 10);
      const got = await s.read.longestOverdue(NOW, 10);
      expect(got.map((r) => r.summary.dueAt)).toEqual(want.map((e) => summarize(e).dueAt));
      expect(got.map((r) => r.address).every((a) => typeof a === 'string' && a.length > 0)).toBe(true);
    });
  });

  describe('feed paging and search', () => {
    it('feed pages through more than one page of a place and stops at the scan limit', async () => {
      const s = await open();
      const events = Array.from({ length: 1300 }, (_, i) => ev(makeCase({ id: `FP-${i}`, urgent: i % 100 === 0 }, BASE_MS - i * 60_000)));
      await appendAll(s, events, 200, 2);
      const stored = await readAll(s);
      const urgent = stored.filter((x) => x.event.urgent).sort(newestFirst).map((x) => x.seq);
      const filters = { ...NO_FILTERS, urgent: true };
      const got = await s.read.feed({ place: 'N01', kinds: ['case'], filters, limit: 50, nowMs: NOW, scanLimit: 10_000 });
      expect(got.map((x) => x.seq)).toEqual(urgent);
      expect(urgent).toHaveLength(13);
      // scanning stops after the first page (500 events): only the urgent ones among the 500 latest
      const scanned = stored.sort(newestFirst).slice(0, 500).filter((x) => x.event.urgent).map((x) => x.seq);
      const limited = await s.read.feed({ place: 'N01', kinds: ['case'], filters, limit: 50, nowMs: NOW, scanLimit: 500 });
      expect(limited.map((x) => x.seq)).toEqual(scanned);
      expect(await s.read.feed({ place: 'GC01', kinds: ['ticket'], filters: NO_FILTERS, limit: 5, nowMs: NOW, scanLimit: 10_000 })).toEqual([]);
    });

    it('search: an exact id ignoring case first, else id or address containing the text (% and _ literal), newest first', async () => {
      const s = await open();
      const add = (id: string, address: string, minutes: number) => ev(makeCase({ id, address }, BASE_MS + minutes * 60_000));
      await s.log.append([
        item(add('CS-100', '淞五居民区 1号楼', 1)), item(add('CS-1000', '淞五居民区 2号楼', 2)), item(add('X-7', '满意度100%路', 3)),
        item(add('X-8', '满意度100路', 4)), item(add('X_9', '甘溪路 a_b', 5)), item(add('XA9', '甘溪路 axb', 6)),
      ]);
      const ids = async (text: string, limit = 10) => (await s.read.search(text, limit)).map((r) => r.summary.id);
      expect(await ids('cs-100')).toEqual(['CS-100']);
      expect(await ids('CS-10')).toEqual(['CS-1000', 'CS-100']);
      expect(await ids('100%')).toEqual(['X-7']);
      expect(await ids('100')).toEqual(['X-8', 'X-7', 'CS-1000', 'CS-100']);
      expect(await ids('%')).toEqual(['X-7']);
      expect(await ids('a_b')).toEqual(['X_9']);
      expect(await ids('X_')).toEqual(['X_9']);
      expect(await ids('淞五')).toEqual(['CS-1000', 'CS-100']);
      expect(await ids('淞五', 1)).toEqual(['CS-1000']);
      expect(await ids('nothing')).toEqual([]);
      expect((await s.read.search('X-7', 1))[0]!.address).toBe('满意度100%路');
    });
  });

  describe('alarms', () => {
    it('a scan raises urgent and recently overdue alarms once, and clears those whose entity closed', async () => {
      const clock = manualClock(BASE_MS + HOUR_MS);
      const s = await open({ clock });
      const urgent = makeCase({ id: 'U-1', urgent: true });
      await s.log.append([
        item(ev(urgent)),
        item(ev(makeCase({ id: 'D-1', deadline: toShanghaiIso(BASE_MS + 2 * HOUR_MS) }))),
        item(ev(makeCase({ id: 'OLD-1', reportedAt: toShanghaiIso(BASE_MS - 72 * HOUR_MS), deadline: toShanghaiIso(BASE_MS - 48 * HOUR_MS) }))),
        item(ev(makeTicket({ id: 'T-1', dueAt: toShanghaiIso(BASE_MS + 3 * HOUR_MS) }))),
        item(ev(makeInspection({ id: 'I-1', status: 'rectifying', rectifyDeadline: toShanghaiIso(BASE_MS + 2 * HOUR_MS) }))),
      ]);
      const raised = await s.alarms.scan(clock.now());
      expect(raised.map((a) => [a.kind, a.entity.id])).toEqual([['urgent', 'U-1']]);
      expect(raised[0]!.raisedAt).toBe(toShanghaiIso(clock.now()));
      expect(await s.alarms.scan(clock.now())).toEqual([]);

      clock.advance(3 * HOUR_MS); // past D-1's and T-1's due time; OLD-1 was due too long ago; inspections raise none
      const overdue = await s.alarms.scan(clock.now());
      expect(overdue.map((a) => [a.kind, a.entity.kind, a.entity.id]).sort()).toEqual([['overdue', 'case', 'D-1'], ['overdue', 'ticket', 'T-1']]);
      // urgent first, then by when raised (and id)
      expect((await s.alarms.active(10)).map((a) => [a.kind, a.entity.id])).toEqual([['urgent', 'U-1'], ['overdue', 'D-1'], ['overdue', 'T-1']]);
      expect(await s.alarms.active(1)).toHaveLength(1);

      const closedAt = toShanghaiIso(clock.now());
      await s.log.append([item(ev(next(urgent, 2, clock.now(), { status: 'closed', closedAt })))]);
      const cleared = await s.alarms.scan(clock.now());
      expect(cleared).toHaveLength(1);
      expect(cleared[0]).toMatchObject({ kind: 'urgent', entity: { id: 'U-1', status: 'closed' }, clearedAt: closedAt });
      expect((await s.alarms.active(10)).map((a) => a.entity.id).sort()).toEqual(['D-1', 'T-1']);
      expect(await s.alarms.get(cleared[0]!.id)).toEqual(cleared[0]);
      expect(await s.alarms.get(999_999)).toBeUndefined();
    });

    it('of two acknowledgements at once exactly one wins; the note is masked when read', async () => {
      const clock = manualClock(BASE_MS + HOUR_MS);
      const s = await open({ clock });
      await s.log.append([item(ev(makeCase({ id: 'U-2', urgent: true })))]);
      const [alarm] = await s.alarms.scan(clock.now());
      const acks = await Promise.all([
        s.alarms.ack(alarm!.id, 'officer-a', '已派城管中队 13912345678', clock.now()),
        s.alarms.ack(alarm!.id, 'officer-b', undefined, clock.now()),
      ]);
      const won = acks.filter((a) => a.ok);
      expect(won).toHaveLength(1);
      expect(acks.filter((a) => !a.ok)).toEqual([{ ok: false, error: 'already_acknowledged' }]);
      const got = await s.alarms.get(alarm!.id);
      expect(got).toEqual((won[0] as { alarm: unknown }).alarm);
      expect(got!.ackedAt).toBe(toShanghaiIso(clock.now()));
      if (got!.ackedBy === 'officer-a') expect(got!.note).toBe('已派城管中队 139****5678');
      else expect(got!.note).toBeUndefined();
      expect(await s.alarms.active(10)).toEqual([]);
      expect(await s.alarms.ack(alarm!.id, 'officer-c', undefined, clock.now())).toEqual({ ok: false, error: 'already_acknowledged' });
      expect(await s.alarms.ack(alarm!.id + 1000, 'officer-c', undefined, clock.now())).toEqual({ ok: false, error: 'not_found' });
    });
  });

  describe('cluster roles', () => {
    // Each backend's own case, registered only for it (no skipped tests): SQLite is one node.
    if (name === 'sqlite') it('a single node holds every role', async () => {
      const s = await open();
      expect(await s.singleton.hold('alarm-scan')).toBe(true);
      expect(await s.singleton.hold('alarm-scan')).toBe(true);
      await s.singleton.release('alarm-scan');
      expect(await s.singleton.hold('sim')).toBe(true);
    });

    if (name === 'postgres') it('exactly one of two nodes holds a role; it passes on release, on close and when the holder\'s session dies', async () => {
      const [a, b] = [await open(), await open()];
      expect(await a.singleton.hold('alarm-scan')).toBe(true);
      expect(await b.singleton.hold('alarm-scan')).toBe(false);
      expect(await a.singleton.hold('alarm-scan')).toBe(true);
      expect(await b.singleton.hold('sim')).toBe(true); // roles are independent
      expect(await a.singleton.hold('sim')).toBe(false);
      await a.singleton.release('alarm-scan');
      expect(await b.singleton.hold('alarm-scan')).toBe(true);
      expect(await a.singleton.hold('alarm-scan')).toBe(false);

      // the holder's session dies (as with its process): the other takes the role on its next hold()
      await killHolder(h.db!, 'alarm-scan'); // b's session, with both its roles
      expect(await a.singleton.hold('alarm-scan')).toBe(true);
      expect(await b.singleton.hold('alarm-scan')).toBe(false); // b made a new session, but a holds it now
      expect(await b.singleton.hold('sim')).toBe(true); // and takes 'sim' again: nobody holds it

      // a holder whose session was lost makes a new one on its next hold() and takes the role again when free
      await killHolder(h.db!, 'alarm-scan'); // a's session
      expect(await a.singleton.hold('alarm-scan')).toBe(true);
      expect(await b.singleton.hold('alarm-scan')).toBe(false);

      // the holder closes: the other takes over
      await a.close();
      opened.splice(opened.indexOf(a), 1);
      expect(await b.singleton.hold('alarm-scan')).toBe(true);
    });
  });

  if (name === 'postgres') describe('PostgreSQL as several nodes', () => {
    it('two nodes appending at once: gapless seqs, and each node\'s feed delivers 1..n once, in order', async () => {
      const [a, b] = [await open(), await open()];
      const got = { a: [] as number[][], b: [] as number[][] };
      a.feed.subscribe((events) => got.a.push(events.map((e) => e.seq)));
      b.feed.subscribe((events) => got.b.push(events.map((e) => e.seq)));
      const events = Array.from({ length: 1000 }, (_, i) => ev(makeTicket({ id: `N-${i}` })));
      const parts = calls(events, 25, 4);
      const results = await submitAll([a, b], 6, parts);
      expect(results.flat().map((r) => r.status).every((x) => x === 'stored')).toBe(true);
      expect(results.flatMap(seqsOf).sort((x, y) => x - y)).toEqual(range(1, 1000));
      await waitFor(() => a.feed.position() === 1000 && b.feed.position() === 1000, 5_000, 'both feeds');
      for (const batches of [got.a, got.b]) {
        for (const batch of batches) expect(batch).toEqual(range(batch[0]!, batch.at(-1)!));
        expect(batches.flat()).toEqual(range(1, 1000));
        expect(batches.length).toBeGreaterThan(10); // many commits, interleaved between the nodes
      }
      // the same events on both nodes, as stored
      const stored = await readAll(a);
      expect(stored.map((x) => x.event.id).sort()).toEqual(events.map((e) => e.id).sort());
    });

    it('a node cut off from the database: append rejects with StoreUnavailableError storing nothing; it catches up after', async () => {
      const db = h.db!;
      const proxy = await pgProxy({ host: new URL(db.url).hostname, port: Number(new URL(db.url).port) });
      const url = db.url.replace(`:${new URL(db.url).port}/`, `:${proxy.port}/`);
      const cut = await open({ url, pollMs: 60_000 }); // no poll: only the LISTEN reconnection can catch it up
      const other = await open();
      const got: number[] = [];
      cut.feed.subscribe((events) => got.push(...events.map((e) => e.seq)));
      await cut.log.append([item(ev(makeCase({ id: 'O-1' })))]);
      expect(got).toEqual([1]);

      await proxy.stop();
      await expect(cut.log.append([item(ev(makeCase({ id: 'O-2' }))), item(ev(makeCase({ id: 'O-3' })))])).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(await cut.ping()).toBe(false);
      await other.log.append([item(ev(makeCase({ id: 'O-4' })))]);
      expect(await other.log.bounds()).toEqual({ oldest: 1, latest: 2 });
      expect((await other.log.readAfter(0, 10)).map((x) => x.event.id)).toEqual(['O-1', 'O-4']);

      await proxy.start();
      await waitFor(() => got.length === 2, 8_000, 'the LISTEN connection to come back and read forward');
      expect(got).toEqual([1, 2]);
      expect(await cut.ping()).toBe(true);
      expect(await cut.log.append([item(ev(makeCase({ id: 'O-2' })))])).toEqual([{ status: 'stored', seq: 3 }]);
      await waitFor(() => got.length === 3);
      expect(got).toEqual([1, 2, 3]);
      await cut.close();
      opened.splice(opened.indexOf(cut), 1);
      await proxy.stop();
    });

    it('start-up against an unreachable server or a malformed URL rejects naming DATABASE_URL, without the password', async () => {
      const clock = manualClock(NOW);
      const refused = createPostgresStore({ url: 'postgres://postgres:s3cret-pw@127.0.0.1:1/onescreen', geo: town, clock });
      await expect(refused).rejects.toThrow(/^DATABASE_URL: cannot connect to PostgreSQL \(postgres@127\.0\.0\.1:1\/onescreen\): .*ECONNREFUSED/);
      await refused.catch((e: Error) => {
        expect(e.message).not.toContain('s3cret-pw');
        expect(e.stack).toBe(e.message);
      });
      await expect(createPostgresStore({ url: 'not a url', geo: town, clock })).rejects.toThrow(/DATABASE_URL/);
      await expect(createPostgresStore({ url: 'mysql://u:p@host/db', geo: town, clock })).rejects.toThrow(/DATABASE_URL must start with postgres/);
      const missing = `${h.db!.url}_missing`;
      await expect(createPostgresStore({ url: missing, geo: town, clock })).rejects.toThrow(/DATABASE_URL: cannot connect.*does not exist/);
    });

    it('three nodes starting at once on an empty database all migrate and agree', async () => {
      const db = await createTestDatabase();
      try {
        const nodes = await Promise.all([0, 1, 2].map(() => h.open({ url: db.url })));
        opened.push(...nodes);
        await nodes[0]!.log.append([item(ev(makeCase({ id: 'M-1' })))]);
        for (const n of nodes) expect(await n.log.bounds()).toEqual({ oldest: 1, latest: 1 });
        while (opened.length) await opened.pop()!.close();
      } finally {
        await db.drop();
      }
    });
  });
});

/** Terminates the session holding a role's advisory lock (and waits until it is gone), as if its process died. */
async function killHolder(db: TestDatabase, role: string) {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const { rows } = await c.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid, 5000) AS ok FROM pg_locks
       WHERE locktype = 'advisory' AND objsubid = 2 AND objid = hashtext($1)::oid AND granted AND database = (SELECT oid FROM pg_database WHERE datname = $2)`,
      [role, db.name]);
    expect(rows.map((r) => r.ok)).toEqual([true]);
  } finally {
    await c.end();
  }
}
