// The store contract: the read model against brute force, feed paging and search, on both backends (harness.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestEvent } from '#shared/events';
import { NO_FILTERS, matches } from '#shared/filters';
import { NEW_METRICS, expandDelta } from '#shared/model/contributions';
import { counterKey, splitKey } from '#shared/model/keys';
import { summarize } from '#shared/summary';
import { HOUR_MS, shanghaiDayStart } from '#shared/time';
import type { EntityQuery, Store, StoredEvent } from '../../server/src/store/types';
import { BASE_MS, makeCase } from '../support/events';
import { add, bruteGauges, listed, newestFirst, statesBefore, sumDeltas, sumStates, type Sums } from './brute';
import { DAY0, arrivalOrder, townVersions } from './generate';
import { storeContract, town, NOW, FROM_HOUR, TO_HOUR, item, ev, appendAll, readAll, seqsOf, range, keyOf, rowsAsSums } from './harness';

storeContract('the read model', (c) => {
  const { open } = c;
  describe('the read model, against brute force over a random town log', () => {
    let s: Store;
    let dispose: () => Promise<void>;
    let versions: IngestEvent[];
    let stored: StoredEvent[];

    // One log for these tests, on a database of its own (appended once, read many times).
    beforeAll(async () => {
      ({ store: s, dispose } = await c.h.isolated());
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

    it('listEntities: current states by stream, label, open or closed, first report and place, the latest reported first, paged', async () => {
      const nb = town.neighbourhoodIds[2]!;
      const [area, grid] = [town.areaOf(nb)!, town.communityGridOf(nb)!];
      const at = (place: string, e: IngestEvent) =>
        place === 'town' || town.areaOf(e.location.neighbourhoodId) === place || e.location.neighbourhoodId === place || e.location.gridId === place;
      const brute = (q: EntityQuery) => statesBefore(versions)
        .map((e) => ({ e, sum: summarize(e), started: Date.parse(summarize(e).startedAt) }))
        .filter(({ e, sum, started }) => q.kinds.includes(e.kind) && (!q.labels || q.labels.includes(sum.label)) && (q.open === undefined || sum.open === q.open)
          && started >= q.fromMs && started <= q.toMs && at(q.place, e))
        .sort((a, b) => b.started - a.started || (a.e.kind < b.e.kind ? -1 : a.e.kind > b.e.kind ? 1 : 0) || (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0))
        .map(({ e }) => keyOf(e));
      const all = { kinds: ['case', 'ticket'], fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, place: 'town', offset: 0, limit: 1000 };
      const queries: EntityQuery[] = [
        all,
        { ...all, kinds: ['case', 'ticket', 'inspection'] },
        { ...all, open: true },
        { ...all, open: false },
        { ...all, labels: ['community'] }, // the cases only (the tickets' topic is 噪音扰民)
        { ...all, kinds: ['ticket'], labels: ['噪音扰民', 'community'] },
        { ...all, fromMs: DAY0, toMs: DAY0 + 6 * HOUR_MS },
        { ...all, fromMs: DAY0 + 2 * HOUR_MS, toMs: DAY0 + 20 * HOUR_MS, open: true, labels: ['噪音扰民'] },
        { ...all, place: area }, { ...all, place: nb }, { ...all, place: grid, open: false },
      ];
      for (const q of queries) {
        const want = brute(q);
        expect((await s.read.listEntities(q)).map(keyOf)).toEqual(want);
        expect(want.length).toBeGreaterThan(0);
      }
      // every entity of the town, once, in pages of 7
      const want = brute(all);
      const paged: string[] = [];
      for (let offset = 0; ; offset += 7) {
        const page = await s.read.listEntities({ ...all, offset, limit: 7 });
        paged.push(...page.map(keyOf));
        if (page.length < 7) break;
      }
      expect(paged).toEqual(want);
      expect(want.length).toBe(160); // 240 entities, one in three an inspection
      // what comes back is the current state, whole
      const [first] = await s.read.listEntities({ ...all, limit: 1 });
      expect(first).toEqual(statesBefore(versions).find((e) => keyOf(e) === want[0]));
      expect(await s.read.listEntities({ ...all, labels: [] })).toEqual([]);
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

    it('search: the address as screens see it, masked, so it finds nothing a screen does not show (docs/privacy.md)', async () => {
      const s = await open();
      await s.log.append([
        item(ev(makeCase({ id: 'PV-1', address: '淞五居民区 联系人王小明 13912345678' }, BASE_MS))),
        item(ev(makeCase({ id: 'PV-2', address: '泉口路109弄 身份证310105198001011234' }, BASE_MS + 60_000))),
      ]);
      const ids = async (text: string) => (await s.read.search(text, 10)).map((r) => r.summary.id);
      expect(await ids('139****5678')).toEqual(['PV-1']);
      expect(await ids('联系人王')).toEqual(['PV-1']);
      expect(await ids('泉口路109弄')).toEqual(['PV-2']);
      expect(await ids('310105****')).toEqual(['PV-2']);
      expect(await ids('pv-2')).toEqual(['PV-2']);
      for (const hidden of ['13912345678', '1391234', '12345678', '王小明', '王小', '310105198001011234', '19800101', '8001'])
        expect(await ids(hidden), hidden).toEqual([]);
      // The recovery attack: every candidate for the hidden middle of 139****5678.
      let found = 0;
      for (let from = 0; from < 10_000; from += 250) {
        const hits = await Promise.all(Array.from({ length: 250 }, (_, i) => ids(`139${String(from + i).padStart(4, '0')}5678`)));
        found += hits.filter((h) => h.length > 0).length;
      }
      expect(found).toBe(0);
      expect((await s.read.search('PV-1', 1))[0]!.address).toBe('淞五居民区 联系人王小明 13912345678'); // raw in the store; the API masks it
    });
  });

});
