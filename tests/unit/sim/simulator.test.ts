import { describe, it, expect, afterEach } from 'vitest';
import type { IngestEventInput } from '../../../shared/src/events';
import { HOUR_MS, shanghaiMidnight } from '../../../shared/src/time';
import { manualClock } from '../../../server/src/clock';
import { loadTown } from '../../../server/src/geo/town';
import { eventsBetween } from '../../../server/src/sim/plan';
import { backfillFrom, createSimulator, type Simulator } from '../../../server/src/sim/simulator';

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

async function waitFor(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

let sim: Simulator | undefined;
afterEach(() => sim?.stop());

describe('simulator', () => {
  it('backfills from yesterday 00:00 up to and including now, in batches of at most 1000', async () => {
    const cfg = { seed: 3, scale: 3 };
    // Start exactly on the instant of a planned event: that event counts as "up to now".
    const now = t(eventsBetween(town, cfg, T0, T0 + HOUR_MS)[0]!.occurredAt);
    const clock = manualClock(now);
    const rec = recorder(clock);
    sim = createSimulator({ town, clock, submit: rec.submit, ...cfg, speed: 1, tickMs: 5 });
    await sim.start();
    const expected = eventsBetween(town, cfg, backfillFrom(now), now + 1); // [yesterday 00:00, now]
    expect(expected.length).toBeGreaterThan(1000);
    expect(rec.all()).toEqual(expected);
    expect(t(rec.all().at(-1)!.occurredAt)).toBe(now);
    expect(rec.batches.length).toBeGreaterThan(1);
    expect(rec.batches.every((b) => b.items.length <= 1000)).toBe(true);
    expect(rec.all().every((e) => t(e.occurredAt) >= backfillFrom(now) && t(e.occurredAt) <= now)).toBe(true);
    expect(sim.stats().submitted).toBe(expected.length);
  });

  it('then submits events as they fall due, in time order, never ahead of the clock', async () => {
    const clock = manualClock(T0);
    const rec = recorder(clock, { delayMs: 8 });
    sim = createSimulator({ town, clock, submit: rec.submit, seed: 5, scale: 1, speed: 1, tickMs: 5 });
    await sim.start();
    const backfilled = rec.all().length;
    for (let k = 0; k < 20; k++) {
      clock.advance(60_000);
      const due = eventsBetween(town, { seed: 5, scale: 1 }, backfillFrom(T0), clock.now() + 1).length;
      await waitFor(() => rec.all().length === due);
    }
    const live = rec.all().slice(backfilled);
    expect(live.length).toBeGreaterThan(10);
    expect(live).toEqual(eventsBetween(town, { seed: 5, scale: 1 }, T0 + 1, clock.now() + 1));
    for (const b of rec.batches) for (const e of b.items) expect(t(e.occurredAt)).toBeLessThanOrEqual(b.at);
    expect(rec.maxInFlight()).toBe(1);
  });

  it('compresses time at speed 60: a virtual hour in a real minute, deadlines 1/60 as far', async () => {
    const clock = manualClock(T0);
    const rec = recorder(clock);
    sim = createSimulator({ town, clock, submit: rec.submit, seed: 6, scale: 1, speed: 60, tickMs: 5 });
    await sim.start();
    const backfilled = rec.all().length;
    for (let k = 0; k < 6; k++) {
      clock.advance(10_000); // 10 real seconds = 10 virtual minutes
      const due = eventsBetween(town, { seed: 6, scale: 1 }, backfillFrom(T0), T0 + (clock.now() - T0) * 60 + 1).length;
      await waitFor(() => rec.all().length === due);
    }
    expect(sim.stats().virtualNow).toBe(T0 + HOUR_MS);
    const live = rec.all().slice(backfilled);
    const planned = eventsBetween(town, { seed: 6, scale: 1 }, T0 + 1, T0 + HOUR_MS + 1);
    expect(live.map((e) => `${e.kind}:${e.id}:${e.version}`)).toEqual(planned.map((e) => `${e.kind}:${e.id}:${e.version}`));
    for (const b of rec.batches) for (const e of b.items) expect(t(e.occurredAt)).toBeLessThanOrEqual(b.at);
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
    // Backfilled events keep their times before the start.
    expect(rec.all().slice(0, backfilled)).toEqual(
      eventsBetween(town, { seed: 6, scale: 1 }, backfillFrom(T0), T0 + 1).map((e) => expect.objectContaining({ id: e.id, occurredAt: e.occurredAt })),
    );
  });

  it('logs a failed submit and retries it on the next tick without loss or duplicates; stop() ends it', async () => {
    const clock = manualClock(T0);
    const rec = recorder(clock, { failFirst: 2 });
    const logs: string[] = [];
    sim = createSimulator({ town, clock, submit: rec.submit, seed: 8, scale: 1, speed: 1, tickMs: 5, log: (m) => logs.push(m) });
    await sim.start(); // backfill fails twice, then the ticks deliver it
    clock.advance(30 * 60_000);
    const expected = eventsBetween(town, { seed: 8, scale: 1 }, backfillFrom(T0), clock.now() + 1);
    await waitFor(() => rec.all().length >= expected.length);
    expect(rec.all()).toEqual(expected);
    expect(logs.filter((m) => m.includes('failed')).length).toBe(2);
    sim.stop();
    const n = rec.all().length;
    clock.advance(HOUR_MS);
    await new Promise((r) => setTimeout(r, 50));
    expect(rec.all().length).toBe(n);
  });
});
