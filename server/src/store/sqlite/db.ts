// Opening the SQLite file: durability settings and the schema, versioned so an incompatible data
// directory is refused with a clear message instead of failing later.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { maskText } from '#shared/privacy';

export const SCHEMA_VERSION = 7;

/**
 * Version 4: the entities' first-report instant and label as columns derived from the summary, for
 * the Open311 requests list (docs/open311.md). Virtual, so no writer changes and nothing to backfill:
 * a file of version 3 is brought up to date when opened.
 */
const ENTITY_LIST_COLUMNS = `
ALTER TABLE entities ADD COLUMN started_at INTEGER
  GENERATED ALWAYS AS (CAST(round(unixepoch(json_extract(summary, '$.startedAt'), 'subsec') * 1000) AS INTEGER)) VIRTUAL;
ALTER TABLE entities ADD COLUMN label TEXT GENERATED ALWAYS AS (json_extract(summary, '$.label')) VIRTUAL;
CREATE INDEX entities_started ON entities (started_at);
`;

/**
 * Version 5: what search matches besides the id, the address masked as screens see it
 * (docs/privacy.md), so a search cannot find what a screen does not show. Written with every entity
 * row; a file of version 3 or 4 has it computed from the stored addresses when opened.
 */
function addSearchText(db: Database.Database) {
  db.function('onescreen_mask_text', { deterministic: true }, (address: unknown) => maskText(String(address)));
  db.exec(`ALTER TABLE entities ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
    UPDATE entities SET search_text = onescreen_mask_text(address);`);
}

/**
 * Version 6: entities an ordinary (rowid) table. As a WITHOUT ROWID table, a row keeps at most about
 * 1,000 bytes in its b-tree page (a quarter of the page, as in any index); the ~1.1 KB of an entity
 * row spilled into an overflow page of its own, so each entity took two 4 KB pages on disk and every
 * commit rewrote both: 17,600 entities took 66 MB. A file of versions 3 to 5 has its entities copied
 * into the new table when opened.
 */
const ENTITY_COLUMNS = 'kind, id, version, seq, updated_at, open, urgent, due_at, area, nb, grid, address, summary, body, search_text';
function rebuildEntities(db: Database.Database) {
  // one pass over the table, before the server listens: say why a start takes longer this once
  const rows = db.prepare('SELECT count(*) FROM entities').pluck().get() as number;
  if (rows > 0) console.log(`[store] schema 6: copying ${rows} entities into an ordinary table (once)`);
  db.exec(`DROP INDEX entities_updated; DROP INDEX entities_open_due_cover; DROP INDEX entities_open_urgent; DROP INDEX entities_started;
    ALTER TABLE entities RENAME TO entities_v5;`);
  createEntities(db);
  db.exec(`INSERT INTO entities (${ENTITY_COLUMNS}) SELECT ${ENTITY_COLUMNS} FROM entities_v5; DROP TABLE entities_v5;`);
}

/**
 * Version 7: whether a log row is a late older version (a newer version of its entity has a lower
 * seq, so it did not move the entity) is written by the commit, which knows it. Computed when read, it
 * was lost once retention deleted the newer version and kept the older one, and a screen resuming
 * across them applied the older state. A file of an earlier version has it computed once when opened.
 */
function addStale(db: Database.Database) {
  const columns = db.prepare<[], string>("SELECT name FROM pragma_table_info('events')").pluck().all();
  if (!columns.includes('stale')) db.exec('ALTER TABLE events ADD COLUMN stale INTEGER NOT NULL DEFAULT 0');
  db.exec(`UPDATE events AS e SET stale = 1
    WHERE EXISTS (SELECT 1 FROM events o WHERE o.kind = e.kind AND o.id = e.id AND o.version > e.version AND o.seq < e.seq)`);
}

/** The entities table of this version, with every column and index (SCHEMA makes it without the later columns). */
function createEntities(db: Database.Database) {
  db.exec(SCHEMA);
  db.exec(ENTITY_LIST_COLUMNS);
  addSearchText(db);
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
  source TEXT NOT NULL, stored_at INTEGER NOT NULL, occurred_at INTEGER NOT NULL, body TEXT NOT NULL, delta TEXT NOT NULL,
  area TEXT NOT NULL, nb TEXT NOT NULL, grid TEXT NOT NULL, stale INTEGER NOT NULL DEFAULT 0,
  UNIQUE (kind, id, version));
