// Read models for officers and briefings: range totals from the hourly rollups, the day's events
// in time order for replay, search, the longest-overdue list and one entity's current state.
import type Database from 'better-sqlite3';
import type { IngestEvent } from '../../../shared/src/events';
import type { EntitySummary } from '../../../shared/src/protocol';
import { toStored, type EventRow } from './sqliteDb';
import type { EntityRow, QueryStore } from './types';

const toEntityRow = ([summary, address]: [string, string]): EntityRow => ({ summary: JSON.parse(summary) as EntitySummary, address });

/** LIKE pattern for a user's text: % and _ are literal. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createSqliteQueries(db: Database.Database): QueryStore {
  const q = {
    totals: db.prepare<[number, number], [string, number]>('SELECT key, sum(count) FROM rollups WHERE hour >= ? AND hour < ? GROUP BY key').raw(),
    series: db.prepare<[number, number], [number, string, number]>(
      "SELECT hour, key, count FROM rollups WHERE hour >= ? AND hour < ? AND key IN ('case.new', 'ticket.new', 'insp.done')").raw(),
    replay: db.prepare<[number, number, number, number, number], EventRow & { occurred_at: number }>(
      `SELECT seq, stored_at, occurred_at, source, body, delta FROM events
       WHERE occurred_at >= ? AND occurred_at < ? AND (occurred_at, seq) > (?, ?) ORDER BY occurred_at, seq LIMIT ?`),
    searchId: db.prepare<[string, number], [string, string]>('SELECT summary, address FROM entities WHERE id = ? COLLATE NOCASE LIMIT ?').raw(),
    searchText: db.prepare<[string, string, number], [string, string]>(
      "SELECT summary, address FROM entities WHERE id LIKE ? ESCAPE '\\' OR address LIKE ? ESCAPE '\\' ORDER BY updated_at DESC LIMIT ?").raw(),
    overdue: db.prepare<[number, number], [string, string]>('SELECT summary, address FROM entities WHERE open = 1 AND due_at < ? ORDER BY due_at LIMIT ?').raw(),
    entity: db.prepare<[string, string], string>('SELECT body FROM entities WHERE kind = ? AND id = ?').pluck(),
  };

  return {
    totals(fromHour, toHour) {
      return new Map(q.totals.all(fromHour, toHour));
    },
    newSeries: (fromHour, toHour) => q.series.all(fromHour, toHour),
    replayPage: (fromMs, toMs, after, limit) => q.replay.all(fromMs, toMs, after.occurredAt, after.seq, limit).map((r) => ({ ...toStored(r), occurredAt: r.occurred_at })),
    search(text, limit) {
      const exact = q.searchId.all(text, limit);
      return (exact.length ? exact : q.searchText.all(contains(text), contains(text), limit)).map(toEntityRow);
    },
    longestOverdue: (nowMs, limit) => q.overdue.all(nowMs, limit).map(toEntityRow),
    entity(kind, id) {
      const body = q.entity.get(kind, id);
      return body === undefined ? undefined : (JSON.parse(body) as IngestEvent);
    },
  };
}
