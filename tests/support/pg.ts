// A throwaway PostgreSQL database for one test file: created empty on the local server (as the
// `postgres` superuser, trust auth; PGHOST/PGPORT override 127.0.0.1:5432) and dropped after,
// its connections terminated first. `reset` empties it between tests (a store must be closed first).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const host = process.env.PGHOST || '127.0.0.1';
const port = Number(process.env.PGPORT || 5432);

async function asAdmin<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host, port, user: 'postgres', database });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  name: string;
  /** Empties every table the migrations made (meta: retention's) and restarts the seq and the alarm ids. */
  reset(): Promise<void>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `onescreen_t_${randomBytes(6).toString('hex')}`;
  await asAdmin('postgres', (c) => c.query(`CREATE DATABASE ${name}`));
  const url = `postgres://postgres@${host}:${port}/${name}`;
  return {
    url,
    name,
    reset: () =>
      asAdmin(name, async (c) => {
        const { rows } = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = 'seq_counter'");
        if (!rows[0]?.n) return; // not migrated yet
        await c.query('TRUNCATE events, entities, rollups, alarms, meta RESTART IDENTITY; UPDATE seq_counter SET last = 0');
      }),
    drop: () =>
      asAdmin('postgres', async (c) => {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}
