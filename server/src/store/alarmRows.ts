// Alarms as both backends store them: a row of the alarms table joined with its entity's summary,
// turned into what screens get (times in Shanghai time, the note masked), and the SQL pieces the
// scans share. A scan after the first checks only what may have changed since the one before
// (docs/architecture.md, "Alarms").
import type { Alarm, AlarmKind } from '#shared/alarms';
import { maskText } from '#shared/privacy';
import type { EntitySummary } from '#shared/protocol';
import { HOUR_MS, toShanghaiIso } from '#shared/time';

/** Deadlines passed longer ago than this when first seen raise no alarm (e.g. on a first start). */
export const OVERDUE_LOOKBACK_MS = 24 * HOUR_MS;

export interface AlarmRow {
  id: number; kind: AlarmKind; raised_at: number; acked_by: string | null; acked_at: number | null;
  note: string | null; cleared_at: number | null; summary: string;
}

export const toAlarm = (r: AlarmRow): Alarm => {
  const a: Alarm = { id: r.id, kind: r.kind, entity: JSON.parse(r.summary) as EntitySummary, raisedAt: toShanghaiIso(r.raised_at) };
  if (r.acked_by) a.ackedBy = r.acked_by;
  if (r.acked_at) a.ackedAt = toShanghaiIso(r.acked_at);
  if (r.note) a.note = maskText(r.note);
  if (r.cleared_at) a.clearedAt = toShanghaiIso(r.cleared_at);
  return a;
};

/** The columns of an AlarmRow, from alarms `a` joined with entities `e`. */
export const ALARM_COLUMNS = 'a.id, a.kind, a.raised_at, a.acked_by, a.acked_at, a.note, a.cleared_at, e.summary';
/**
 * SQL: entity `e` has no alarm of this kind yet. A scalar subquery, not NOT EXISTS: it cannot be
 * turned into a join, so each candidate costs one probe of the unique (kind, entity_kind, entity_id)
 * index whatever the statistics say. As an anti-join, PostgreSQL planned a fresh database (no
 * ANALYZE yet) as a nested loop over every alarm of the kind for each candidate: 200–280 ms a scan
 * at 1,400 candidates, during ingest (docs/BENCHMARKS.md, cluster section).
 */
export const NO_ALARM = (kind: AlarmKind) =>
  `(SELECT a.id FROM alarms a WHERE a.kind = '${kind}' AND a.entity_kind = e.kind AND a.entity_id = e.id) IS NULL`;

/** Where a scan stopped: every entity committed up to `seq` was checked, and deadlines up to `nowMs`. */
export interface ScanCursor { seq: number; nowMs: number }

/**
 * SQL: a CTE `changed (kind, id)`, the entities of the events committed after seq `param` (an entity
 * once per event: join it first, to entities). Read through the log's primary key: with DISTINCT here
 * SQLite read the whole (kind, id, version) index instead, 12 ms a scan at 33,000 events.
 */
export const CHANGED_SINCE = (param: string) => `changed AS MATERIALIZED (SELECT kind, id FROM events WHERE seq > ${param})`;

/**
 * The lower end of the deadlines a scan at `nowMs` checks: those passed since the last scan (or, for
 * the first, within the lookback), never further back than the lookback. After the clock was set
 * back, the whole lookback again.
 */
export const overdueFrom = (nowMs: number, last: ScanCursor | undefined) =>
  Math.max(nowMs - OVERDUE_LOOKBACK_MS, last && last.nowMs <= nowMs ? last.nowMs : -Infinity);
