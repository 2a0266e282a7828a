// Retention on SQLite (docs/operations.md, "Retention"): the bottom of the log, in seq order, up to
// the first event stored at or after the cutoff — never a hole, and never the newest event, whose
// seq is where the log goes on after a restart. The earliest occurrence deleted is kept in `meta`,
// so the history the counters cover (ReadModel.oldestOccurrence) does not shrink with the log.
import type Database from 'better-sqlite3';

export function createSqlitePrune(db: Database.Database) {
  const q = {
    head: db.prepare<[number], { seq: number; stored_at: number }>(
      'SELECT seq, stored_at FROM events WHERE seq < (SELECT max(seq) FROM events) ORDER BY seq LIMIT ?'),
    earliest: db.prepare<[number], number | null>('SELECT min(occurred_at) FROM events WHERE seq < ?').pluck(),
    keepEarliest: db.prepare<[string]>(`INSERT INTO meta (key, value) VALUES ('history_from', ?)
      ON CONFLICT (key) DO UPDATE SET value = min(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`),
    delete: db.prepare<[number]>('DELETE FROM events WHERE seq < ?'),
  };
  /** Deletes at most `limit` events stored before `storedBefore` from the bottom of the log; how many it deleted. */
  return (storedBefore: number, limit: number): number =>
    db.transaction(() => {
      const head = q.head.all(limit);
      const stop = head.find((r) => r.stored_at >= storedBefore)?.seq ?? (head.length ? head.at(-1)!.seq + 1 : 0);
      const deleted = head.filter((r) => r.seq < stop).length;
      if (deleted === 0) return 0;
      q.keepEarliest.run(String(q.earliest.get(stop)));
      q.delete.run(stop);
      return deleted;
    })();
}
