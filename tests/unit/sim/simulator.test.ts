import { describe, it, expect, afterEach } from 'vitest';
import type { IngestEventInput } from '#shared/events';
import { DAY_MS, HOUR_MS, shanghaiDate, shanghaiMidnight } from '#shared/time';
import { manualClock } from '../../../server/src/clock';
import { loadTown } from '../../../server/src/geo/town';
import { eventsBetween } from '../../../server/src/sim/plan';
import { BACKFILL_DAYS, backfillFrom, createSimulator, type Simulator } from '../../../server/src/sim/simulator';

const town = loadTown();
const MIDNIGHT = shanghaiMidnight('2026-11-20');
const T0 = MIDNIGHT + 10 * HOUR_MS + 500; // 10:00:00.5, between two whole seconds
const t = (iso: string) => Date.parse(iso);

/** A fake ingest that records every batch and the clock at the time it was submitted. */
function recorder(clock: { now(): number }, opts: { failFirst?: number; delayMs?: number } = {}) {
  const batches: { at: number; items: IngestEventInput[] }[] = [];
  let failures = opts.failFirst ?? 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const submit = async (items: unknown[]) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      if (failures > 0) {
        failures--;
        throw new Error('store unavailable');
      }
      batches.push({ at: clock.now(), items: items as IngestEventInput[] });
    } finally {
      inFlight--;
    }
  };
  return { submit, batches, all: () => batches.flatMap((b) => b.items), maxInFlight: () => maxInFlight };
}

/** Submitted events stamped after the clock at their submit (none should be). */
const aheadOfClock = (batches: { at: number; items: IngestEventInput[] }[]) =>
  batches.flatMap((b) => b.items.filter((e) => t(e.occurredAt) > b.at).map((e) => `${e.id} v${e.version} ${e.occurredAt}`));

