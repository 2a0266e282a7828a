import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IngestEventInput } from '../../../shared/src/events';
import { toShanghaiIso } from '../../../shared/src/time';
import type { ReplayPage, StoredVersion } from '../../../client/src/api';
import { entityCounts } from '../../../client/src/stores/chartData';
import { useDashboardStore } from '../../../client/src/stores/dashboard';
import { useReplayStore } from '../../../client/src/stores/replay';
import { ReplayPlayer } from '../../../client/src/stores/replayPlayer';
import { useStreamStore } from '../../../client/src/stores/stream';
import { makeCase, makeTicket, next } from '../../support/events';
import { parsed, StreamBuilder } from './helpers';

const DAY = '2026-11-21';
const D0 = Date.parse(`${DAY}T00:00:00+08:00`);
const H = 3_600_000;
const NOW = Date.parse('2026-11-22T10:00:00+08:00');

/** A day of versions in event-time order: CS-1 reported 01:00, dispatched 03:00, closed 05:00; one case an hour from 02:00. */
function dayOfEvents(): StoredVersion[] {
  const c = makeCase({ id: 'CS-1' }, D0 + H);
  const list: Array<[number, IngestEventInput]> = [
    [D0 + H, c],
    [D0 + 3 * H, next(c, 2, D0 + 3 * H, { status: 'dispatched', department: '城管中队' })],
    [D0 + 5 * H, next(c, 3, D0 + 5 * H, { status: 'closed', closedAt: toShanghaiIso(D0 + 5 * H), resolvedLevel: 'grid' })],
    ...Array.from({ length: 20 }, (_, i): [number, IngestEventInput] => [D0 + (2 + i) * H + 60_000, makeCase({ id: `CS-H${i}` }, D0 + (2 + i) * H + 60_000)]),
    [D0 + 4 * H, makeTicket({ id: 'RX-1' }, D0 + 4 * H)],
  ];
  list.sort((a, b) => a[0] - b[0]);
  return list.map(([, input], i) => ({ seq: 100 + i, storedAt: toShanghaiIso(NOW), event: parsed(input) }));
}

