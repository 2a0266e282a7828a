// The SQLite file's schema versions: a file of version 3 (before the Open311 list columns of
// version 4) opens as the current version with its entities' columns derived; a file of version 5
// has its entities moved out of a WITHOUT ROWID table (version 6), every row and index kept; older
// and newer files are refused with a clear message.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION } from '../../../server/src/store/sqlite/db';

const dir = mkdtempSync(join(tmpdir(), 'onescreen-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The entities table as version 3 wrote it. */
const ENTITIES_V3 = `CREATE TABLE entities (
  kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, seq INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, open INTEGER NOT NULL, urgent INTEGER NOT NULL, due_at INTEGER,
  area TEXT NOT NULL, nb TEXT NOT NULL, grid TEXT NOT NULL, address TEXT NOT NULL, summary TEXT NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (kind, id)) WITHOUT ROWID`;

function fileOfVersion(name: string, version: number) {
  const file = join(dir, name);
  const db = new Database(file);
  db.exec(ENTITIES_V3);
  const insert = db.prepare("INSERT INTO entities VALUES (?, ?, 1, 1, 0, 1, 0, NULL, 'A1', 'N01', 'GC01', '', ?, '{}')");
  insert.run('case', 'CS-1', JSON.stringify({ label: 'community', startedAt: '2026-11-21T09:30:00+08:00' }));
  insert.run('ticket', 'RX-1', JSON.stringify({ label: '噪音扰民', startedAt: '2026-11-21T01:30:00.250Z' }));
  db.pragma(`user_version = ${version}`);
  db.close();
  return file;
}

describe('the SQLite schema', () => {
  it('brings a version 3 file up to date: first-report instant and label derived from each summary, indexed', () => {
    const db = openDatabase(fileOfVersion('v3.sqlite', 3));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT kind, id, started_at, label FROM entities ORDER BY started_at').all()).toEqual([
      { kind: 'case', id: 'CS-1', started_at: Date.parse('2026-11-21T09:30:00+08:00'), label: 'community' },
      { kind: 'ticket', id: 'RX-1', started_at: Date.parse('2026-11-21T01:30:00.250Z'), label: '噪音扰民' }, // 250 ms later
    ]);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id FROM entities WHERE started_at BETWEEN 0 AND 1 ORDER BY started_at DESC').all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join()).toContain('USING INDEX entities_started');
    db.close();
    // opened again, nothing to do
    const again = openDatabase(join(dir, 'v3.sqlite'));
    expect(again.prepare('SELECT count(*) FROM entities WHERE label IS NOT NULL').pluck().get()).toBe(2);
    again.close();
  });

  it('moves the entities of a version 5 file into an ordinary table: every row, column and index kept, a row in one page', () => {
    const file = fileOfVersion('v5.sqlite', 3);
    const v5 = new Database(file);
    v5.exec(`ALTER TABLE entities ADD COLUMN started_at INTEGER
        GENERATED ALWAYS AS (CAST(round(unixepoch(json_extract(summary, '$.startedAt'), 'subsec') * 1000) AS INTEGER)) VIRTUAL;
      ALTER TABLE entities ADD COLUMN label TEXT GENERATED ALWAYS AS (json_extract(summary, '$.label')) VIRTUAL;
      CREATE INDEX entities_started ON entities (started_at);
      ALTER TABLE entities ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
      UPDATE entities SET search_text = 'masked ' || id, body = '${'x'.repeat(1_500)}';
      CREATE INDEX entities_updated ON entities (updated_at);
      CREATE INDEX entities_open_due_cover ON entities (open, due_at, kind, area, nb, grid);
      CREATE INDEX entities_open_urgent ON entities (open, urgent, updated_at);`);
    v5.pragma('user_version = 5');
    const before = v5.prepare('SELECT * FROM entities ORDER BY kind, id').all();
    v5.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT * FROM entities ORDER BY kind, id').all()).toEqual(before);
    expect(before).toHaveLength(2);
    expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'entities'").pluck().get()).not.toMatch(/WITHOUT ROWID/i);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entities' AND sql IS NOT NULL ORDER BY name").pluck().all())
      .toEqual(['entities_open_due_cover', 'entities_open_urgent', 'entities_started', 'entities_updated']);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'entities_v5'").pluck().get()).toBe(0);
    // a 1.5 KB row stays in its page: no overflow page
    expect(db.prepare("SELECT count(*) FROM dbstat WHERE name = 'entities' AND pagetype = 'overflow'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a file of an older or newer version, naming it', () => {
    const file = fileOfVersion('v2.sqlite', 2);
    expect(() => openDatabase(file)).toThrow(`${file} was written by an incompatible version (schema 2, expected ${SCHEMA_VERSION}); use a new DATA_DIR`);
    const newer = fileOfVersion('v7.sqlite', SCHEMA_VERSION + 1);
    expect(() => openDatabase(newer)).toThrow(`${newer} was written by an incompatible version (schema ${SCHEMA_VERSION + 1}, expected ${SCHEMA_VERSION}); use a new DATA_DIR`);
  });
});