async function waitFor(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The backfill's order: yesterday and today first (the screen is complete at once), then the older days. */
const backfillOrder = (cfg: { seed: number; scale: number }, now: number) => {
  const recent = shanghaiMidnight(shanghaiDate(now)) - DAY_MS;
  return [...eventsBetween(town, cfg, recent, now + 1), ...eventsBetween(town, cfg, backfillFrom(now), recent)];
};

/** Waits until the older days of the backfill, posted by the ticks, are all in. */
const historyIn = (s: Simulator) => waitFor(() => s.stats().historyDone, 25_000);

let sim: Simulator | undefined;
afterEach(() => sim?.stop());

// Every start plans and submits a month (about 70,000 events at scale 1): seconds, more on a busy machine.
describe('simulator', { timeout: 30_000 }, () => {
  it('backfills 31 whole days before today 00:00 plus today up to and including now, in batches of at most 1000', async () => {
    const cfg = { seed: 3, scale: 1 };
    // Start exactly on the instant of a planned event: that event counts as "up to now".
    const now = t(eventsBetween(town, cfg, T0, T0 + HOUR_MS)[0]!.occurredAt);
    expect(BACKFILL_DAYS).toBe(31);
    expect(backfillFrom(now)).toBe(shanghaiMidnight('2026-10-20'));
    const clock = manualClock(now);
    const rec = recorder(clock);
    const logs: string[] = [];
    sim = createSimulator({ town, clock, submit: rec.submit, ...cfg, speed: 1, tickMs: 5, log: (m) => logs.push(m) });
    await sim.start();
    // start() returns once yesterday and today are in: the screen has what it shows and compares with.
    const recent = shanghaiMidnight('2026-11-20') - DAY_MS;
    expect(rec.all()).toEqual(eventsBetween(town, cfg, recent, now + 1));
    expect(t(rec.all().at(-1)!.occurredAt)).toBe(now);
    await historyIn(sim);
    const expected = backfillOrder(cfg, now); // [2026-10-20 00:00, now]
    expect(expected.length).toBeGreaterThan(60_000);
    expect(rec.all()).toEqual(expected);
    expect(t(rec.all().at(-1)!.occurredAt)).toBeLessThan(recent);
    expect(rec.batches.length).toBeGreaterThan(60);
    expect(rec.batches.every((b) => b.items.length <= 1000)).toBe(true);
    expect(sim.stats().submitted).toBe(expected.length);
    // Every one of the 31 days and today carries a full day's worth: new cases every day.
    const perDay = new Map<string, number>();
    for (const e of rec.all()) if (e.kind === 'case' && e.version === 1) perDay.set(shanghaiDate(t(e.occurredAt)), (perDay.get(shanghaiDate(t(e.occurredAt))) ?? 0) + 1);
    expect([...perDay.keys()].sort()).toEqual(Array.from({ length: 32 }, (_, d) => shanghaiDate(backfillFrom(now) + d * DAY_MS)));
    for (const [day, n] of perDay) if (day !== '2026-11-20') expect(n, day).toBeGreaterThan(150);
    expect(logs[0]).toBe('backfill: from 2026-11-19 00:00 to now');
    expect(logs[1]).toMatch(/^backfill of yesterday and today done: \d+ events in \d+ ms/);
    expect(logs[2]).toBe('backfill of the older history done');
    // A day at a time: no batch mixes two days' events.
    for (const b of rec.batches) expect(new Set(b.items.map((e) => shanghaiDate(t(e.occurredAt)))).size).toBe(1);
  });

  it('plays the same month for the same seed: two runs submit identical events, another seed differs', async () => {
    const run = async (seed: number) => {
      const clock = manualClock(T0);
      const rec = recorder(clock);
      const s = createSimulator({ town: loadTown(), clock, submit: rec.submit, seed, scale: 0.3, speed: 1, tickMs: 5 });
      await s.start();
      await historyIn(s);
      s.stop();
      return rec.all();
    };
    const [a, b, c] = [await run(12), await run(12), await run(13)];
    expect(a.length).toBeGreaterThan(15_000);
    expect(b).toEqual(a);
    expect(c.length).not.toBe(a.length);
  });

  it('resumes from a cursor the caller passes: only events from that instant on, never older than the month', async () => {
    const cfg = { seed: 3, scale: 1 };
    const resumeFrom = t(eventsBetween(town, cfg, MIDNIGHT - 5 * HOUR_MS, MIDNIGHT)[0]!.occurredAt); // yesterday evening
    const startAt = async (from: number | undefined) => {
      const clock = manualClock(T0);
      const rec = recorder(clock);
      const logs: string[] = [];
      const s = createSimulator({ town, clock, submit: rec.submit, ...cfg, speed: 1, tickMs: 5, resumeFrom: from, log: (m) => logs.push(m) });
      await s.start();
      await historyIn(s);
      s.stop();
      return { all: rec.all(), logs };
    };
    const resumed = await startAt(resumeFrom);
    expect(resumed.all).toEqual(eventsBetween(town, cfg, resumeFrom, T0 + 1)); // the cursor's own second included
    expect(resumed.all.length).toBeGreaterThan(500);
    expect(resumed.logs[0]).toContain('from 2026-11-19T');
    // A cursor older than the month, or none: the month. A cursor ahead of the clock: nothing before now.
    expect((await startAt(MIDNIGHT - 40 * DAY_MS)).all).toEqual(backfillOrder(cfg, T0));
    expect((await startAt(T0 + HOUR_MS)).all).toEqual(eventsBetween(town, cfg, T0, T0 + 1));
  });

  it('then submits events as they fall due, in time order, never ahead of the clock', async () => {
    const clock = manualClock(T0);
    const rec = recorder(clock, { delayMs: 8 });
    sim = createSimulator({ town, clock, submit: rec.submit, seed: 5, scale: 1, speed: 1, tickMs: 5 });
    await sim.start();
    await historyIn(sim);
    const backfilled = rec.all().length;
    expect(backfilled).toBe(eventsBetween(town, { seed: 5, scale: 1 }, backfillFrom(T0), T0 + 1).length);
    for (let k = 0; k < 20; k++) {
      clock.advance(60_000);
      const due = backfilled + eventsBetween(town, { seed: 5, scale: 1 }, T0 + 1, clock.now() + 1).length;
      await waitFor(() => rec.all().length === due);
    }
    const live = rec.all().slice(backfilled);
    expect(live.length).toBeGreaterThan(10);
    expect(live).toEqual(eventsBetween(town, { seed: 5, scale: 1 }, T0 + 1, clock.now() + 1));
    expect(aheadOfClock(rec.batches)).toEqual([]);
    expect(rec.maxInFlight()).toBe(1);
  });

  it('compresses time at speed 60: a virtual hour in a real minute, deadlines 1/60 as far', async () => {
    const clock = manualClock(T0);
    const rec = recorder(clock);
    sim = createSimulator({ town, clock, submit: rec.submit, seed: 6, scale: 1, speed: 60, tickMs: 5 });
    await sim.start();
    await historyIn(sim);
    const backfilled = rec.all().length;
    for (let k = 0; k < 6; k++) {
      clock.advance(10_000); // 10 real seconds = 10 virtual minutes
      const due = backfilled + eventsBetween(town, { seed: 6, scale: 1 }, T0 + 1, T0 + (clock.now() - T0) * 60 + 1).length;
      await waitFor(() => rec.all().length === due);
    }
    expect(sim.stats().virtualNow).toBe(T0 + HOUR_MS);
    const live = rec.all().slice(backfilled);
    const planned = eventsBetween(town, { seed: 6, scale: 1 }, T0 + 1, T0 + HOUR_MS + 1);
    expect(live.map((e) => `${e.kind}:${e.id}:${e.version}`)).toEqual(planned.map((e) => `${e.kind}:${e.id}:${e.version}`));
    expect(aheadOfClock(rec.batches)).toEqual([]);
    expect(Math.max(...live.map((e) => t(e.occurredAt)))).toBeLessThanOrEqual(T0 + 60_000);
    // Cases reported after the start: deadline − reportedAt shrinks 60× (to the second).
    const fresh = live.filter((e) => e.kind === 'case' && e.version === 1);
    expect(fresh.length).toBeGreaterThan(3);
    for (const e of fresh) {
      const p = planned.find((x) => x.kind === 'case' && x.id === e.id && x.version === 1)!;
      if (e.kind !== 'case' || p.kind !== 'case') throw new Error('not a case');
      const stamped = t(e.deadline) - t(e.reportedAt);
      expect(Math.abs(stamped - (t(p.deadline) - t(p.reportedAt)) / 60)).toBeLessThanOrEqual(1000);
      expect(t(e.reportedAt)).toBeGreaterThanOrEqual(T0 - 1000);
    }
    // handledAt is stamped like every other time: a live 反馈 carries its own (compressed) occurredAt.
    const feedback = live.filter((e) => e.kind === 'case' && e.status === 'feedback');
    expect(feedback.length).toBeGreaterThan(3);
    for (const e of feedback) if (e.kind === 'case') expect(e.handledAt).toBe(e.occurredAt);
    // Backfilled events keep their times before the start.
    const key = (e: IngestEventInput) => `${e.kind}:${e.id}:${e.version}@${e.occurredAt}`;
    expect(rec.all().slice(0, backfilled).map(key)).toEqual(backfillOrder({ seed: 6, scale: 1 }, T0).map(key));
  });

  it('plays on across midnight without loss, a day per take', async () => {
    const cfg = { seed: 9, scale: 1 };
    const start = MIDNIGHT + DAY_MS - 30 * 60_000; // 23:30
    const clock = manualClock(start);
    const rec = recorder(clock);
    sim = createSimulator({ town, clock, submit: rec.submit, ...cfg, speed: 60, tickMs: 5 });
    await sim.start();
    await historyIn(sim);
    const backfilled = rec.all().length;
    for (let k = 0; k < 6; k++) {
      clock.advance(10_000); // 10 virtual minutes each
      const due = backfilled + eventsBetween(town, cfg, start + 1, start + (clock.now() - start) * 60 + 1).length;
      await waitFor(() => rec.all().length === due);
    }
    const key = (e: IngestEventInput) => `${e.kind}:${e.id}:${e.version}`;
    expect(rec.all().slice(backfilled).map(key)).toEqual(eventsBetween(town, cfg, start + 1, start + HOUR_MS + 1).map(key));
    expect(rec.all().slice(0, backfilled).map(key)).toEqual(backfillOrder(cfg, start).map(key));
    expect(rec.all().some((e) => e.id.includes('-20261121-'))).toBe(true); // the new day's entities
    expect(aheadOfClock(rec.batches)).toEqual([]);
  });

  it('logs a failed submit and retries it on the next tick without loss or duplicates; stop() ends it', async () => {
    const clock = manualClock(T0);
    const rec = recorder(clock, { failFirst: 2 });
    const logs: string[] = [];
    sim = createSimulator({ town, clock, submit: rec.submit, seed: 8, scale: 1, speed: 1, tickMs: 5, log: (m) => logs.push(m) });
    await sim.start(); // backfill fails twice, then the ticks deliver it
    clock.advance(30 * 60_000);
    const expected = eventsBetween(town, { seed: 8, scale: 1 }, backfillFrom(T0), clock.now() + 1);
    await waitFor(() => rec.all().length >= expected.length, 25_000);
    // Everything once (the order: yesterday, today and the live half hour first, then the older days).
    const key = (e: IngestEventInput) => `${e.kind}:${e.id}:${e.version}`;
    expect(rec.all().map(key).sort()).toEqual(expected.map(key).sort());
    expect(logs.filter((m) => m.includes('failed')).length).toBe(2);
    sim.stop();
    const n = rec.all().length;
    clock.advance(HOUR_MS);
    await new Promise((r) => setTimeout(r, 50));
    expect(rec.all().length).toBe(n);
  });
});
