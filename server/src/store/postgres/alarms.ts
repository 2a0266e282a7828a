// Alarms on PostgreSQL, as on SQLite (server/src/store/sqlite/alarms.ts): a scan in one transaction
// raises what is due (urgent open entities; deadlines passed within OVERDUE_LOOKBACK_MS) and clears
// what closed; an acknowledgement is one conditional UPDATE, so of two officers at once one wins.
// Notes are masked on the way out.
import type pg from 'pg';
import { ALARM_COLUMNS, NO_ALARM, OVERDUE_LOOKBACK_MS, toAlarm, type AlarmRow } from '../alarmRows';
import type { AlarmStore } from '../types';
import { transaction } from './pool';

const SELECT = `SELECT ${ALARM_COLUMNS} FROM alarms a JOIN entities e ON e.kind = a.entity_kind AND e.id = a.entity_id`;

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
  SELECT ${ALARM_COLUMNS} FROM a JOIN entities e ON e.kind = a.entity_kind AND e.id = a.entity_id`;

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

    async openCount() {
      // the partial index alarms_active
      const { rows: [r] } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM alarms WHERE acked_at IS NULL AND cleared_at IS NULL');
      return r!.n;
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
