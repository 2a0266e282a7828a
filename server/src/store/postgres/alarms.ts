// Alarms on PostgreSQL, as on SQLite (server/src/store/sqlite/alarms.ts): a scan in one transaction
// raises what is due (urgent open entities; deadlines passed within OVERDUE_LOOKBACK_MS) and clears
// what closed; an acknowledgement is one conditional UPDATE, so of two officers at once one wins.
// Notes are masked on the way out. A node's first scan checks every entity; each later one only the
// entities committed since and the deadlines passed since (the seq counter, read first, says up to
// where: every commit up to it is visible, as seqs are taken in commit order).
import type pg from 'pg';
import { ALARM_COLUMNS, CHANGED_SINCE, NO_ALARM, overdueFrom, toAlarm, type AlarmRow, type ScanCursor } from '../alarmRows';
import type { AlarmStore } from '../types';
import { transaction } from './pool';

const SELECT = `SELECT ${ALARM_COLUMNS} FROM alarms a JOIN entities e ON e.kind = a.entity_kind AND e.id = a.entity_id`;

/** Entities `e` to check: every one, or (a seq parameter given) those committed after that seq. */
const CHECKED = (seqParam: string | undefined) => seqParam
  ? `WITH ${CHANGED_SINCE(seqParam)} SELECT e.* FROM changed c JOIN entities e ON e.kind = c.kind AND e.id = c.id`
  : 'SELECT * FROM entities';
const RAISE_URGENT = (seq?: string) => `INSERT INTO alarms (kind, entity_kind, entity_id, raised_at)
  SELECT 'urgent', e.kind, e.id, $1 FROM (${CHECKED(seq)}) e WHERE e.open AND e.urgent AND ${NO_ALARM('urgent')} ORDER BY e.kind, e.id
  ON CONFLICT DO NOTHING RETURNING id`;
const RAISE_OVERDUE = (seq?: string) => `INSERT INTO alarms (kind, entity_kind, entity_id, raised_at)
  SELECT 'overdue', e.kind, e.id, $1 FROM (${CHECKED(seq)}) e
  WHERE e.open AND e.due_at <= $1 AND e.due_at > $2 AND e.kind IN ('case', 'ticket') AND ${NO_ALARM('overdue')} ORDER BY e.kind, e.id
  ON CONFLICT DO NOTHING RETURNING id`;
const CLEAR = (seq?: string) => `UPDATE alarms a SET cleared_at = $1 FROM (${CHECKED(seq)}) e
  WHERE e.kind = a.entity_kind AND e.id = a.entity_id AND a.acked_at IS NULL AND a.cleared_at IS NULL AND NOT e.open
  RETURNING a.id`;
const ACK = `WITH a AS (UPDATE alarms SET acked_by = $2, acked_at = $3, note = $4 WHERE id = $1 AND acked_at IS NULL RETURNING *)
  SELECT ${ALARM_COLUMNS} FROM a JOIN entities e ON e.kind = a.entity_kind AND e.id = a.entity_id`;

export function createAlarms(pool: pg.Pool): AlarmStore {
  const byId = async (id: number) => (await pool.query<AlarmRow>(`${SELECT} WHERE a.id = $1`, [id])).rows[0];
  /** Where this node's last scan stopped; none before its first (which checks everything). */
  let last: ScanCursor | undefined;

  return {
    async scan(nowMs) {
      const since = last;
      const { alarms, cursor } = await transaction(pool, async (client) => {
        const { rows: [counter] } = await client.query<{ last: string }>('SELECT last FROM seq_counter');
        const cursor = { seq: Number(counter!.last), nowMs };
        const ids = async (text: string, values: unknown[]) =>
          (await client.query<{ id: number }>(text, values)).rows.map((x) => x.id).sort((a, b) => a - b);
        // as on SQLite: urgent and closed by the entities checked, overdue also by the clock
        const bySeq = since ? ['$2', [since.seq]] as const : [undefined, []] as const;
        const changed = [
          ...await ids(RAISE_URGENT(bySeq[0]), [nowMs, ...bySeq[1]]),
          ...await ids(RAISE_OVERDUE(), [nowMs, overdueFrom(nowMs, since)]),
          ...(since ? await ids(RAISE_OVERDUE('$3'), [nowMs, overdueFrom(nowMs, undefined), since.seq]) : []),
          ...await ids(CLEAR(bySeq[0]), [nowMs, ...bySeq[1]]),
        ];
        if (changed.length === 0) return { alarms: [], cursor };
        const { rows } = await client.query<AlarmRow>(`${SELECT} WHERE a.id = ANY($1::bigint[])`, [changed]);
        const found = new Map(rows.map((r) => [r.id, r]));
        return { alarms: changed.map((id) => toAlarm(found.get(id)!)), cursor };
      });
      // the cursor moves only with a scan that committed
      last = cursor;
      return alarms;
    },

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
