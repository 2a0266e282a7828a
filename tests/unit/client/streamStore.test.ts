import { watchEffect } from 'vue';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GAUGE_HOUR } from '#shared/model/keys';
import { useGeoStore } from '../../../client/src/stores/geo';
import { useStreamStore } from '../../../client/src/stores/stream';
import { makeCase, makeTicket, next } from '../../support/events';
import { geoFixture, StreamBuilder } from './helpers';

const NOW = Date.parse('2026-11-21T10:30:00+08:00');
const T9 = Date.parse('2026-11-21T09:00:00+08:00');
const hour9 = Math.floor(T9 / 3_600_000);

function setup(limits = { feed: 200, feedAgeMs: 86_400_000, entities: 5_000 }) {
  setActivePinia(createPinia());
  useGeoStore().load(geoFixture); // 片区 of a 居民区: the compact changes are expanded with it
  const store = useStreamStore();
  const resyncs: Array<number | undefined> = [];
  store.start({ heartbeatMs: 1_000, publishMs: 0, limits, onResync: (s) => resyncs.push(s) });
  return { store, resyncs, b: new StreamBuilder(NOW) };
}

describe('stream store', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('loads a snapshot, then applies live events to rollups, entities and feed', () => {
    const { store, b } = setup();
    const first = b.next(makeCase({ id: 'CS-1' }, T9));
    store.handleSync(b.snapshot({ rollups: b.rows(first), recent: [first], entities: [] }));
    expect(store.data.counters.at(hour9, 'case.new')).toBe(1);
    expect(store.data.feed.map((f) => f.id)).toEqual(['CS-1']);

    let published = 0; // views that read the data recompute when the store publishes
    const stop = watchEffect(() => { void store.data; published++; }, { flush: 'sync' });
    const before = published;
    store.handleEvents([b.next(makeCase({ id: 'CS-2', source: 'smart' }, T9)), b.next(makeTicket({ id: 'RX-1' }, T9))]);
    const data = store.data;
    expect(data.counters.at(hour9, 'case.new')).toBe(2);
    expect(data.counters.at(hour9, 'case.new|src:smart')).toBe(1);
    expect(data.counters.at(hour9, 'ticket.new')).toBe(1);
    expect(data.counters.at(GAUGE_HOUR, 'case.open')).toBe(2);
    // every counter at the event's four places: 片区 A1, 居民区 N01, grid GC01 (and the grid breakdown of N01)
    for (const key of ['case.new@A1', 'case.new@N01', 'case.new@GC01', 'case.new|grid:GC01@N01']) expect(data.counters.at(hour9, key)).toBe(2);
    expect(data.counters.at(hour9, 'case.new|src:smart@A1')).toBe(1);
    expect(data.counters.at(GAUGE_HOUR, 'ticket.open@N01')).toBe(1);
    expect(data.counters.at(hour9, 'case.new@*')).toBe(0); // compact keys never reach the counters
    expect(data.entities.get('case:CS-2')?.status).toBe('reported');
    expect(data.feed.map((f) => f.id)).toEqual(['RX-1', 'CS-2', 'CS-1']); // newest first
    // what arrives goes on top, a few minutes late or not; an event hours older (a backfilled day,
    // a source catching up) goes where it happened
    store.handleEvents([b.next(makeCase({ id: 'CS-OLD' }, T9 - 2 * 3600_000)), b.next(makeCase({ id: 'CS-3' }, T9 + 60_000))]);
    store.handleEvents([b.next(makeCase({ id: 'CS-LATE' }, T9 - 5 * 60_000))]);
    expect(store.data.feed.map((f) => f.id)).toEqual(['CS-LATE', 'CS-3', 'RX-1', 'CS-2', 'CS-1', 'CS-OLD']);
    expect(published).toBeGreaterThan(before);
    stop();
    expect(store.appliedSeq()).toBe(6);
  });

  it('moves counters with an entity through its lifecycle, exactly once per seq', () => {
    const { store, b } = setup();
    store.handleSync(b.snapshot());
    const reported = makeCase({ id: 'CS-9' }, T9);
    const e1 = b.next(reported);
    const e2 = b.next(next(reported, 2, T9 + 600_000, { status: 'closed', closedAt: '2026-11-21T09:10:00+08:00', resolvedLevel: 'grid' }));
    store.handleEvents([e1, e2]);
    store.handleEvents([e1, e2]); // duplicate batch: ignored
    const data = store.data;
    expect(data.counters.at(hour9, 'case.new')).toBe(1);
    expect(data.counters.at(hour9, 'case.closed')).toBe(1); // due when it closed, before the deadline
    expect(data.counters.at(hour9, 'case.due@GC01')).toBe(1);
    expect(data.counters.at(hour9 + 24, 'case.due')).toBe(0);
    expect(data.counters.at(GAUGE_HOUR, 'case.open')).toBe(0);
    expect(data.counters.at(GAUGE_HOUR, 'case.open@A1')).toBe(0);
    expect(data.entities.get('case:CS-9')).toMatchObject({ version: 2, open: false });
    expect(store.eventsApplied).toBe(2);
  });

  it('keeps the newer state of an entity when an older version arrives later', () => {
    const { store, b } = setup();
    store.handleSync(b.snapshot());
    const c = makeCase({ id: 'CS-5' }, T9);
    store.handleEvents([b.next(next(c, 3, T9 + 60_000, { status: 'dispatched' })), b.next(next(c, 2, T9 + 30_000, { status: 'accepted' }))]);
    expect(store.data.entities.get('case:CS-5')).toMatchObject({ version: 3, status: 'dispatched' });
  });

  it('never draws a late older version as current, even for an entity it did not hold (the server marks it stale)', () => {
    const { store, b } = setup();
    store.handleSync(b.snapshot()); // the snapshot's 1,000 entities did not include CS-6
    const c = makeCase({ id: 'CS-6' }, T9);
    const late = { ...b.next(next(c, 2, T9 + 30_000, { status: 'accepted' })), stale: true as const };
    store.handleEvents([late]);
    expect(store.data.entities.has('case:CS-6')).toBe(false);
    expect(store.data.feed.map((f) => [f.id, f.version])).toEqual([['CS-6', 2]]); // history still shows in the feed
    store.handleEvents([b.next(next(c, 4, T9 + 90_000, { status: 'handling' }))]);
    expect(store.data.entities.get('case:CS-6')).toMatchObject({ version: 4, status: 'handling' });
  });

  it('asks for a resync on a gap, with the last applied seq, and ignores batches until the sync', () => {
    const { store, b, resyncs } = setup();
    store.handleSync(b.snapshot());
    const e1 = b.next(makeCase({ id: 'A' }, T9));
    b.next(makeCase({ id: 'B' }, T9)); // seq 2 never arrives
    const e3 = b.next(makeCase({ id: 'C' }, T9));
    store.handleEvents([e1, e3]);
    expect(resyncs).toEqual([1]);
    expect(store.data.counters.at(hour9, 'case.new')).toBe(1);
    store.handleEvents([e3]);
    expect(store.data.counters.at(hour9, 'case.new')).toBe(1); // still waiting for the sync

    store.handleSync({ mode: 'resume', fromSeq: 1, toSeq: 3, serverTime: '2026-11-21T10:30:00+08:00' });
    expect(store.data.entities.has('case:A')).toBe(true); // a resume keeps state
  });

  it('asks for a resync when a heartbeat announces a seq it never got', () => {
    const { store, b, resyncs } = setup();
    store.handleSync(b.snapshot());
    store.handleHeartbeat({ seq: 5, serverTime: '2026-11-21T10:30:00+08:00', gauges: { overdue: { town: { case: 2, ticket: 1, inspection: 0 }, A1: { case: 2, ticket: 1, inspection: 0 } } } });
    expect(resyncs).toEqual([0]);
    expect(store.data.gauges.overdue.town!.case).toBe(2);
    expect(store.data.gauges.overdue.A1!.ticket).toBe(1);
  });

  it('bounds the feed by count and the entities by count, dropping closed ones first', () => {
    const { store, b } = setup({ feed: 3, feedAgeMs: 86_400_000, entities: 3 });
    store.handleSync(b.snapshot());
    const closedOld = makeCase({ id: 'OLD' }, T9);
    const batch = [
      b.next(closedOld),
      b.next(next(closedOld, 2, T9 + 1_000, { status: 'closed', closedAt: '2026-11-21T09:00:01+08:00' })),
      ...Array.from({ length: 20 }, (_, i) => b.next(makeCase({ id: `N${i}` }, T9 + 2_000 + i * 1_000))),
    ];
    store.handleEvents(batch);
    const data = store.data;
    expect(data.feed).toHaveLength(3);
    expect(data.feed[0]!.id).toBe('N19');
    data.prune(NOW);
    expect(data.entities.size).toBe(3);
    expect(data.entities.has('case:OLD')).toBe(false);
    expect([...data.entities.keys()]).toEqual(['case:N17', 'case:N18', 'case:N19']);
  });

  it('keeps today\'s counters only, and the gauges; a new day asks for a new snapshot', () => {
    const { store, b, resyncs } = setup();
    const hourOfDay = (h: number) => Math.floor(Date.parse('2026-11-21T00:00:00+08:00') / 3_600_000) + h;
    store.handleSync(b.snapshot({
      rollups: [[hourOfDay(-72), 'case.new', 4], [hourOfDay(-1), 'case.new', 5], [GAUGE_HOUR, 'case.open', 7], [hour9, 'case.new', 2], [hourOfDay(23), 'case.due', 3], [hourOfDay(24), 'case.due', 6]],
    }));
    const c = store.data.counters;
    expect(c.at(hourOfDay(-72), 'case.new')).toBe(0);
    expect(c.at(hourOfDay(-1), 'case.new')).toBe(0);
    expect(c.at(GAUGE_HOUR, 'case.open')).toBe(7);
    expect(c.at(hour9, 'case.new')).toBe(2);
    expect(c.at(hourOfDay(23), 'case.due')).toBe(3); // due later today
    expect(c.at(hourOfDay(24), 'case.due')).toBe(0); // tomorrow
    expect(Object.fromEntries(c.sum(hourOfDay(0), hourOfDay(24)))).toEqual({ 'case.new': 2, 'case.due': 3 });
    expect(store.data.dayStart).toBe(Date.parse('2026-11-21T00:00:00+08:00'));

    vi.setSystemTime(Date.parse('2026-11-22T00:00:05+08:00'));
    store.tick();
    expect(store.synced).toBe(false);
    expect(resyncs).toEqual([undefined]);
    store.handleSync(b.snapshot({ serverTime: '2026-11-22T00:00:05+08:00', rollups: [[hourOfDay(23), 'case.due', 3], [hourOfDay(24), 'case.due', 6]] }));
    expect(store.data.dayStart).toBe(Date.parse('2026-11-22T00:00:00+08:00'));
    expect(store.data.counters.at(hourOfDay(23), 'case.due')).toBe(0);
    expect(store.data.counters.at(hourOfDay(24), 'case.due')).toBe(6);
  });

  it('turns stale after two heartbeat intervals of silence, and live again on the next beat', () => {
    const { store, b } = setup();
    store.setLink('connected');
    store.handleSync(b.snapshot());
    store.handleHeartbeat({ seq: 0, serverTime: '2026-11-21T10:30:00+08:00', gauges: { overdue: {} } });
    expect(store.status).toBe('live');
    vi.advanceTimersByTime(1_900);
    expect(store.stale).toBe(false);
    vi.advanceTimersByTime(400);
    expect(store.stale).toBe(true);
    expect(store.status).toBe('stale');
    store.handleHeartbeat({ seq: 0, serverTime: '2026-11-21T10:30:03+08:00', gauges: { overdue: {} } });
    expect(store.status).toBe('live');
    store.setLink('disconnected');
    expect(store.status).toBe('reconnecting');
    store.stop();
  });

  it('tells entity listeners about snapshots and changes', () => {
    const { store, b } = setup();
    const seen: string[] = [];
    store.onEntities((c) => seen.push(`${c.reset ? 'reset' : 'change'}:${c.changed.length}`));
    store.handleSync(b.snapshot());
    store.handleEvents([b.next(makeCase({ id: 'X' }, T9))]);
    expect(seen).toEqual(['reset:0', 'change:1']);
  });
});