CREATE INDEX IF NOT EXISTS events_occurred ON events (occurred_at, seq);
-- the latest events of a 居民区 or grid, for a feed scoped to it (latest by when they happened)
CREATE INDEX IF NOT EXISTS events_nb ON events (nb, occurred_at);
CREATE INDEX IF NOT EXISTS events_grid ON events (grid, occurred_at);
CREATE TABLE IF NOT EXISTS entities (
  kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, seq INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, open INTEGER NOT NULL, urgent INTEGER NOT NULL, due_at INTEGER,
  area TEXT NOT NULL, nb TEXT NOT NULL, grid TEXT NOT NULL, address TEXT NOT NULL, summary TEXT NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (kind, id));
CREATE INDEX IF NOT EXISTS entities_updated ON entities (updated_at);
-- covering: overdue counts by kind and place are read from the index alone
CREATE INDEX IF NOT EXISTS entities_open_due_cover ON entities (open, due_at, kind, area, nb, grid);
CREATE INDEX IF NOT EXISTS entities_open_urgent ON entities (open, urgent, updated_at);
-- counters by place (docs/domain.md): a place's range is one index range scan (no other index:
-- every commit writes many rows, so each index costs ingest; hours across places are read place by place)
CREATE TABLE IF NOT EXISTS rollups (
  place TEXT NOT NULL, hour INTEGER NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (place, hour, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS alarms (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, entity_kind TEXT NOT NULL, entity_id TEXT NOT NULL,
  raised_at INTEGER NOT NULL, acked_by TEXT, acked_at INTEGER, note TEXT, cleared_at INTEGER,
  UNIQUE (kind, entity_kind, entity_id));
CREATE INDEX IF NOT EXISTS alarms_active ON alarms (id) WHERE acked_at IS NULL AND cleared_at IS NULL;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/**
 * Opens the file. Creating or migrating the schema is the only write, made only when needed, so a
 * start on a full disk can still read (docs/operations.md, "A full disk"). `exclusive`: the WAL index
 * in this connection's memory instead of the -shm file, for a disk too full to make that file; no
 * other connection can open the file meanwhile.
 */
export function openDatabase(file: string, { exclusive = false } = {}): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    if (exclusive) db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    const empty = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get() === 0;
    if (!empty && version !== SCHEMA_VERSION && (version < 3 || version > SCHEMA_VERSION))
      throw new Error(`${file} was written by an incompatible version (schema ${version}, expected ${SCHEMA_VERSION}); use a new DATA_DIR`);
    if (empty || version !== SCHEMA_VERSION)
      db.transaction(() => {
        if (empty) createEntities(db);
        else {
          db.exec(SCHEMA);
          if (version === 3) db.exec(ENTITY_LIST_COLUMNS);
          if (version < 5) addSearchText(db);
          if (version < 6) rebuildEntities(db);
          addStale(db);
        }
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** The last seq stored (0 for an empty log), as a statement on `db`: the log's max, a read of its primary key's last entry. */
export const lastSeqStatement = (db: Database.Database) => db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM events').pluck();

/**
 * Counter rows of hours [fromHour, toHour) and the gauges (hour 0) at every place, as
 * [hour, place, key, count]: place by place through the primary key (a loose index scan finds the places).
 */
export function rollupRowsBetween(db: Database.Database): (fromHour: number, toHour: number) => Array<[number, string, string, number]> {
  const places = db.prepare<[], string>(`WITH RECURSIVE p(place) AS (
      SELECT min(place) FROM rollups UNION ALL SELECT (SELECT min(place) FROM rollups WHERE place > p.place) FROM p WHERE p.place IS NOT NULL)
    SELECT place FROM p WHERE place IS NOT NULL`).pluck();
  const rows = db.prepare<[string, number, number], [number, string, string, number]>(
    'SELECT hour, place, key, count FROM rollups WHERE place = ? AND hour >= ? AND hour < ? AND count != 0').raw();
  return (fromHour, toHour) => places.all().flatMap((place) => [...rows.all(place, 0, 1), ...rows.all(place, fromHour, toHour)]);
}

