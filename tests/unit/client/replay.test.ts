import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IngestEvent, IngestEventInput } from '#shared/events';
import type { ReplayPage } from '#shared/http';
import { contributions } from '#shared/model/contributions';
import { computeFigures } from '#shared/model/figures';
import { GAUGE_HOUR, counterKey } from '#shared/model/keys';
import { placeTree } from '#shared/model/places';
import type { StreamEvent } from '#shared/protocol';
import { summarize } from '#shared/summary';
import { hourOf, toShanghaiIso } from '#shared/time';
import { useDashboardStore } from '../../../client/src/stores/dashboard';
import { useGeoStore } from '../../../client/src/stores/geo';
import { useReplayStore } from '../../../client/src/stores/replay';
import { ReplayPlayer } from '../../../client/src/stores/replayPlayer';
import { useStreamStore } from '../../../client/src/stores/stream';
import { bruteFigures, statesOf } from '../../support/bruteForce';
import { makeCase, makeTicket, next } from '../../support/events';
import { geoFixture, lookup, StreamBuilder } from './helpers';

const DAY = '2026-11-21';
const D0 = Date.parse(`${DAY}T00:00:00+08:00`);
const H = 3_600_000;
const NOW = Date.parse('2026-11-22T10:00:00+08:00');
const tree = placeTree(geoFixture);
const N09 = { lng: 121.35, lat: 31.21, gridId: 'GC09', neighbourhoodId: 'N09' };

/**
 * A day as /api/v1/replay serves it. Open since yesterday: OLD-1 (due 20:00, closed on time at 03:40)
 * and OLD-2 (due 02:00, never closed). Today: CS-1 reported 01:00, dispatched 03:00, closed 05:00;
 * one case an hour from 02:01; ticket RX-1 at 04:00; CS-M reported 06:00 in N01 and moved to N09 at
 * 07:00. Events in event-time order, each with its change (compact, or expanded for the move).
 */
function day() {
  const b = new StreamBuilder(NOW);
  const old1 = makeCase({ id: 'OLD-1', deadline: toShanghaiIso(D0 + 20 * H) }, D0 - 4 * H);
  const old2 = makeCase({ id: 'OLD-2', deadline: toShanghaiIso(D0 + 2 * H) }, D0 - 3 * H);
  const c = makeCase({ id: 'CS-1' }, D0 + H);
  const m = makeCase({ id: 'CS-M' }, D0 + 6 * H);
  const list: Array<[number, IngestEventInput]> = [
    [D0 - 4 * H, old1],
    [D0 - 3 * H, old2],
    [D0 + H, c],
    [D0 + 3 * H, next(c, 2, D0 + 3 * H, { status: 'dispatched', department: '城管中队' })],
    [D0 + 3 * H + 40 * 60_000, next(old1, 2, D0 + 3 * H + 40 * 60_000, { status: 'closed', closedAt: toShanghaiIso(D0 + 3 * H + 40 * 60_000) })],
    [D0 + 5 * H, next(c, 3, D0 + 5 * H, { status: 'closed', closedAt: toShanghaiIso(D0 + 5 * H), resolvedLevel: 'grid' })],
    ...Array.from({ length: 20 }, (_, i): [number, IngestEventInput] => [D0 + (2 + i) * H + 60_000, makeCase({ id: `CS-H${i}` }, D0 + (2 + i) * H + 60_000)]),
    [D0 + 4 * H, makeTicket({ id: 'RX-1' }, D0 + 4 * H)],
    [D0 + 6 * H, m],
    [D0 + 7 * H, next(m, 2, D0 + 7 * H, { status: 'dispatched', location: N09 })],
  ];
  list.sort((x, y) => x[0] - y[0]);
  const all = list.map(([, input]) => b.next(input));
  const opening = all.filter((e) => Date.parse(e.event.occurredAt) < D0).map((e) => e.event);
  /** The town as the day began: the open entities and what they contribute (the player keeps the day's hours). */
  const base: NonNullable<ReplayPage['base']> = {
    rollups: opening.flatMap((e) => contributions(e, lookup).map(([h, k]): [number, string, number] => [h, k, 1])),
    entities: opening.map(summarize),
  };
  const events = all.filter((e) => Date.parse(e.event.occurredAt) >= D0);
  return { base, events, versions: all.map((e) => e.event) };
}
const dayOfEvents = (): StreamEvent[] => day().events;

