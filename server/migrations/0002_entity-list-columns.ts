// The entities' first-report instant and label as columns derived from the summary, for the Open311
// requests list (docs/open311.md), as in the SQLite file (server/src/store/sqlite/db.ts, version 4).
// Generated, so the writer (server/src/store/postgres/append.ts) writes them without knowing them.
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
-- The instant of an ISO-8601 time in epoch ms. IMMUTABLE (a generated column needs it) holds for the
-- times stored here: ingest only accepts times with an explicit offset, so the session's TimeZone,
-- which would make a cast to timestamptz only STABLE, never enters.
CREATE FUNCTION onescreen_epoch_ms(iso text) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN round(extract(epoch FROM iso::timestamptz) * 1000)::bigint;

ALTER TABLE entities
  ADD COLUMN started_at bigint GENERATED ALWAYS AS (onescreen_epoch_ms(summary::jsonb ->> 'startedAt')) STORED,
  ADD COLUMN label text COLLATE "C" GENERATED ALWAYS AS (summary::jsonb ->> 'label') STORED;
-- the latest reported first, within a range of first-report instants
CREATE INDEX entities_started ON entities (started_at);
`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql(`
DROP INDEX entities_started;
ALTER TABLE entities DROP COLUMN started_at, DROP COLUMN label;
DROP FUNCTION onescreen_epoch_ms(text);
`);
}
