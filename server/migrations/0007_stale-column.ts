// Whether a log row is a late older version (a newer version of its entity has a lower seq, so it did
// not move the entity) is written by the commit (server/src/store/postgres/append.ts), which knows it.
// Computed when read, it was lost once retention deleted the newer version and kept the older one, and
// a screen resuming across the two applied the older state. Existing rows get it computed once here.
// A node of the previous version still writing during a rolling upgrade writes the default (false):
// a late older version it stores in that minute reads as moving its entity on a resume.
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
ALTER TABLE events ADD COLUMN stale boolean NOT NULL DEFAULT false;
UPDATE events e SET stale = true
  WHERE EXISTS (SELECT 1 FROM events o WHERE o.kind = e.kind AND o.id = e.id AND o.version > e.version AND o.seq < e.seq);
`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('ALTER TABLE events DROP COLUMN stale;');
}
