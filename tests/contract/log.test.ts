// The store contract: the event log and the commit feed, on both backends (harness.ts).
import { describe, expect, it } from 'vitest';
import { HOUR_MS, toShanghaiIso } from '#shared/time';
import type { Store, StoredEvent } from '../../server/src/store/types';
import { BASE_MS, makeCase, makeInspection, makeTicket, next } from '../support/events';
import { listed } from './brute';
import { calls } from './generate';
import { storeContract, NOW, FROM_HOUR, TO_HOUR, item, ev, waitFor, submitAll, readAll, seqsOf, range, rowsAsSums } from './harness';

storeContract('the log and the commit feed', (c) => {
  const { name, open, opened } = c;
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
      const commits: Array<[number, number]> = [];
      const stop = s.log.observeCommits((seconds, items) => commits.push([seconds, items]));
      const events = Array.from({ length: 1200 }, (_, i) => ev(makeCase({ id: `G-${i}` }, BASE_MS + i * 1000)));
      const parts = calls(events, 30, 3);
      const results = await submitAll([s], 8, parts);
      // the metrics' view: every commit, its items adding up to what was sent, then nothing once stopped
      stop();
      expect(commits.reduce((n, [, items]) => n + items, 0)).toBe(1200);
      expect(commits.every(([seconds, items]) => seconds >= 0 && seconds < 60 && items > 0)).toBe(true);
      await s.log.append([item(ev(makeCase({ id: 'G-after' })))]);
      expect(commits.reduce((n, [, items]) => n + items, 0)).toBe(1200);
      for (const r of results) {
        const seqs = seqsOf(r);
        expect(seqs).toHaveLength(r.length);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b)); // one call's items commit together, in order
      }
      expect(results.flatMap(seqsOf).sort((a, b) => a - b)).toEqual(range(1, 1200));
      expect(await s.log.bounds()).toEqual({ oldest: 1, latest: 1201 });
      const stored = (await readAll(s)).slice(0, 1200);
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

    it('marks a late older version as stale, in the feed and when read back, and nothing else', async () => {
      const s = await open();
      const fed: Array<[number, boolean]> = [];
      s.feed.subscribe((batch) => fed.push(...batch.map((x): [number, boolean] => [x.seq, x.stale === true])));
      const v1 = makeCase({ id: 'ST-1' });
      await s.log.append([item(ev(v1)), item(ev(makeCase({ id: 'ST-2' })))]);
      await s.log.append([item(ev(next(v1, 4, BASE_MS + 3 * HOUR_MS, { status: 'dispatched' })))]);
      // in one commit: a late v2 (stale), then v5 (current), then a late v3 (stale again)
      await s.log.append([
        item(ev(next(v1, 2, BASE_MS + HOUR_MS, { status: 'accepted' }))),
        item(ev(next(v1, 5, BASE_MS + 4 * HOUR_MS, { status: 'handling' }))),
        item(ev(next(v1, 3, BASE_MS + 2 * HOUR_MS, { status: 'dispatched' }))),
      ]);
      const expected: Array<[number, boolean]> = [[1, false], [2, false], [3, false], [4, true], [5, false], [6, true]];
      await waitFor(() => fed.length === 6);
      expect(fed).toEqual(expected);
      expect((await s.log.readAfter(0, 100)).map((x): [number, boolean] => [x.seq, x.stale === true])).toEqual(expected);
      // brute force over the raw log: stale exactly when a higher version of the entity has a lower seq
      const all = await s.log.readAfter(0, 100);
      const brute = all.map((x): [number, boolean] => [x.seq, all.some((o) => o.event.id === x.event.id && o.event.version > x.event.version && o.seq < x.seq)]);
      expect(brute).toEqual(expected);
      // every reader of the log carries the same mark: an entity's history, and the latest events
      const marks = (xs: StoredEvent[]) => xs.map((x): [number, boolean] => [x.seq, x.stale === true]).sort((a, b) => a[0] - b[0]);
      expect(marks(await s.read.history('case', 'ST-1'))).toEqual(expected.filter(([seq]) => seq !== 2));
      expect(marks(await s.read.recent(10, 6))).toEqual(expected);
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

});
