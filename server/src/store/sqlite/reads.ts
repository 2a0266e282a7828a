// The read model of the SQLite store: the parts of a snapshot (counter rows as of a seq, the most
// relevant entities, the latest events, the gauges), an entity's history and the queries.
import type Database from 'better-sqlite3';
import type { GeoLookup } from '#shared/model/contributions';
import { counterKey } from '#shared/model/keys';
import type { StreamCounts } from '#shared/range';
import type { EntitySummary } from '#shared/protocol';
import { gaugesOf, mergeRelevant } from '../readParts';
import type { CounterRow, ReadModel } from '../types';
import { EVENT_COLUMNS, toStored, type EventRow } from '../rows';
import { lastSeqStatement, rollupRowsBetween } from './db';
import { createSqliteQueries } from './queries';

type EntityRaw = [string, string, string];

export function createSqliteReads(db: Database.Database, geo: GeoLookup): ReadModel {
  const q = {
    maxSeq: lastSeqStatement(db),
    rollupRows: rollupRowsBetween(db),
    // the latest by when they happened (a backfill stores older days after newer ones)
    recent: db.prepare<[number, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq <= ? ORDER BY occurred_at DESC, seq DESC LIMIT ?`),
    history: db.prepare<[string, string], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE kind = ? AND id = ? ORDER BY version, seq`),
    overdue: db.prepare<[number, number], EntityRaw>('SELECT kind, id, summary FROM entities WHERE open = 1 AND due_at < ? ORDER BY due_at LIMIT ?').raw(),
    urgentOpen: db.prepare<[number], EntityRaw>('SELECT kind, id, summary FROM entities WHERE open = 1 AND urgent = 1 ORDER BY updated_at DESC LIMIT ?').raw(),
    recentEntities: db.prepare<[number], EntityRaw>('SELECT kind, id, summary FROM entities ORDER BY updated_at DESC LIMIT ?').raw(),
    overdueCounts: db.prepare<[number], { kind: keyof StreamCounts; area: string; nb: string; grid: string; n: number }>(
      'SELECT kind, area, nb, grid, count(*) AS n FROM entities WHERE open = 1 AND due_at < ? GROUP BY kind, area, nb, grid'),
  };
  const queries = createSqliteQueries(db, geo);
  const summaries = (rows: EntityRaw[]) => rows.map(([kind, id, json]) => ({ key: `${kind}:${id}`, summary: JSON.parse(json) as EntitySummary }));

  return {
    // One read transaction (WAL: a consistent snapshot while the writer commits), so the rows are exactly as of its seq.
    counterRows: async (fromHour, toHour) => db.transaction(() => ({
      seq: q.maxSeq.get() ?? 0,
      rows: q.rollupRows(fromHour, toHour).map(([hour, place, key, n]): CounterRow => [hour, counterKey(key, place), n]),
    }))(),
    activeEntities: async (nowMs, limit) =>
      mergeRelevant(limit, (share) => [summaries(q.overdue.all(nowMs, share)), summaries(q.urgentOpen.all(share)), summaries(q.recentEntities.all(limit))]),
    recent: async (limit, upToSeq) => q.recent.all(upToSeq, limit).map(toStored).reverse(),
    gauges: async (nowMs) => gaugesOf(q.overdueCounts.all(nowMs)),
    history: async (kind, id) => q.history.all(kind, id).map(toStored),
    totals: async (...a) => queries.totals(...a),
    newSeries: async (...a) => queries.newSeries(...a),
    oldestOccurrence: async () => queries.oldestOccurrence(),
    replayPage: async (...a) => queries.replayPage(...a),
    replayBase: async (...a) => queries.replayBase(...a),
    feed: async (...a) => queries.feed(...a),
    search: async (...a) => queries.search(...a),
    longestOverdue: async (...a) => queries.longestOverdue(...a),
    entity: async (...a) => queries.entity(...a),
    listEntities: async (...a) => queries.listEntities(...a),
  };
}
