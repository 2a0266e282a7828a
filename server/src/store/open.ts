// The store the configuration names: SQLite in DATA_DIR (embedded, one node) or PostgreSQL at
// DATABASE_URL (several nodes). PostgreSQL's module is loaded only when it is asked for.
import { join } from 'node:path';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { createSqliteStore, type SqliteStoreOptions } from './sqlite';
import type { Store } from './types';

export async function openStore(config: Pick<Config, 'store'>, geo: SqliteStoreOptions['geo'], clock: Clock): Promise<Store> {
  const c = config.store;
  if (c.kind === 'sqlite') return createSqliteStore({ file: join(c.dataDir, 'onescreen.sqlite'), geo, clock });
  const { createPostgresStore } = await import('./postgres');
  return createPostgresStore({ url: c.url, geo, clock });
}
