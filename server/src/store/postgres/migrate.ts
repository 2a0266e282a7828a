// Start-up: connect once and bring the schema up to date with node-pg-migrate (server/migrations/).
// The runner waits on its advisory lock, so nodes starting at once migrate one after the other and
// the later ones find nothing to do. A failure says which step failed, naming DATABASE_URL.
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { clientConfig } from './pool';
import { describeDatabase, startupError } from './url';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export async function migrate(url: string): Promise<void> {
  describeDatabase(url); // throws a DATABASE_URL message when the URL is malformed
  const client = new pg.Client(clientConfig(url, 'onescreen:migrate'));
  client.on('error', () => {}); // a lost connection fails the step in progress; reported below
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw startupError('cannot connect to PostgreSQL', url, err);
  }
  try {
    await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      migrationsTable: 'pgmigrations',
      direction: 'up',
      advisoryLockMode: 'wait',
      singleTransaction: true,
      checkOrder: true,
      logger: quiet,
    });
  } catch (err) {
    throw startupError('migrating the schema failed', url, err);
  } finally {
    await client.end().catch(() => {});
  }
}
