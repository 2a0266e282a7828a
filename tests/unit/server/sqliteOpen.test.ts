// Opening the SQLite file writes nothing once its schema is current (docs/operations.md, "A full
// disk"): a server killed on a full disk must be able to start again, read-only.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION } from '../../../server/src/store/sqlite/db';

const dir = mkdtempSync(join(tmpdir(), 'onescreen-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('opening the SQLite file', () => {
  it('creates the schema once; opened again, it writes no page', () => {
    const file = join(dir, 'onescreen.sqlite');
    const created = openDatabase(file);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0); // the schema, in the WAL
    created.close(); // the last connection checkpoints and empties the WAL
    const watcher = new Database(file, { readonly: true });
    const changes = () => watcher.pragma('data_version', { simple: true }) as number;
    const before = changes();
    const again = openDatabase(file);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(statSync(`${file}-wal`).size).toBe(0);
    expect(changes()).toBe(before);
    again.close();
    watcher.close();
  });

  it('reads through an exclusive connection, the WAL index in its own memory', () => {
    const file = join(dir, 'exclusive.sqlite');
    openDatabase(file).close();
    const db = openDatabase(file, { exclusive: true });
    expect(db.pragma('locking_mode', { simple: true })).toBe('exclusive');
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
    // another connection cannot read meanwhile: nothing else may touch the file
    const other = new Database(file, { timeout: 0 });
    expect(() => other.prepare('SELECT count(*) FROM events').pluck().get()).toThrow(/locked/);
    other.close();
    db.close();
  });
});