/** The server's paging: `limit` per page, a cursor while more follow. */
function pager(all: StoredVersion[], limit: number) {
  const calls: Array<string | null> = [];
  const fetchPage = async (_date: string, after: string | null): Promise<ReplayPage> => {
    calls.push(after);
    const from = after === null ? 0 : Number(after);
    const events = all.slice(from, from + limit);
    return { events, next: from + limit < all.length ? String(from + limit) : null };
  };
  return { calls, fetchPage };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('replay player', () => {
  it('applies a day in event-time order up to the clock, never past what is loaded', () => {
    const all = dayOfEvents();
    const p = new ReplayPlayer(DAY, { feed: 5, entities: 1_000, buffer: 1_000 });
    p.append(all.slice(0, 4), false);
    expect(p.frontier).toBe(D0 + 3 * H + 60_000);
    const c1 = p.advanceTo(D0 + 2 * H);
    expect(c1.changed.map((s) => s.id)).toEqual(['CS-1']);
    expect(p.clock).toBe(D0 + 2 * H);
    p.advanceTo(D0 + 10 * H); // only loaded up to 03:01
    expect(p.clock).toBe(D0 + 3 * H + 60_000);
    expect(p.entities.get('case:CS-1')).toMatchObject({ version: 2, status: 'dispatched' });
    p.append(all.slice(4), true);
    p.advanceTo(D0 + 24 * H);
    expect(p.ended).toBe(true);
    expect(p.applied).toBe(all.length);
    expect(p.entities.get('case:CS-1')).toMatchObject({ version: 3, open: false });
    expect(p.feed).toHaveLength(5); // bounded, newest first
    expect(p.feed[0]!.id).toBe('CS-H19');
  });

  it('steps one event at a time and rewinds to 00:00', () => {
    const p = new ReplayPlayer(DAY);
    p.append(dayOfEvents(), true);
    expect(p.step().changed.map((s) => s.id)).toEqual(['CS-1']);
    expect(p.clock).toBe(D0 + H);
    p.step();
    expect(p.clock).toBe(D0 + 2 * H + 60_000);
    expect(p.rewind()).toBe(true);
    expect(p.entities.size).toBe(0);
    expect(p.clock).toBe(D0);
    expect(p.step().changed[0]!.id).toBe('CS-1');
  });

  it('counts the replayed moment\'s entities for the choropleth', () => {
    const p = new ReplayPlayer(DAY);
    p.append(dayOfEvents(), true);
    p.advanceTo(D0 + 4 * H + 30 * 60_000); // CS-1 dispatched (open), CS-H0..H2 open, RX-1 received
    const open = entityCounts(p.entities.values(), 'case.open', () => undefined);
    expect([...open.values()].reduce((a, b) => a + b, 0)).toBe(4);
    expect(entityCounts(p.entities.values(), 'ticket.new', () => undefined)).toEqual(new Map([['N01', 1]]));
    p.advanceTo(D0 + 5 * H); // CS-1 closed
    expect([...entityCounts(p.entities.values(), 'case.open', () => undefined).values()].reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('bounds memory: played events are dropped, and then a rewind needs the pages again', () => {
    const p = new ReplayPlayer(DAY, { feed: 10, entities: 5, buffer: 4 });
    const all = dayOfEvents();
    p.append(all.slice(0, 8), false);
    expect(p.wantsMore).toBe(false); // 8 ahead ≥ buffer 4
    p.advanceTo(D0 + 6 * H);
    expect(p.ahead).toBeLessThan(4);
    expect(p.wantsMore).toBe(true);
    expect(p.entities.size).toBeLessThanOrEqual(5);
    expect(p.rewind()).toBe(false);
    expect(p.loaded).toBe(0);
  });
});

describe('replay store', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
    setActivePinia(createPinia());
  });
  afterEach(() => vi.useRealTimers());

  function setup(limit = 5) {
    const all = dayOfEvents();
    const { calls, fetchPage } = pager(all, limit);
    const replay = useReplayStore();
    replay.configure({ fetchPage, now: () => Date.now() });
    return { replay, calls, all };
  }

  it('loads every page of the day, in order, following the cursor', async () => {
    const { replay, calls, all } = setup(5);
    replay.enter(DAY);
    await settle();
    expect(calls).toEqual([null, '5', '10', '15', '20']);
    expect(replay.loaded).toBe(all.length);
    expect(replay.player!.loadedAll).toBe(true);
    expect(replay.status).toBe('ready');
    expect(replay.clock).toBe(D0);
  });

  it('plays at the chosen speed on the clock, pauses, steps and scrubs; the map hears every change', async () => {
    const { replay } = setup();
    const heard: string[] = [];
    replay.onEntities((c) => heard.push(...c.changed.map((s) => `${s.id}@${s.version}`), ...(c.reset ? ['reset'] : [])));
    replay.enter(DAY);
    await settle();
    replay.setSpeed(3600);
    replay.play();
    vi.advanceTimersByTime(2_000); // 2 s at 3600× = 2 h
    expect(replay.clock).toBe(D0 + 2 * H);
    expect(heard).toContain('CS-1@1');
    replay.pause();
    vi.advanceTimersByTime(5_000);
    expect(replay.clock).toBe(D0 + 2 * H);

    replay.step();
    expect(replay.clock).toBe(D0 + 2 * H + 60_000);
    expect(heard.at(-1)).toBe('CS-H0@1');

    replay.seek(D0 + 5 * H + 30 * 60_000);
    expect(replay.player!.entities.get('case:CS-1')).toMatchObject({ version: 3 });
    replay.seek(D0 + 90 * 60_000); // backwards: the day starts over
    expect(heard).toContain('reset');
    expect(replay.player!.entities.get('case:CS-1')).toMatchObject({ version: 1 });
    expect(replay.clock).toBe(D0 + 90 * 60_000);

    replay.setSpeed(7); // not offered
    expect(replay.speed).toBe(3600);
    replay.play();
    vi.advanceTimersByTime(30_000); // past 24:00: stops at the end of the day
    expect(replay.playing).toBe(false);
    expect(replay.clock).toBe(D0 + 24 * H);
  });

  it('leaves the live stream untouched, and exit returns the feed to live', async () => {
    const { replay } = setup();
    const stream = useStreamStore();
    const dash = useDashboardStore();
    const b = new StreamBuilder(NOW);
    const live = b.next(makeCase({ id: 'LIVE-1' }, NOW - 60_000));
    stream.handleSync(b.snapshot({ rollups: live.delta, recent: [live], entities: [] }));
    expect(dash.feed.map((f) => f.id)).toEqual(['LIVE-1']);

    replay.enter(DAY);
    await settle();
    replay.seek(D0 + 3 * H + 30 * 60_000);
    expect(dash.feed.map((f) => `${f.id}@${f.version}`)).toEqual(['CS-H1@1', 'CS-1@2', 'CS-H0@1', 'CS-1@1']);
    stream.handleEvents([b.next(makeCase({ id: 'LIVE-2' }, NOW))]); // the live stream goes on meanwhile
    stream.publishNow();
    expect(dash.feed[0]!.id).toBe('CS-H1');

    replay.exit();
    expect(replay.active).toBe(false);
    expect(dash.feed.map((f) => f.id)).toEqual(['LIVE-2', 'LIVE-1']);
    expect(stream.data().entities.has('case:CS-1')).toBe(false);
  });
});
