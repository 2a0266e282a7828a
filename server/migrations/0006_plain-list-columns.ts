// The entity list columns of 0002 (first-report instant, label) become plain columns written by the
// commit (server/src/store/postgres/append.ts) from the summary it has already built: computed in the
// database, each entity write parsed the summary as jsonb twice and its time once, about 16 µs of the
// ~40 µs an entity row cost inside the seq lock (docs/BENCHMARKS.md, cluster section). The stored
// values stay. A node of the previous version still writing during a rolling upgrade leaves the two
// NULL on the rows it writes (unlisted by Open311 until written again).
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql('ALTER TABLE entities ALTER COLUMN started_at DROP EXPRESSION, ALTER COLUMN label DROP EXPRESSION;');
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql(`
ALTER TABLE entities DROP COLUMN started_at, DROP COLUMN label;
ALTER TABLE entities
  ADD COLUMN started_at bigint GENERATED ALWAYS AS (onescreen_epoch_ms(summary::jsonb ->> 'startedAt')) STORED,
  ADD COLUMN label text COLLATE "C" GENERATED ALWAYS AS (summary::jsonb ->> 'label') STORED;
CREATE INDEX entities_started ON entities (started_at);
`);
}
