// Databases written before search matched the masked address (SQLite schema 4, PostgreSQL before
// migration 0004) get it computed from their stored addresses when opened: afterwards a hidden number
// finds nothing, the masked text and non-personal address text still find their entity. docs/privacy.md
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEvent } from '#shared/events';
import { manualClock } from '../../server/src/clock';
import { loadTown } from '../../server/src/geo/town';
import { planCommit, prepareItems } from '../../server/src/store/commitPlan';
import { createPostgresStore } from '../../server/src/store/postgres';
import { MIGRATIONS_DIR } from '../../server/src/store/postgres/migrate';
import { createSqliteStore } from '../../server/src/store/sqlite';
import { SCHEMA_VERSION } from '../../server/src/store/sqlite/db';
import type { Store } from '../../server/src/store/types';
import { BASE_MS, makeCase } from '../support/events';
import { createTestDatabase } from '../support/pg';

const town = loadTown();
const clock = manualClock(BASE_MS);
// More entities than one batch of the PostgreSQL migration (5,000), each with a phone in its address.
const N = 5_300;
const events = Array.from({ length: N }, (_, i) => {
  const p = parseEvent(makeCase({ id: `MG-${i}`, address: `泉口路${i % 200}弄 联系电话1391234${String(i).padStart(4, '0')}` }));
  if (!p.ok) throw new Error('fixture invalid');
  return p.event;
});

async function fill(store: Store) {
  for (let i = 0; i < N; i += 1000) await store.log.append(events.slice(i, i + 1000).map((event) => ({ event, source: 'test' })));
}

async function expectMaskedSearch(store: Store) {
  const ids = async (q: string) => (await store.read.search(q, 50)).map((r) => r.summary.id);
  expect(await ids('13912340042')).toEqual([]);
  expect(await ids('1391234')).toEqual([]);
  expect(await ids('139****0042')).toEqual(['MG-42']);
  expect(await ids('MG-5299')).toEqual(['MG-5299']);
  expect((await ids('泉口路7弄')).sort()).toEqual(Array.from({ length: N }, (_, i) => i).filter((i) => i % 200 === 7).map((i) => `MG-${i}`).sort());
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('search text of existing databases', () => {
  it('SQLite: a file of schema 4 is brought to the current schema when opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onescreen-migrate-'));
    dirs.push(dir);
    const file = join(dir, 'onescreen.sqlite');
    const store = await createSqliteStore({ file, geo: town, clock });
    await fill(store);
    await store.close();
    // as the previous version left it
    const db = new Database(file);
    db.exec('ALTER TABLE entities DROP COLUMN search_text');
    db.pragma('user_version = 4');
    db.close();

    const reopened = await createSqliteStore({ file, geo: town, clock });
    try {
      await expectMaskedSearch(reopened);
    } finally {
      await reopened.close();
    }
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(after.prepare("SELECT count(*) FROM entities WHERE search_text LIKE '%1391234%' OR search_text NOT LIKE '%139****%'").pluck().get()).toBe(0);
    after.close();
  });

  it('PostgreSQL: migration 0004 fills the column from the stored addresses', async () => {
    const database = await createTestDatabase();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      // the schema before 0004, with the entity rows its writer wrote (the same plan, without search text)
      await runner({ dbClient: client, dir: MIGRATIONS_DIR, migrationsTable: 'pgmigrations', direction: 'up', count: 2, log: () => {} });
      const plan = planCommit({
        items: prepareItems(events.map((event) => ({ event, source: 'test' })), town), lastSeq: 0, storedAt: BASE_MS, geo: town,
        entity: () => undefined, stored: () => false,
      });
      const en = plan.entities;
      await client.query(
        `INSERT INTO entities (kind, id, version, seq, updated_at, open, urgent, due_at, area, nb, grid, address, summary, body)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::bool[], $7::bool[], $8::bigint[],
           $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])`,
        [en.map((e) => e.kind), en.map((e) => e.id), en.map((e) => e.version), en.map((e) => e.seq), en.map((e) => e.updatedAt),
          en.map((e) => e.open), en.map((e) => e.urgent), en.map((e) => e.dueAt), en.map((e) => e.area), en.map((e) => e.nb),
          en.map((e) => e.grid), en.map((e) => e.address), en.map((e) => e.summary), en.map((e) => e.body)],
      );
      const store = await createPostgresStore({ url: database.url, geo: town, clock });
      try {
        await expectMaskedSearch(store);
      } finally {
        await store.close();
      }
      const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM entities WHERE search_text LIKE '%1391234%' OR search_text NOT LIKE '%139****%'");
      expect(rows[0]!.n).toBe(0);
    } finally {
      await client.end();
      await database.drop();
    }
  });
});
