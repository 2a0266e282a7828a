// The pace of live batches: at most `burst` back to back, one per window sustained, and a commit
// that arrives a little early after a late one goes out without waiting.
import { describe, expect, it } from 'vitest';
import { createPace } from '../../../server/src/stream/pace';

/** Drives a pace the way the fan-out does: a commit at each time, sent at once or after the wait. */
function sendTimes(arrivals: number[], windowMs: number, burst?: number): number[] {
  const pace = createPace(windowMs, burst);
  const sent: number[] = [];
  let free = -Infinity; // a commit arriving while an earlier one waits joins it
  for (const at of arrivals) {
    if (at < free) continue;
    const when = at + pace.wait(at);
    pace.spend(when);
    sent.push(when);
    free = when;
  }
  return sent;
}

describe('pace', () => {
  it('sends the first commits of a quiet spell at once, up to the burst', () => {
    const pace = createPace(50, 2);
    expect(pace.wait(1_000)).toBe(0);
    pace.spend(1_000);
    expect(pace.wait(1_001)).toBe(0);
    pace.spend(1_001);
    // both spent: the next waits until one has refilled (a window after the first)
    expect(pace.wait(1_002)).toBeCloseTo(48, 6);
    expect(pace.wait(1_040)).toBeCloseTo(10, 6);
    expect(pace.wait(1_051)).toBe(0);
  });

  it('lets a commit that comes early after a late one go at once', () => {
    // posted every 50 ms, committed with ±15 ms of jitter: 65 ms, then 35 ms apart
    const arrivals = [0, 65, 100, 165, 200, 265, 300];
    expect(sendTimes(arrivals, 50)).toEqual(arrivals);
    // with a burst of one (a plain window) the early ones waited for the window's end
    expect(sendTimes(arrivals, 50, 1)).toEqual([0, 65, 115, 165, 215, 265, 315]);
  });

  it('holds a sustained stream to one batch per window', () => {
    const arrivals = Array.from({ length: 1_000 }, (_, i) => i * 5); // a commit every 5 ms for 5 s
    const sent = sendTimes(arrivals, 50);
    // 2 at once, then one per window: never more than burst + elapsed / window
    sent.forEach((t, i) => expect(i + 1).toBeLessThanOrEqual(2 + t / 50 + 1e-9));
    expect(sent.length).toBeGreaterThanOrEqual(100);
    expect(sent.length).toBeLessThanOrEqual(102);
    const gaps = sent.slice(3).map((t, i) => t - sent[i + 2]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50 - 1e-9);
  });

  it('keeps no more credit than the burst after a long quiet spell', () => {
    const pace = createPace(50, 3);
    for (const t of [0, 1, 2]) {
      expect(pace.wait(t)).toBe(0);
      pace.spend(t);
    }
    expect(pace.wait(3)).toBeGreaterThan(0);
    // an hour later: three at once again, not 72,000
    const later = 3_600_000;
    for (const t of [later, later + 1, later + 2]) {
      expect(pace.wait(t)).toBe(0);
      pace.spend(t);
    }
    expect(pace.wait(later + 3)).toBeCloseTo(47, 6);
  });
});
