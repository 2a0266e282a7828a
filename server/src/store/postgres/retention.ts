// Retention on PostgreSQL (docs/operations.md, "Retention"): the bottom of the log, in seq order, up
// to the first event stored at or after the cutoff — never a hole, and never the newest event — in
// one statement. The earliest occurrence deleted is kept in `meta` (migration 0005), so the history
// the counters cover (ReadModel.oldestOccurrence) does not shrink with the log. Run by the node
// holding the 'retention' role (server/src/store/retention.ts).
import type pg from 'pg';

const PRUNE = `WITH head AS (
  SELECT seq, stored_at FROM events WHERE seq < (SELECT last FROM seq_counter) ORDER BY seq LIMIT $2
), stop AS (
  SELECT coalesce(min(seq) FILTER (WHERE stored_at >= $1), max(seq) + 1) AS seq FROM head
), gone AS (
  DELETE FROM events WHERE seq < (SELECT seq FROM stop) RETURNING occurred_at
), kept AS (
  INSERT INTO meta (key, value) SELECT 'history_from', min(occurred_at) FROM gone HAVING count(*) > 0
  ON CONFLICT (key) DO UPDATE SET value = least(meta.value, excluded.value)
)
SELECT count(*)::int AS deleted FROM gone`;

export async function prune(pool: pg.Pool, storedBefore: number, limit: number): Promise<number> {
  const { rows: [r] } = await pool.query<{ deleted: number }>({ name: 'onescreen_prune', text: PRUNE, values: [storedBefore, limit] });
  return r!.deleted;
}
