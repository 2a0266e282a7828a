// Retention (docs/operations.md, "Retention"): deleting the bottom of the log must not shrink the
// history the counters cover, so the earliest occurrence ever deleted is kept here
// (server/src/store/postgres/retention.ts), as in the SQLite file's `meta` table.
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
CREATE TABLE meta (
  key text COLLATE "C" PRIMARY KEY,
  value bigint NOT NULL
);
`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE meta;');
}
