// Alarms as both backends store them: a row of the alarms table joined with its entity's summary,
// turned into what screens get (times in Shanghai time, the note masked), and the SQL pieces the
// scans share.
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
