// npm run measure:disk [-- --scale 10 --days 6 --retention 2 --store sqlite|postgres]: plays simulated
// days into a fresh store with retention (tests/support/longRun.ts) and prints what the store holds
// per event kept, per entity and per counter row — the figures of the disk bound in
// docs/operations.md. PostgreSQL: a throwaway database on DATABASE_URL's server (default the local
// one), vacuumed after each day as autovacuum would.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { manualClock } from '../server/src/clock';
import { loadTown } from '../server/src/geo/town';
import { createPostgresStore } from '../server/src/store/postgres';
import { createSqliteStore } from '../server/src/store/sqlite';
import type { Store } from '../server/src/store/types';
import { FIRST_DAY, playDays, sqliteBytes } from '../tests/support/longRun';

const { values: a } = parseArgs({
  options: { scale: { type: 'string', default: '10' }, days: { type: 'string', default: '6' }, retention: { type: 'string', default: '2' }, store: { type: 'string', default: 'sqlite' } },
});
const [scale, days, retentionDays] = [Number(a.scale), Number(a.days), Number(a.retention)];
const town = loadTown();
const clock = manualClock(FIRST_DAY);

interface Sizes { log: number; entities: number; rollups: number; other: number; free: number; wal: number }
let open: () => Promise<{ store: Store; sizes(): Promise<Sizes>; counts(): Promise<{ entities: number; rollups: number }>; done(): Promise<void> }>;

if (a.store === 'postgres') {
  const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `onescreen_measure_${process.pid}`;
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  open = async () => {
    const c = new pg.Client(admin);
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    const store = await createPostgresStore({ url, geo: town, clock });
    const db = new pg.Client(url);
    await db.connect();
    const size = async (t: string) => Number((await db.query(`SELECT pg_total_relation_size('${t}') AS n`)).rows[0].n);
    return {
      store,
      async sizes() {
        await db.query('VACUUM events, entities, rollups');
        return { log: await size('events'), entities: await size('entities'), rollups: await size('rollups'), other: 0, free: 0, wal: 0 };
      },
      counts: async () => ({
        entities: Number((await db.query('SELECT count(*) AS n FROM entities')).rows[0].n),
        rollups: Number((await db.query('SELECT count(*) AS n FROM rollups')).rows[0].n),
      }),
      async done() {
        await db.end();
        await store.close();
        await c.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  };
} else {
  open = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onescreen-measure-'));
    const file = join(dir, 'onescreen.sqlite');
    const store = await createSqliteStore({ file, geo: town, clock });
    const db = new Database(file, { readonly: true });
    const count = (t: string) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    return {
      store,
      sizes: async () => ({ ...sqliteBytes(db), wal: statSync(`${file}-wal`).size }),
      counts: async () => ({ entities: count('entities'), rollups: count('rollups') }),
      async done() {
        db.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

const mb = (n: number) => (n / 2 ** 20).toFixed(1);
const t0 = Date.now();
const s = await open();
console.log(`${a.store}, simulator ×${scale}, ${days} days, RETENTION_DAYS=${retentionDays}`);
console.log('| day | stored | deleted | kept | log MB (+ free) | bytes / event kept | entities | bytes / entity | counter rows | bytes / row | WAL MB |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
try {
  await playDays({ town, store: s.store, clock, scale, days, retentionDays }, async (day, stored, deleted) => {
    const { oldest, latest } = await s.store.log.bounds();
    const kept = latest - oldest + 1;
    const z = await s.sizes();
    const n = await s.counts();
    console.log(`| ${day} | ${stored} | ${deleted} | ${kept} | ${mb(z.log)} (+ ${mb(z.free)}) | ${Math.round(z.log / kept)} | ${n.entities} | ${Math.round(z.entities / n.entities)} | ${n.rollups} | ${Math.round(z.rollups / n.rollups)} | ${mb(z.wal)} |`);
  });
} finally {
  await s.done();
}
console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
