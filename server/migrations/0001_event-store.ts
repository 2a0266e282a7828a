// The PostgreSQL event store (server/src/store/postgres/): the same tables as the SQLite file
// (server/src/store/sqlite/db.ts) plus the one-row seq counter whose row lock serializes writers
// across nodes. Times are epoch milliseconds (bigint). Text columns compare bytewise (COLLATE "C"),
// as SQLite does: counter keys, ids and places sort the same on both backends, and their indexes
// are cheaper than under a linguistic collation.
// node-pg-migrate runs this at start-up (server/src/store/postgres/migrate.ts), in one transaction.
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
-- The last committed seq. Every commit locks this row first (SELECT ... FOR UPDATE): writers of all
-- nodes take turns, so seqs are gapless and become visible in commit order (no sequence: a
-- sequence hands out numbers that a rolled-back transaction leaves as holes).
CREATE TABLE seq_counter (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  last bigint NOT NULL
) WITH (fillfactor = 10);
INSERT INTO seq_counter (one, last) VALUES (true, 0);

-- The log: every stored version of every entity, with the counter change it made (compact delta).
CREATE TABLE events (
  seq bigint PRIMARY KEY,
  kind text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  source text COLLATE "C" NOT NULL,
  stored_at bigint NOT NULL,
  occurred_at bigint NOT NULL,
  body text NOT NULL,
  delta text NOT NULL,
  area text COLLATE "C" NOT NULL,
  nb text COLLATE "C" NOT NULL,
  grid text COLLATE "C" NOT NULL,
  UNIQUE (kind, id, version)
);
-- the latest events by when they happened (snapshot's recent, the town's feed, replay pages);
-- the place indexes end in seq too, so a feed's keyset (occurred_at, seq) is one index range
CREATE INDEX events_occurred ON events (occurred_at, seq);
CREATE INDEX events_area ON events (area, occurred_at, seq);
CREATE INDEX events_nb ON events (nb, occurred_at, seq);
CREATE INDEX events_grid ON events (grid, occurred_at, seq);

-- The current state of every entity (its highest stored version).
CREATE TABLE entities (
  kind text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  seq bigint NOT NULL,
  updated_at bigint NOT NULL,
  open boolean NOT NULL,
  urgent boolean NOT NULL,
  due_at bigint,
  area text COLLATE "C" NOT NULL,
  nb text COLLATE "C" NOT NULL,
  grid text COLLATE "C" NOT NULL,
  address text COLLATE "C" NOT NULL,
  summary text NOT NULL,
  body text NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX entities_updated ON entities (updated_at);
-- covering and partial (open only): overdue counts by kind and place are read from the index alone,
-- and the longest-overdue list and the overdue alarms walk it in due order
CREATE INDEX entities_open_due_cover ON entities (due_at) INCLUDE (kind, area, nb, grid) WHERE open;
CREATE INDEX entities_open_urgent ON entities (updated_at) WHERE open AND urgent;
-- search by exact id, case-insensitive (ASCII, like SQLite's NOCASE)
CREATE INDEX entities_id_lower ON entities (lower(id));

-- Counters by place (docs/domain.md, "The counter model"): a place's hours are one range of the
-- primary key. No other index: every commit writes many rows. Free space on each page lets the
-- count updates be HOT (no index write).
CREATE TABLE rollups (
  place text COLLATE "C" NOT NULL,
  hour integer NOT NULL,
  key text COLLATE "C" NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (place, hour, key)
) WITH (fillfactor = 80);

-- Alarms on entities (server/src/store/postgres/alarms.ts). Ids need not be gapless.
CREATE TABLE alarms (
  id bigserial PRIMARY KEY,
  kind text COLLATE "C" NOT NULL,
  entity_kind text COLLATE "C" NOT NULL,
  entity_id text COLLATE "C" NOT NULL,
  raised_at bigint NOT NULL,
  acked_by text,
  acked_at bigint,
  note text,
  cleared_at bigint,
  UNIQUE (kind, entity_kind, entity_id)
);
CREATE INDEX alarms_active ON alarms (id) WHERE acked_at IS NULL AND cleared_at IS NULL;
`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql(`
DROP TABLE alarms;
DROP TABLE rollups;
DROP TABLE entities;
DROP TABLE events;
DROP TABLE seq_counter;
`);
}
