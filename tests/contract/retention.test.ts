// The store contract: retention (EventLog.prune) on both backends (harness.ts). The bottom of the log
// goes, nothing above it is touched, and every figure — counters, range reports, entity states,
// alarms, the history the counters cover — is what it was, and what brute force over the raw log
// (read before the deletion) says it is. docs/operations.md, "Retention".
import { describe, expect, it } from 'vitest';
import type { IngestEvent } from '#shared/events';
import { placeTree } from '#shared/model/places';
import { DAY_MS, HOUR_MS, shanghaiDayStart } from '#shared/time';
import { manualClock } from '../../server/src/clock';
import { rangeReport } from '../../server/src/kpi/range';
import { startRetention } from '../../server/src/store/retention';
import type { Store } from '../../server/src/store/types';
import { makeCase } from '../support/events';
import { listed, sumDeltas, statesBefore, sumStates } from './brute';
import { DAY0, arrivalOrder, townVersions } from './generate';
import { storeContract, town, NOW, FROM_HOUR, TO_HOUR, item, ev, appendAll, readAll, seqsOf, range, keyOf, rowsAsSums } from './harness';

const places = placeTree(town.geo);
const day = { from: DAY0, to: DAY0 + DAY_MS };
/** A range report without its timing. */
const report = async (s: Store, place: string, period = day) => {
  const { tookMs: _, ...r } = await rangeReport({ store: s.read, places }, place, period, NOW);
  return r;
};
const quiet = () => undefined;

