// The write side of the SQLite store: the lookups a commit plan needs and the statements that write
// it (log rows, entity upserts, counters summed per row), run inside one transaction.
import type Database from 'better-sqlite3';
import type { IngestEvent } from '#shared/events';
import type { CommitPlan } from '../commitPlan';
import { lastSeqStatement } from './db';

export function createSqliteWrites(db: Database.Database) {
  const q = {
    isStored: db.prepare<[string, string, number], number>('SELECT 1 FROM events WHERE kind = ? AND id = ? AND version = ?').pluck(),
    entity: db.prepare<[string, string], string>('SELECT body FROM entities WHERE kind = ? AND id = ?').pluck(),
    insertEvent: db.prepare('INSERT INTO events (seq, kind, id, version, source, stored_at, occurred_at, body, delta, area, nb, grid, stale) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    upsertEntity: db.prepare(`INSERT INTO entities (kind, id, version, seq, updated_at, open, urgent, due_at, area, nb, grid, address, summary, body, search_text)
      VALUES (@kind, @id, @version, @seq, @updatedAt, @open, @urgent, @dueAt, @area, @nb, @grid, @address, @summary, @body, @searchText)
      ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, seq = excluded.seq, updated_at = excluded.updated_at,
        open = excluded.open, urgent = excluded.urgent, due_at = excluded.due_at, area = excluded.area, nb = excluded.nb,
        grid = excluded.grid, address = excluded.address, summary = excluded.summary, body = excluded.body, search_text = excluded.search_text`),
    bumpRollup: db.prepare<[string, number, string, number]>(
      'INSERT INTO rollups (place, hour, key, count) VALUES (?, ?, ?, ?) ON CONFLICT (place, hour, key) DO UPDATE SET count = count + excluded.count'),
    maxSeq: lastSeqStatement(db),
  };

  return {
    transaction: <T>(fn: () => T) => db.transaction(fn),
    maxSeq: () => q.maxSeq.get() ?? 0,
    isStored: (kind: string, id: string, version: number) => q.isStored.get(kind, id, version) !== undefined,
    entity(kind: string, id: string): IngestEvent | undefined {
      const body = q.entity.get(kind, id);
      return body === undefined ? undefined : (JSON.parse(body) as IngestEvent);
    },
    write(plan: CommitPlan) {
      for (const l of plan.log) {
        const { seq, storedAt, source, event: e, stale } = l.stored;
        q.insertEvent.run(seq, e.kind, e.id, e.version, source, storedAt, l.occurredAt, l.body, l.delta, l.area, l.nb, l.grid, stale ? 1 : 0);
      }
      for (const r of plan.entities) q.upsertEntity.run({ ...r, open: r.open ? 1 : 0, urgent: r.urgent ? 1 : 0 });
      for (const [place, hour, metric, n] of plan.counterRows) q.bumpRollup.run(place, hour, metric, n);
    },
  };
}
