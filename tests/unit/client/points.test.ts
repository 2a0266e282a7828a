import { describe, expect, it, vi } from 'vitest';
import type { GeoJSONSourceDiff } from 'maplibre-gl';
import { PointSync, pointFeature, type PointTarget } from '../../../client/src/map/points';
import { Pulse } from '../../../client/src/map/pulse';
import type { EntitySummary } from '#shared/protocol';

const NOW = Date.parse('2026-11-21T10:00:00+08:00');
const summary = (id: string, over: Partial<EntitySummary> = {}): EntitySummary => ({
  kind: 'case', id, version: 1, status: 'reported', urgent: false, lng: 121.36, lat: 31.21, gridId: 'GC01', neighbourhoodId: 'N01',
  label: 'community', startedAt: '2026-11-21T09:00:00+08:00', updatedAt: '2026-11-21T09:00:00+08:00', open: true, ...over,
});

/** A source whose updates resolve only when the test says so. */
function fakeSource() {
  const calls: Array<{ kind: 'set' | 'update'; arg: unknown; done: () => void }> = [];
  const target: PointTarget = {
    setData: (arg) => new Promise<void>((done) => calls.push({ kind: 'set', arg, done })),
    updateData: (arg: GeoJSONSourceDiff) => new Promise<void>((done) => calls.push({ kind: 'update', arg, done })),
  };
  return { target, calls };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('live points', () => {
  it('marks urgent and overdue open entities as alarms', () => {
    expect(pointFeature(summary('a', { urgent: true }), NOW).properties.alarm).toBe(true);
    expect(pointFeature(summary('b', { dueAt: '2026-11-21T09:30:00+08:00' }), NOW).properties.alarm).toBe(true);
    expect(pointFeature(summary('c', { dueAt: '2026-11-21T11:30:00+08:00' }), NOW).properties.alarm).toBe(false);
    expect(pointFeature(summary('d', { urgent: true, open: false }), NOW).properties.alarm).toBe(false);
  });

  it('keeps one update in flight and coalesces what arrives meanwhile into the next diff', async () => {
    const { target, calls } = fakeSource();
    const sync = new PointSync(() => target);
    sync.reset([pointFeature(summary('a'), NOW)]);
    expect(calls.map((c) => c.kind)).toEqual(['set']);
    sync.upsert([pointFeature(summary('b'), NOW)]);
    sync.upsert([pointFeature(summary('c'), NOW)]);
    sync.upsert([pointFeature(summary('b', { version: 2, status: 'closed', open: false }), NOW)]);
    sync.remove(['case:a']);
    expect(calls).toHaveLength(1); // still waiting for the first
    calls[0]!.done();
    await settle();
    expect(calls).toHaveLength(2);
    const diff = calls[1]!.arg as GeoJSONSourceDiff;
    expect(diff.add!.map((f) => f.properties!.key)).toEqual(['case:b', 'case:c']);
    expect(diff.add![0]!.properties!.open).toBe(false);
    expect(diff.remove).toEqual(['case:a']);
    calls[1]!.done();
    await settle();
    expect(calls).toHaveLength(2); // nothing left to send
    expect([...sync.features.keys()]).toEqual(['case:b', 'case:c']);
  });

  it('a reset the user asked for (filter, replay) skips the pacing; one from the stream waits for it', async () => {
    const { target, calls } = fakeSource();
    let now = 0;
    const sync = new PointSync(() => target, 5_000, () => now);
    sync.reset([pointFeature(summary('a'), NOW)]);
    calls[0]!.done();
    await settle();
    now = 100;
    sync.upsert([pointFeature(summary('b'), NOW)]);
    expect(calls).toHaveLength(1); // paced: the next diff waits up to 5 s
    sync.reset([], true);
    expect(calls.map((c) => c.kind)).toEqual(['set', 'set']);
    expect((calls[1]!.arg as { features: unknown[] }).features).toEqual([]);
    calls[1]!.done();
    await settle();
    now = 200;
    sync.reset([pointFeature(summary('c'), NOW)]);
    expect(calls).toHaveLength(2);
    sync.dispose();
  });

  it('waits for the map before sending, then sends everything at once', () => {
    const { target, calls } = fakeSource();
    let ready = false;
    const sync = new PointSync(() => (ready ? target : undefined));
    sync.upsert([pointFeature(summary('a'), NOW)]);
    expect(calls).toHaveLength(0);
    ready = true;
    sync.reset();
    expect(calls[0]).toMatchObject({ kind: 'set' });
    expect((calls[0]!.arg as { features: unknown[] }).features).toHaveLength(1);
  });

  it('pulses at most `max` fresh points, newest first, and removes the rings when they expire', () => {
    vi.useFakeTimers();
    let t = 0;
    const live = new Set<string>();
    const pulse = new Pulse(
      () => ({ addRing: ([lng]) => { const id = String(lng); live.add(id); return () => live.delete(id); } }),
      { durationMs: 1_000, max: 2 }, () => t,
    );
    pulse.add([1, 2, 3].map((i) => pointFeature(summary(`p${i}`, { lng: i }), NOW)));
    expect(pulse.size).toBe(2);
    expect([...live]).toEqual(['2', '3']);
    t = 1_500;
    vi.advanceTimersByTime(1_500);
    expect(pulse.size).toBe(0);
    expect(live.size).toBe(0);
    vi.useRealTimers();
  });

  it('sends at most one diff per interval', async () => {
    vi.useFakeTimers();
    let t = 0;
    const { target, calls } = fakeSource();
    const sync = new PointSync(() => target, 500, () => t);
    sync.reset([]);
    calls[0]!.done();
    await vi.advanceTimersByTimeAsync(0);
    sync.upsert([pointFeature(summary('a'), NOW)]);
    expect(calls).toHaveLength(1); // too soon after the reset
    t = 500;
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toHaveLength(2);
    vi.useRealTimers();
  });
});
