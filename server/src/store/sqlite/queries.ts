// Read models for officers and briefings: a place's counters over a range, the day's events in time
// order for replay (with the counter change each made at its moment) and the state at the start of
// that day, search, the longest-overdue list and one entity's current state.
import type Database from 'better-sqlite3';
import type { IngestEvent } from '#shared/events';
import { matches } from '#shared/filters';
import { levelOf } from '#shared/model/places';
import { NEW_METRICS, contributions, rollupDelta, type GeoLookup } from '#shared/model/contributions';
import { GAUGE_HOUR, counterKey, type RollupDelta } from '#shared/model/keys';
import type { EntitySummary } from '#shared/protocol';
import { isOverdue, summarize } from '#shared/summary';
import { hourOf, shanghaiDayStart } from '#shared/time';
import { rollupRowsBetween, toStored, type EventRow } from './db';
import type { EntityRow, ReadModel, ReplayBase } from '../types';

/** The queries of the read model, synchronous as better-sqlite3 is (reads.ts makes them the async contract). */
export type SqliteQueries = { [K in QueryName]: (...args: Parameters<ReadModel[K]>) => Awaited<ReturnType<ReadModel[K]>> };
type QueryName = 'totals' | 'newSeries' | 'oldestOccurrence' | 'replayPage' | 'replayBase' | 'feed' | 'search' | 'longestOverdue' | 'entity';

const toEntityRow = ([summary, address]: [string, string]): EntityRow => ({ summary: JSON.parse(summary) as EntitySummary, address });