/** The server's paging: `limit` per page, a cursor while more follow; the opening state on the first page. */
function pager(all: StreamEvent[], limit: number, base?: ReplayPage['base']) {
  const calls: Array<string | null> = [];
  const fetchPage = async (_date: string, after: string | null): Promise<ReplayPage> => {
    calls.push(after);
    const from = after === null ? 0 : Number(after);
    const events = all.slice(from, from + limit);
    return { ...(from === 0 && base ? { base } : {}), events, next: from + limit < all.length ? String(from + limit) : null };
  };
  return { calls, fetchPage };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('replay player', () => {
  it('applies a day in event-time order up to the clock, never past what is loaded', () => {
    const all = dayOfEvents();
    const p = new ReplayPlayer(DAY, lookup, { feed: 5, entities: 1_000, buffer: 1_000 }, NOW);
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
    const p = new ReplayPlayer(DAY, lookup);
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

  it('counts from its opening state plus each event\'s change: the figures as of the clock are those of the events so far', () => {
    const { base, events, versions } = day();
    const p = new ReplayPlayer(DAY, lookup, { feed: 10, entities: 1_000, buffer: 1_000 }, NOW);
    const opening = p.append(events.slice(0, 6), false, base);
    expect(opening.reset).toBe(true);
    expect(opening.changed.map((s) => s.id).sort()).toEqual(['OLD-1', 'OLD-2']);
    p.append(events.slice(6), true);
    const from = hourOf(D0);
    const figuresAt = (place: string) => {
      const sums = p.counters.sum(from, hourOf(p.clock) + 1);
      return computeFigures((k) => sums.get(k) ?? 0, place, tree.children(place));
    };
    const gauge = (metric: string, place = 'town') => p.counters.gauges().get(counterKey(metric, place)) ?? 0;

    // 00:00: only the opening state: two cases open, nothing new yet
    expect(figuresAt('town').counts).toMatchObject({ casesNew: 0, casesDue: 0 });
    expect([gauge('case.open'), gauge('case.open@A1'), gauge('case.open@GC01')]).toEqual([2, 2, 2]);

    // 03:45: CS-1, CS-H0 and CS-H1 new; due so far: OLD-2 (02:00, open) and OLD-1 (closed on time at 03:40)
    p.advanceTo(D0 + 3 * H + 45 * 60_000);
    expect(figuresAt('town').counts).toMatchObject({ casesNew: 3, casesDue: 2, casesClosed: 1, casesOnTime: 1, funnelDispatched: 1 });
    expect(figuresAt('town').rates).toMatchObject({ closure: 0.5, onTime: 0.5 });
    expect(gauge('case.open')).toBe(4); // OLD-2, CS-1, CS-H0, CS-H1

    // 07:30: CS-M moved to N09 (片区 A2): counted there, no longer in N01
    p.advanceTo(D0 + 7 * H + 30 * 60_000);
    const town = figuresAt('town');
    expect(town.counts).toMatchObject({ casesNew: 8, ticketsNew: 1, ticketsFcDue: 1, ticketsFcOnTime: 0 });
    expect(town.children!.items.map((i) => [i.id, i.case])).toEqual([['A1', 7], ['A2', 1], ['A3', 0], ['A4', 0]]);
    expect(figuresAt('N09').counts.casesNew).toBe(1);
    expect(figuresAt('N01').counts.casesNew).toBe(7);
    expect(gauge('case.open@N09')).toBe(1);

    // at any moment and place: equal to a count entity by entity of the versions occurred by then
    for (const clock of [D0 + 2 * H, D0 + 5 * H, D0 + 7 * H + 30 * 60_000, D0 + 13 * H + 5 * 60_000, D0 + 24 * H]) {
      p.advanceTo(clock);
      const states: IngestEvent[] = statesOf(versions, p.clock);
      for (const place of ['town', 'A1', 'A2', 'N01', 'N09', 'GC01', 'GC09']) {
        const f = figuresAt(place);
        const b = bruteFigures(states, from, Math.min(hourOf(p.clock) + 1, from + 24), place, tree);
        expect(f.counts, `${place} at ${toShanghaiIso(p.clock)}`).toEqual(b.counts);
        expect(f.rates).toEqual(b.rates);
        expect(Object.fromEntries((f.children?.items ?? []).map((i) => [i.id, [i.case, i.ticket, i.inspection]]))).toEqual(b.children);
        expect([gauge('case.open', place), gauge('ticket.open', place), gauge('insp.rectifying', place)]).toEqual(b.open);
      }
    }
    expect(p.ended).toBe(true);
    expect(p.counters.at(GAUGE_HOUR, 'case.open')).toBe(22); // OLD-2, CS-M and the 20 hourly cases still open
  });

  it('rewinds to the opening state, not to an empty town', () => {
    const { base, events } = day();
    const p = new ReplayPlayer(DAY, lookup, undefined, NOW);
    p.append(events, true, base);
    p.advanceTo(D0 + 12 * H);
    expect(p.rewind()).toBe(true);
    expect([...p.entities.keys()].sort()).toEqual(['case:OLD-1', 'case:OLD-2']);
    expect(p.counters.gauges().get('case.open')).toBe(2);
    expect(p.counters.sum(hourOf(D0), hourOf(D0) + 24).get('case.new')).toBeUndefined();
    p.advanceTo(D0 + 3 * H + 45 * 60_000);
    expect(p.counters.gauges().get('case.open')).toBe(4);
  });

  it('bounds memory: played events are dropped, and then a rewind needs the pages again', () => {
    const p = new ReplayPlayer(DAY, lookup, { feed: 10, entities: 5, buffer: 4 });
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
    useGeoStore().load(geoFixture);
  });
  afterEach(() => vi.useRealTimers());

  function setup(limit = 5) {
    const { events: all, base } = day();
    const { calls, fetchPage } = pager(all, limit, base);
    const replay = useReplayStore();
    replay.configure({ fetchPage, now: () => Date.now() });
    return { replay, calls, all };
  }

  it('loads every page of the day, in order, following the cursor', async () => {
    const { replay, calls, all } = setup(5);
    replay.enter(DAY);
    await settle();
    expect(calls).toEqual([null, '5', '10', '15', '20', '25']);
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
    heard.length = 0;
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

  it('draws the screen from the replayed day as of the clock: cards, trend, overdue, no 环比', async () => {
    const { replay } = setup();
    const dash = useDashboardStore();
    replay.enter(DAY);
    await settle();
    replay.seek(D0 + 3 * H + 45 * 60_000);
    const v = dash.view!;
    expect(v.mode).toBe('replay');
    expect(v.figures.counts).toMatchObject({ casesNew: 3, casesDue: 2, casesClosed: 1 });
    expect(v.open).toEqual({ case: 4, ticket: 0, inspection: 0 });
    expect(v.overdue).toEqual({ case: 1, ticket: 0, inspection: 0 }); // OLD-2, due at 02:00
    const cards = new Map(dash.kpis.map((c) => [c.id, c]));
    expect(cards.get('cases')).toMatchObject({ value: 3, change: null });
    expect(cards.get('closure')).toMatchObject({ value: 0.5, change: null });
    expect(cards.get('overdue')).toMatchObject({ value: 1, alert: true });
    expect(dash.trend.today.slice(0, 5)).toEqual([0, 1, 1, 1, null]);
    expect(dash.ranking!.items[0]).toMatchObject({ id: 'A1', value: 3 });
  });

  it('leaves the live stream untouched, and exit returns the feed to live', async () => {
    const { replay } = setup();
    const stream = useStreamStore();
    const dash = useDashboardStore();
    const b = new StreamBuilder(NOW);
    const live = b.next(makeCase({ id: 'LIVE-1' }, NOW - 60_000));
    stream.handleSync(b.snapshot({ rollups: b.rows(live), recent: [live], entities: [] }));
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
    expect(stream.data.entities.has('case:CS-1')).toBe(false);
  });
});
