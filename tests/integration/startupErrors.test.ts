// A node whose database or Redis cannot be reached does not start, and says which variable to fix
// (never with the password in the message).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnServer } from '../support/child';
import { freePort } from '../support/cluster';
import { createTestDatabase } from '../support/pg';

const startFails = async (env: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'onescreen-start-'));
  try {
    const s = await spawnServer({ DATA_DIR: dir, ...env });
    s.child.kill('SIGKILL');
    return 'started';
  } catch (err) {
    return (err as Error).message;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

describe('start-up errors', () => {
  it('names DATABASE_URL when PostgreSQL cannot be reached, without its password', async () => {
    const port = await freePort();
    const out = await startFails({ STORE: 'postgres', DATABASE_URL: `postgres://postgres:s3cret-pw@127.0.0.1:${port}/onescreen` });
    expect(out).toMatch(/exited with 1/);
    expect(out).toMatch(new RegExp(`DATABASE_URL: cannot connect to PostgreSQL \\(postgres@127\\.0\\.0\\.1:${port}/onescreen\\)`));
    expect(out).not.toMatch(/s3cret-pw/);
  });

  it('names DATABASE_URL when the database does not exist', async () => {
    const server = `${process.env.PGHOST || '127.0.0.1'}:${process.env.PGPORT || 5432}`; // the machine's, as tests/support/pg.ts
    const out = await startFails({ STORE: 'postgres', DATABASE_URL: `postgres://postgres@${server}/onescreen_no_such_db` });
    expect(out).toMatch(/DATABASE_URL: .*onescreen_no_such_db.*does not exist/);
  });

  it('names REDIS_URL when Redis cannot be reached', async () => {
    const port = await freePort();
    const out = await startFails({ REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(out).toMatch(/exited with 1/);
    expect(out).toMatch(new RegExp(`REDIS_URL: cannot reach Redis at redis://127\\.0\\.0\\.1:${port}`));
  });

  it('names the variable when the configuration is inconsistent', async () => {
    expect(await startFails({ STORE: 'postgres' })).toMatch(/DATABASE_URL: required when STORE=postgres/);
    expect(await startFails({ STORE: 'mysql' })).toMatch(/STORE: Invalid option/);
  });

  it('warns, and starts, when a PostgreSQL node has no REDIS_URL (its alarm changes stay on it)', async () => {
    const db = await createTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'onescreen-start-'));
    try {
      const alone = await spawnServer({ DATA_DIR: dir, STORE: 'postgres', DATABASE_URL: db.url });
      alone.child.kill('SIGKILL');
      expect(alone.output()).toMatch(/REDIS_URL is not set: alarm changes and acknowledgements reach the screens of the node they happen on only/);
      const paired = await spawnServer({ DATA_DIR: dir, STORE: 'postgres', DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:6379' });
      paired.child.kill('SIGKILL');
      expect(paired.output()).not.toMatch(/REDIS_URL is not set/);
      expect(paired.output()).toMatch(/postgres store/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  });
});