/** LIKE pattern for a user's text: % and _ are literal. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const SERIES = Object.values(NEW_METRICS);
const FEED_COLUMNS = 'seq, stored_at, occurred_at, source, body, delta';
type FeedRow = EventRow & { occurred_at: number };

export function createSqliteQueries(db: Database.Database, geo: GeoLookup): SqliteQueries {
  const q = {
    totals: db.prepare<[string, number, number], [string, number]>(
      'SELECT key, sum(count) FROM rollups WHERE place = ? AND hour >= ? AND hour < ? GROUP BY key').raw(),
    series: db.prepare<[string, number, number, string, string, string], [number, string, number]>(
      'SELECT hour, key, count FROM rollups WHERE place = ? AND hour >= ? AND hour < ? AND key IN (?, ?, ?)').raw(),
    oldest: db.prepare<[], number | null>('SELECT min(occurred_at) FROM events').pluck(),
    replay: db.prepare<[number, number, number, number, number], EventRow & { occurred_at: number }>(
      `SELECT seq, stored_at, occurred_at, source, body, delta FROM events
       WHERE occurred_at >= ? AND occurred_at < ? AND (occurred_at, seq) > (?, ?) ORDER BY occurred_at, seq LIMIT ?`),
    /** the highest version of an entity among the events before (occurredAt, seq) in replay order */
    stateBefore: db.prepare<[string, string, number, number], string>(
      'SELECT body FROM events WHERE kind = ? AND id = ? AND (occurred_at, seq) < (?, ?) ORDER BY version DESC LIMIT 1').pluck(),
    changedSince: db.prepare<[number], [string, string]>('SELECT DISTINCT kind, id FROM events WHERE occurred_at >= ?').raw(),
    current: db.prepare<[string, string], string>('SELECT body FROM entities WHERE kind = ? AND id = ?').pluck(),
    rowsBetween: rollupRowsBetween(db),
    openBefore: db.prepare<[number], string>('SELECT summary FROM entities WHERE open = 1 AND updated_at < ?').pluck(),
    // The latest events of a place by when they happened, a page at a time below the keyset (occurredAt, seq).
    feedTown: db.prepare<[number, number, number], FeedRow>(
      `SELECT ${FEED_COLUMNS} FROM events WHERE (occurred_at, seq) < (?, ?) ORDER BY occurred_at DESC, seq DESC LIMIT ?`),
    feedArea: db.prepare<[string, number, number, number], FeedRow>(
      `SELECT ${FEED_COLUMNS} FROM events WHERE area = ? AND (occurred_at, seq) < (?, ?) ORDER BY occurred_at DESC, seq DESC LIMIT ?`),
    feedNb: db.prepare<[string, number, number, number], FeedRow>(
      `SELECT ${FEED_COLUMNS} FROM events WHERE nb = ? AND (occurred_at, seq) < (?, ?) ORDER BY occurred_at DESC, seq DESC LIMIT ?`),
    feedGrid: db.prepare<[string, number, number, number], FeedRow>(
      `SELECT ${FEED_COLUMNS} FROM events WHERE grid = ? AND (occurred_at, seq) < (?, ?) ORDER BY occurred_at DESC, seq DESC LIMIT ?`),
    searchId: db.prepare<[string, number], [string, string]>('SELECT summary, address FROM entities WHERE id = ? COLLATE NOCASE LIMIT ?').raw(),
    searchText: db.prepare<[string, string, number], [string, string]>(
      "SELECT summary, address FROM entities WHERE id LIKE ? ESCAPE '\\' OR address LIKE ? ESCAPE '\\' ORDER BY updated_at DESC LIMIT ?").raw(),
    overdue: db.prepare<[number, number], [string, string]>('SELECT summary, address FROM entities WHERE open = 1 AND due_at < ? ORDER BY due_at LIMIT ?').raw(),
    entity: db.prepare<[string, string], string>('SELECT body FROM entities WHERE kind = ? AND id = ?').pluck(),
  };
  const parse = (body: string | undefined) => (body === undefined ? undefined : (JSON.parse(body) as IngestEvent));

  /**
   * The town as of `fromMs` for the hours [fromMs, toMs): today's counters minus what the entities
   * changed since then contribute now, plus what they contributed as they stood then. Exact for any
   * order of arrival (docs/domain.md, "Replay").
   */
  function replayBase(fromMs: number, toMs: number, entityLimit: number): ReplayBase {
    const [fromHour, toHour] = [hourOf(fromMs), Math.ceil(toMs / 3_600_000)];
    const rows = new Map<string, [number, string, number]>();
    const bump = (hour: number, key: string, n: number) => {
      if (hour !== GAUGE_HOUR && (hour < fromHour || hour >= toHour)) return;
      const id = `${hour}\u0000${key}`;
      const r = rows.get(id);
      if (r) r[2] += n;
      else rows.set(id, [hour, key, n]);
    };
    for (const [hour, place, key, n] of q.rowsBetween(fromHour, toHour)) bump(hour, counterKey(key, place), n);
    const changed = new Set<string>();
    const open: EntitySummary[] = [];
    for (const [kind, id] of q.changedSince.all(fromMs)) {
      changed.add(`${kind}:${id}`);
      const now = parse(q.current.get(kind, id));
      const then = parse(q.stateBefore.get(kind, id, fromMs, 0));
      if (now) for (const [hour, key] of contributions(now, geo)) bump(hour, key, -1);
      if (then) {
        for (const [hour, key] of contributions(then, geo)) bump(hour, key, +1);
        const s = summarize(then);
        if (s.open) open.push(s);
      }
    }
    for (const json of q.openBefore.all(fromMs)) {
      const s = JSON.parse(json) as EntitySummary;
      if (!changed.has(`${s.kind}:${s.id}`)) open.push(s);
    }
    const entities = open;
    // Overdue first, then urgent, then the most recently changed: what an officer looks at first.
    const rank = (s: EntitySummary) => (isOverdue(s, fromMs) ? 0 : s.urgent ? 1 : 2);
    entities.sort((a, b) => rank(a) - rank(b) || (a.updatedAt < b.updatedAt ? 1 : -1));
    return { rollups: [...rows.values()].filter((r) => r[2] !== 0), entities: entities.slice(0, entityLimit) };
  }

  return {
    totals(places, fromHour, toHour) {
      const out = new Map<string, number>();
      for (const place of places) for (const [key, n] of q.totals.all(place, fromHour, toHour)) out.set(counterKey(key, place), n);
      return out;
    },
    newSeries: (place, fromHour, toHour) => q.series.all(place, fromHour, toHour, SERIES[0]!, SERIES[1]!, SERIES[2]!),
    oldestOccurrence() {
      const ms = q.oldest.get();
      return ms === null || ms === undefined ? null : shanghaiDayStart(ms);
    },
    replayPage(fromMs, toMs, after, limit) {
      const page = q.replay.all(fromMs, toMs, after.occurredAt, after.seq, limit).map((r) => ({ ...toStored(r), occurredAt: r.occurred_at }));
      // Each event's change as of its moment: against the highest version that came before it in
      // replay order (a late-arriving older version changes nothing).
      const state = new Map<string, IngestEvent | null>();
      for (const ev of page) {
        const key = `${ev.event.kind}:${ev.event.id}`;
        if (!state.has(key)) state.set(key, parse(q.stateBefore.get(ev.event.kind, ev.event.id, ev.occurredAt, ev.seq)) ?? null);
        const before = state.get(key) ?? undefined;
        let delta: RollupDelta = [];
        if (!before || before.version < ev.event.version) {
          delta = rollupDelta(before, ev.event, geo);
          state.set(key, ev.event);
        }
        ev.delta = delta;
      }
      return page;
    },
    replayBase,
    feed({ place, kinds, filters, limit, nowMs, scanLimit }) {
      const level = levelOf(place);
      const page = (at: number, seq: number, n: number): FeedRow[] =>
        level === 'area' ? q.feedArea.all(place, at, seq, n) : level === 'neighbourhood' ? q.feedNb.all(place, at, seq, n)
        : level === 'grid' ? q.feedGrid.all(place, at, seq, n) : q.feedTown.all(at, seq, n);
      const out = [];
      let [at, seq] = [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
      for (let scanned = 0; out.length < limit && scanned < scanLimit;) {
        const rows = page(at, seq, 500);
        for (const r of rows) {
          const s = toStored(r);
          if (kinds.includes(s.event.kind) && matches(filters, summarize(s.event), nowMs)) out.push(s);
          if (out.length >= limit) break;
        }
        if (rows.length < 500) break;
        scanned += rows.length;
        [at, seq] = [rows.at(-1)!.occurred_at, rows.at(-1)!.seq];
      }
      return out;
    },
    search(text, limit) {
      const exact = q.searchId.all(text, limit);
      return (exact.length ? exact : q.searchText.all(contains(text), contains(text), limit)).map(toEntityRow);
    },
    longestOverdue: (nowMs, limit) => q.overdue.all(nowMs, limit).map(toEntityRow),
    entity: (kind, id) => parse(q.entity.get(kind, id)),
  };
}
