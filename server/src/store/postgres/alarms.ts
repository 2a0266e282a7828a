// Alarms on PostgreSQL, as on SQLite (server/src/store/sqlite/alarms.ts): a scan in one transaction
// raises what is due (urgent open entities; deadlines passed within OVERDUE_LOOKBACK_MS) and clears
// what closed; an acknowledgement is one conditional UPDATE, so of two officers at once one wins.
// Notes are masked on the way out.
import type pg from 'pg';
import type { Alarm, AlarmKind } from '#shared/alarms';
import { maskText } from '#shared/privacy';
import type { EntitySummary } from '#shared/protocol';
import { HOUR_MS, toShanghaiIso } from '#shared/time';
import type { AlarmStore } from '../types';
import { transaction } from './pool';

/** Deadlines passed longer ago than this when first seen raise no alarm (e.g. on a first start). */
export const OVERDUE_LOOKBACK_MS = 24 * HOUR_MS;

interface AlarmRow {
  id: number; kind: AlarmKind; raised_at: number; acked_by: string | null; acked_at: number | null;
  note: string | null; cleared_at: number | null; summary: string;
}

const toAlarm = (r: AlarmRow): Alarm => {
  const a: Alarm = { id: r.id, kind: r.kind, entity: JSON.parse(r.summary) as EntitySummary, raisedAt: toShanghaiIso(r.raised_at) };
  if (r.acked_by) a.ackedBy = r.acked_by;
  if (r.acked_at) a.ackedAt = toShanghaiIso(r.acked_at);
  if (r.note) a.note = maskText(r.note);
  if (r.cleared_at) a.clearedAt = toShanghaiIso(r.cleared_at);
  return a;
};

const COLUMNS = 'a.id, a.kind, a.raised_at, a.acked_by, a.acked_at, a.note, a.cleared_at, e.summary';
const SELECT = `SELECT ${COLUMNS} FROM alarms a JOIN entities e ON e.kind = a.entity_kind AND e.id = a.entity_id`;
const NO_ALARM = (kind: AlarmKind) =>
  `NOT EXISTS (SELECT 1 FROM alarms a WHERE a.kind = '${kind}' AND a.entity_kind = e.kind AND a.entity_id = e.id)`;

const RAISE_URGENT = `INSERT INTO alarms (kind, entity_kind, entity_id, raised_at)
  SELECT 'urgent', e.kind, e.id, $1 FROM entities e WHERE e.open AND e.urgent AND ${NO_ALARM('urgent')} ORDER BY e.kind, e.id
  ON CONFLICT DO NOTHING RETURNING id`;
const RAISE_OVERDUE = `INSERT INTO alarms (kind, entity_kind, entity_id, raised_at)
  SELECT 'overdue', e.kind, e.id, $1 FROM entities e
  WHERE e.open AND e.due_at <= $1 AND e.due_at > $2 AND e.kind IN ('case', 'ticket') AND ${NO_ALARM('overdue')} ORDER BY e.kind, e.id
  ON CONFLICT DO NOTHING RETURNING id`;
const CLEAR = `UPDATE alarms a SET cleared_at = $1 FROM entities e
  WHERE e.kind = a.entity_kind AND e.id = a.entity_id AND a.acked_at IS NULL AND a.cleared_at IS NULL AND NOT e.open
  RETURNING a.id`;
const ACK = `WITH a AS (UPDATE alarms SET acked_by = $2, acked_at = $3, note = $4 WHERE id = $1 AND acked_at IS NULL RETURNING *)
  SELECT ${COLUMNS} FROM a JOIN entities e ON e.kind = a.entity_kind AND e.id = a.entity_id`;

export function createAlarms(pool: pg.Pool): AlarmStore {
  const byId = async (id: number) => (await pool.query<AlarmRow>(`${SELECT} WHERE a.id = $1`, [id])).rows[0];

  return {
    scan: (nowMs) =>
      transaction(pool, async (client) => {
        const ids = (r: pg.QueryResult<{ id: number }>) => r.rows.map((x) => x.id).sort((a, b) => a - b);
        const changed = [
          ...ids(await client.query<{ id: number }>(RAISE_URGENT, [nowMs])),
          ...ids(await client.query<{ id: number }>(RAISE_OVERDUE, [nowMs, nowMs - OVERDUE_LOOKBACK_MS])),
          ...ids(await client.query<{ id: number }>(CLEAR, [nowMs])),
        ];
        if (changed.length === 0) return [];
        const { rows } = await client.query<AlarmRow>(`${SELECT} WHERE a.id = ANY($1::bigint[])`, [changed]);
        const found = new Map(rows.map((r) => [r.id, r]));
        return changed.map((id) => toAlarm(found.get(id)!));
      }),

    async active(limit) {
      const { rows } = await pool.query<AlarmRow>(`${SELECT} WHERE a.acked_at IS NULL AND a.cleared_at IS NULL
        ORDER BY a.kind = 'urgent' DESC, a.raised_at, a.id LIMIT $1`, [limit]);
      return rows.map(toAlarm);
    },

    async get(id) {
      const row = await byId(id);
      return row && toAlarm(row);
    },

    async ack(id, who, note, nowMs) {
      const { rows: [won] } = await pool.query<AlarmRow>(ACK, [id, who, nowMs, note ?? null]);
      if (won) return { ok: true, alarm: toAlarm(won) };
      const { rowCount } = await pool.query('SELECT 1 FROM alarms WHERE id = $1', [id]);
      return { ok: false, error: rowCount ? 'already_acknowledged' : 'not_found' };
    },
  };
}
