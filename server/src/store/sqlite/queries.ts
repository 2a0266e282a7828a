// Read models for officers and briefings: a place's counters over a range, the day's events in time
// order for replay (with the counter change each made at its moment) and the state at the start of
// that day, search, the longest-overdue list, one entity's current state and lists of entities (Open311).
import type Database from 'better-sqlite3';
import type { IngestEvent } from '#shared/events';
import { matches } from '#shared/filters';
import { levelOf } from '#shared/model/places';
import { NEW_METRICS, type GeoLookup } from '#shared/model/contributions';
import { counterKey } from '#shared/model/keys';
import type { EntitySummary } from '#shared/protocol';
import { summarize } from '#shared/summary';
import { hourOf, shanghaiDayStart } from '#shared/time';
import { replayBaseOf, replayDeltas } from '../replay';
import { EVENT_COLUMNS, containsPattern, parseBody, toEntityRow, toStored, type EventRow } from '../rows';
import { rollupRowsBetween } from './db';
import type { EntityRow, ReadModel, ReplayBase } from '../types';

/** The queries of the read model, synchronous as better-sqlite3 is (reads.ts makes them the async contract). */
export type SqliteQueries = { [K in QueryName]: (...args: Parameters<ReadModel[K]>) => Awaited<ReturnType<ReadModel[K]>> };
type QueryName = 'totals' | 'newSeries' | 'oldestOccurrence' | 'replayPage' | 'replayBase' | 'feed' | 'search' | 'longestOverdue' | 'entity' | 'listEntities';

const entityRow = ([summary, address]: [string, string]): EntityRow => toEntityRow(summary, address);
const SERIES = Object.values(NEW_METRICS);
const FEED_COLUMNS = `${EVENT_COLUMNS}, occurred_at`;
type FeedRow = EventRow & { occurred_at: number };
/** Parameters of the entity list (ReadModel.listEntities): lists as JSON arrays, a null filter is no filter. */
interface ListParams {
  kinds: string; labels: string | null; open: number | null; from: number; to: number;
  area: string | null; nb: string | null; grid: string | null; limit: number; offset: number;
}

export function createSqliteQueries(db: Database.Database, geo: GeoLookup): SqliteQueries {
  const q = {
    totals: db.prepare<[string, number, number], [string, number]>(
      'SELECT key, sum(count) FROM rollups WHERE place = ? AND hour >= ? AND hour < ? GROUP BY key').raw(),
    series: db.prepare<[string, number, number, string, string, string], [number, string, number]>(
      'SELECT hour, key, count FROM rollups WHERE place = ? AND hour >= ? AND hour < ? AND key IN (?, ?, ?)').raw(),
    // with the earliest occurrence retention deleted (sqlite/retention.ts): the counters still cover it
    oldest: db.prepare<[], number | null>(`SELECT min(ms) FROM (SELECT min(occurred_at) AS ms FROM events
      UNION ALL SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'history_from')`).pluck(),
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
      // the masked address (docs/privacy.md): what a screen does not show cannot be found
      "SELECT summary, address FROM entities WHERE id LIKE ? ESCAPE '\\' OR search_text LIKE ? ESCAPE '\\' ORDER BY updated_at DESC LIMIT ?").raw(),
    overdue: db.prepare<[number, number], [string, string]>('SELECT summary, address FROM entities WHERE open = 1 AND due_at < ? ORDER BY due_at LIMIT ?').raw(),
    entity: db.prepare<[string, string], string>('SELECT body FROM entities WHERE kind = ? AND id = ?').pluck(),
    // the latest reported first, through entities_started (the range of first-report instants)
    list: db.prepare<[ListParams], string>(`SELECT body FROM entities
      WHERE started_at BETWEEN @from AND @to AND kind IN (SELECT value FROM json_each(@kinds))
        AND (@labels IS NULL OR label IN (SELECT value FROM json_each(@labels))) AND (@open IS NULL OR open = @open)
        AND (@area IS NULL OR area = @area) AND (@nb IS NULL OR nb = @nb) AND (@grid IS NULL OR grid = @grid)
      ORDER BY started_at DESC, kind, id LIMIT @limit OFFSET @offset`).pluck(),
  };

  /** The town as of `fromMs` for the hours [fromMs, toMs) (replay.ts). */
  function replayBase(fromMs: number, toMs: number, entityLimit: number): ReplayBase {
    const changed = q.changedSince.all(fromMs).map(([kind, id]) => ({
      kind, id, now: parseBody(q.current.get(kind, id)), then: parseBody(q.stateBefore.get(kind, id, fromMs, 0)),
    }));
    const openBefore = q.openBefore.all(fromMs).map((json) => JSON.parse(json) as EntitySummary);
    return replayBaseOf({ fromMs, toMs, entityLimit, rows: q.rowsBetween(hourOf(fromMs), Math.ceil(toMs / 3_600_000)), changed, openBefore }, geo);
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
      return replayDeltas(page, (ev) => parseBody(q.stateBefore.get(ev.event.kind, ev.event.id, ev.occurredAt, ev.seq)), geo);
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
      return (exact.length ? exact : q.searchText.all(containsPattern(text), containsPattern(text), limit)).map(entityRow);
    },
    longestOverdue: (nowMs, limit) => q.overdue.all(nowMs, limit).map(entityRow),
    entity: (kind, id) => parseBody(q.entity.get(kind, id)),
    listEntities({ kinds, labels, open, fromMs, toMs, place, offset, limit }) {
      const level = levelOf(place);
      return q.list.all({
        kinds: JSON.stringify(kinds), labels: labels ? JSON.stringify(labels) : null, open: open === undefined ? null : Number(open),
        from: fromMs, to: toMs, area: level === 'area' ? place : null, nb: level === 'neighbourhood' ? place : null,
        grid: level === 'grid' ? place : null, limit, offset,
      }).map((body) => JSON.parse(body) as IngestEvent);
    },
  };
}