storeContract('retention', (c) => {
  const { name, open } = c;

  it('deletes the bottom of the log stored before the cutoff, in batches; figures, entity states and alarms stay', async () => {
    const clock = manualClock(NOW - 2 * DAY_MS);
    const s = await open({ clock });
    const early = ev(makeCase({ id: 'EARLY-1' }, DAY0 - 3 * DAY_MS));
    const versions = [...townVersions(town, 180, 21), early];
    const order = arrivalOrder(versions.slice(0, -1), 22);
    // stored over three days, a third a day
    // with one that happened days before the others: the earliest occurrence leaves with the first day
    const thirds = [[early, ...order.slice(0, 200)], order.slice(200, 400), order.slice(400)];
    const storedOn = [NOW - 2 * DAY_MS, NOW - DAY_MS, NOW];
    const firstDaySeqs: number[] = [];
    for (const [k, part] of thirds.entries()) {
      clock.set(storedOn[k]!);
      const seqs = seqsOf(await appendAll(s, part, 30, 23 + k));
      if (k === 0) firstDaySeqs.push(...seqs);
    }
    expect(firstDaySeqs.length).toBeGreaterThan(150);
    await s.alarms.scan(NOW);

    const raw = await readAll(s); // the whole raw log, for brute force
    const latest = raw.length;
    const entityKeys = [...new Set(versions.map(keyOf))];
    const entitiesOf = async () => Promise.all(entityKeys.map((k) => s.read.entity(k.slice(0, k.indexOf(':')), k.slice(k.indexOf(':') + 1))));
    const before = {
      counters: await s.read.counterRows(FROM_HOUR, TO_HOUR),
      totals: await s.read.totals(['town', 'A1', 'N01'], FROM_HOUR - 48, TO_HOUR + 48),
      town: await report(s, 'town'),
      nb: await report(s, town.neighbourhoodIds[0]!),
      entities: await entitiesOf(),
      alarms: await s.alarms.active(1000),
      oldest: await s.read.oldestOccurrence(),
    };
    expect(before.alarms.length).toBeGreaterThan(0);
    // the figures are what brute force over the raw log says
    expect(listed(rowsAsSums(before.counters.rows))).toEqual(listed(sumDeltas(raw, town, FROM_HOUR, TO_HOUR)));
    expect(listed(rowsAsSums(before.counters.rows))).toEqual(listed(sumStates(statesBefore(versions), town, FROM_HOUR, TO_HOUR)));

    // Everything stored on the first day, 50 at a time.
    const cutoff = NOW - DAY_MS;
    const batches: number[] = [];
    for (let n = 50; n === 50;) batches.push((n = await s.log.prune(cutoff, 50)));
    expect(batches.slice(0, -1).every((n) => n === 50)).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(firstDaySeqs.length);
    expect(await s.log.prune(cutoff, 50)).toBe(0);

    // The bottom went; nothing above it changed.
    expect(await s.log.bounds()).toEqual({ oldest: firstDaySeqs.length + 1, latest });
    expect(await readAll(s)).toEqual(raw.slice(firstDaySeqs.length));
    // Every figure as before.
    const after = await s.read.counterRows(FROM_HOUR, TO_HOUR);
    expect(after.seq).toBe(latest);
    expect(listed(rowsAsSums(after.rows))).toEqual(listed(sumDeltas(raw, town, FROM_HOUR, TO_HOUR)));
    expect(await s.read.totals(['town', 'A1', 'N01'], FROM_HOUR - 48, TO_HOUR + 48)).toEqual(before.totals);
    expect(await report(s, 'town')).toEqual(before.town);
    expect(await report(s, town.neighbourhoodIds[0]!)).toEqual(before.nb);
    expect(await entitiesOf()).toEqual(before.entities);
    expect(await s.alarms.active(1000)).toEqual(before.alarms);
    expect(await s.alarms.get(before.alarms[0]!.id)).toEqual(before.alarms[0]);
    // The history the counters cover does not shrink with the log (a range's 环比 stays comparable).
    expect(before.oldest).toBe(shanghaiDayStart(DAY0 - 3 * DAY_MS));
    expect(Math.min(...raw.slice(firstDaySeqs.length).map((x) => Date.parse(x.event.occurredAt)))).toBeGreaterThan(DAY0 - DAY_MS);
    expect(await s.read.oldestOccurrence()).toBe(before.oldest);
    // An entity's timeline keeps the versions still retained.
    const spanning = raw.find((x) => x.seq <= firstDaySeqs.length && raw.some((y) => y.seq > firstDaySeqs.length && keyOf(y.event) === keyOf(x.event)))!;
    const timeline = await s.read.history(spanning.event.kind, spanning.event.id);
    expect(timeline.map((x) => x.seq)).toEqual(
      raw.filter((x) => keyOf(x.event) === keyOf(spanning.event) && x.seq > firstDaySeqs.length).sort((a, b) => a.event.version - b.event.version || a.seq - b.seq).map((x) => x.seq));
  });

  it('stops at the first event stored at or after the cutoff: the bottom only, never a hole', async () => {
    const clock = manualClock(NOW);
    const s = await open({ clock });
    const batch = (p: string) => range(1, 3).map((i) => item(ev(makeCase({ id: `${p}-${i}` }))));
    clock.set(NOW - 3 * DAY_MS);
    await s.log.append(batch('OLD'));
    clock.set(NOW);
    await s.log.append(batch('NEW'));
    clock.set(NOW - 3 * DAY_MS); // a clock set back: stored before the cutoff, but above a newer event
    await s.log.append(batch('BACK'));
    expect(await s.log.prune(NOW - DAY_MS, 100)).toBe(3);
    expect(await s.log.bounds()).toEqual({ oldest: 4, latest: 9 });
    expect((await readAll(s)).map((x) => x.event.id)).toEqual(['NEW-1', 'NEW-2', 'NEW-3', 'BACK-1', 'BACK-2', 'BACK-3']);
  });

  it('keeps the stale mark of a late older version when retention deletes the newer one', async () => {
    const clock = manualClock(NOW - 3 * DAY_MS);
    const s = await open({ clock });
    const v2 = ev(makeCase({ id: 'LATE-1', version: 2, status: 'dispatched' }));
    const v1 = ev(makeCase({ id: 'LATE-1', version: 1 }));
    await s.log.append([item(v2)]);
    clock.set(NOW);
    await s.log.append([item(v1), item(ev(makeCase({ id: 'LATE-2' })))]); // v1 arrives late: it does not move the entity
    const marks = async () => (await readAll(s)).map((x): [number, string, boolean] => [x.seq, `${x.event.id}#${x.event.version}`, x.stale === true]);
    expect(await marks()).toEqual([[1, 'LATE-1#2', false], [2, 'LATE-1#1', true], [3, 'LATE-2#1', false]]);
    expect(await s.log.prune(NOW - DAY_MS, 100)).toBe(1); // v2 goes, v1 stays
    // a screen resuming from seq 1 had v2: v1 must still come marked, or it would set the entity back
    expect(await marks()).toEqual([[2, 'LATE-1#1', true], [3, 'LATE-2#1', false]]);
    expect((await s.read.entity('case', 'LATE-1'))?.version).toBe(2);
  });

  it('never deletes the newest event: after a restart the log goes on at the next seq', async () => {
    const clock = manualClock(NOW - 30 * DAY_MS);
    const first = await open({ clock });
    await first.log.append(range(1, 10).map((i) => item(ev(makeCase({ id: `K-${i}` })))));
    clock.set(NOW);
    expect(await first.log.prune(NOW, 1000)).toBe(9);
    expect(await first.log.prune(NOW, 1000)).toBe(0);
    expect(await first.log.bounds()).toEqual({ oldest: 10, latest: 10 });
    await c.opened.splice(c.opened.indexOf(first), 1)[0]!.close();
    const again = await open({ clock });
    expect(await again.log.bounds()).toEqual({ oldest: 10, latest: 10 });
    expect(await again.log.append([item(ev(makeCase({ id: 'K-11' })))])).toEqual([{ status: 'stored', seq: 11 }]);
    // a version deleted by retention and sent again is stored as history: the counters do not move
    const counters = await again.read.counterRows(FROM_HOUR, TO_HOUR);
    expect(await again.log.append([item(ev(makeCase({ id: 'K-1' })))])).toEqual([{ status: 'stored', seq: 12 }]);
    expect((await again.read.history('case', 'K-1')).map((x) => [x.seq, x.delta])).toEqual([[12, []]]);
    expect(listed(rowsAsSums((await again.read.counterRows(FROM_HOUR, TO_HOUR)).rows))).toEqual(listed(rowsAsSums(counters.rows)));
  });

  describe('the retention service', () => {
    it('deletes what was stored more than RETENTION_DAYS ago, in batches, one node of a cluster at a time', async () => {
      const clock = manualClock(NOW - 5 * DAY_MS);
      const s = await open({ clock });
      const events: IngestEvent[] = range(1, 120).map((i) => ev(makeCase({ id: `S-${i}` })));
      await s.log.append(events.slice(0, 100).map((e) => item(e)));
      clock.set(NOW);
      await s.log.append(events.slice(100).map((e) => item(e)));
      const messages: string[] = [];
      const log = (m: string) => messages.push(m);
      // a second node on the same database (PostgreSQL): the role is held by one
      const other = name === 'postgres' ? await open({ clock }) : undefined;
      const mine = startRetention(s, clock, { days: 3, batch: 30, pauseMs: 1, everyMs: 3_600_000, log });
      const theirs = other && startRetention(other, clock, { days: 3, batch: 30, pauseMs: 1, everyMs: 3_600_000, log: quiet });
      try {
        expect(await mine.run()).toBe(100);
        expect(messages).toEqual([expect.stringMatching(/^\[retention\] deleted 100 events stored before .* \(RETENTION_DAYS=3\)$/)]);
        expect(await s.log.bounds()).toEqual({ oldest: 101, latest: 120 });
        if (theirs) {
          clock.advance(4 * DAY_MS); // the rest is older than the window now, but the role is taken
          expect(await theirs.run()).toBe(0);
          await mine.close();
          expect(await theirs.run()).toBe(19); // released: the other node takes the role
        }
        expect(await s.log.bounds()).toEqual({ oldest: theirs ? 120 : 101, latest: 120 });
      } finally {
        await mine.close();
        await theirs?.close();
      }
    });
  });

  if (name === 'sqlite')
    it('deletions run in the writer between commits: appends made meanwhile keep their gapless seqs', async () => {
      const clock = manualClock(NOW - 10 * DAY_MS);
      const s = await open({ clock });
      await s.log.append(range(1, 600).map((i) => item(ev(makeCase({ id: `P-${i}` }, NOW - 10 * DAY_MS + i * 1000)))));
      clock.set(NOW);
      const [deleted, results] = await Promise.all([
        (async () => {
          let total = 0;
          for (let n = 40; n === 40;) total += n = await s.log.prune(NOW - HOUR_MS, 40);
          return total;
        })(),
        Promise.all(range(1, 20).map((i) => s.log.append([item(ev(makeCase({ id: `Q-${i}` })))]))),
      ]);
      expect(deleted).toBe(600);
      expect(results.flat().map((r) => (r.status === 'stored' ? r.seq : 0)).sort((a, b) => a - b)).toEqual(range(601, 620));
      expect(await s.log.bounds()).toEqual({ oldest: 601, latest: 620 });
    });
});
