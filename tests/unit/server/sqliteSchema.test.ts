// The SQLite file's schema versions: a file of version 3 (before the Open311 list columns of
// version 4) opens as the current version with its entities' columns derived; older files are
// refused with a clear message.
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

  it('refuses a file of an older version, naming it', () => {
    const file = fileOfVersion('v2.sqlite', 2);
    expect(() => openDatabase(file)).toThrow(`${file} was written by an incompatible version (schema 2, expected ${SCHEMA_VERSION}); use a new DATA_DIR`);
  });
});
