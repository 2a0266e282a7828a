// Databases written before the stale mark was kept with each log row (SQLite schema 7, PostgreSQL
// migration 0007) get it computed from their log when opened: a late older version reads back marked,
// the others not (docs/operations.md, "Retention").
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEvent, type IngestEvent } from '#shared/events';
import { manualClock } from '../../server/src/clock';
import { loadTown } from '../../server/src/geo/town';
import { createPostgresStore } from '../../server/src/store/postgres';
import { createSqliteStore } from '../../server/src/store/sqlite';
import { SCHEMA_VERSION } from '../../server/src/store/sqlite/db';
import type { Store } from '../../server/src/store/types';
import { BASE_MS, makeCase } from '../support/events';
import { createTestDatabase } from '../support/pg';

const town = loadTown();
const clock = manualClock(BASE_MS);
const ev = (over: Record<string, unknown>): IngestEvent => {
  const p = parseEvent(makeCase(over));
  if (!p.ok) throw new Error('fixture invalid');
  return p.event;
};
// seq 1: ST-1 v2; seq 2: ST-1 v1, late (stale); seq 3: ST-2 v1; seq 4: ST-1 v3
const commits = [[ev({ id: 'ST-1', version: 2, status: 'dispatched' })], [ev({ id: 'ST-1', version: 1 }), ev({ id: 'ST-2' })], [ev({ id: 'ST-1', version: 3, status: 'dispatched' })]];
const expected = [[1, false], [2, true], [3, false], [4, false]];

async function fill(store: Store) {
  for (const c of commits) await store.log.append(c.map((event) => ({ event, source: 'test' })));
}
const marks = async (store: Store) => (await store.log.readAfter(0, 100)).map((x) => [x.seq, x.stale === true]);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the stale mark of existing databases', () => {
  it('SQLite: a file of schema 6 has it computed when opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onescreen-stale-'));
    dirs.push(dir);
    const file = join(dir, 'onescreen.sqlite');
    const store = await createSqliteStore({ file, geo: town, clock });
    await fill(store);
    expect(await marks(store)).toEqual(expected);
    await store.close();
    // as the previous version left it
    const db = new Database(file);
    db.exec('ALTER TABLE events DROP COLUMN stale');
    db.pragma('user_version = 6');
    db.close();

    const reopened = await createSqliteStore({ file, geo: town, clock });
    try {
      expect(await marks(reopened)).toEqual(expected);
    } finally {
      await reopened.close();
    }
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(after.prepare('SELECT seq, stale FROM events ORDER BY seq').raw().all()).toEqual([[1, 0], [2, 1], [3, 0], [4, 0]]);
    after.close();
  });

  it('PostgreSQL: migration 0007 computes it for the rows stored before', async () => {
    const database = await createTestDatabase();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const store = await createPostgresStore({ url: database.url, geo: town, clock });
      await fill(store);
      expect(await marks(store)).toEqual(expected);
      await store.close();
      // as the previous version left it
      await client.query("ALTER TABLE events DROP COLUMN stale; DELETE FROM pgmigrations WHERE name = '0007_stale-column'");

      const reopened = await createPostgresStore({ url: database.url, geo: town, clock });
      try {
        expect(await marks(reopened)).toEqual(expected);
      } finally {
        await reopened.close();
      }
      const { rows } = await client.query<{ seq: string; stale: boolean }>('SELECT seq, stale FROM events ORDER BY seq');
      expect(rows.map((r) => [Number(r.seq), r.stale])).toEqual(expected);
    } finally {
      await client.end();
      await database.drop();
    }
  });
});
