// The PostgreSQL store (the contract: server/src/store/types.ts): several nodes share one database.
// Start-up migrates the schema, then the parts are wired:
// the log appends through a group commit and hands this node's commits to the feed; the feed also
// wakes on NOTIFY (a dedicated LISTEN connection) and on a poll; reads, alarms and pings use a pool;
// cluster roles use their own session.
import type { GeoLookup } from '#shared/model/contributions';
import type { Clock } from '../../clock';
import type { Store } from '../types';
import { createAlarms } from './alarms';
import { COMMIT_CHANNEL } from './append';
import { createFeed, type PostgresFeed } from './feed';
import { listen, type Listener } from './listen';
import { createLog } from './log';
import { migrate } from './migrate';
import { createPool } from './pool';
import { createReadModel } from './read';
import { createSingleton } from './singleton';
import { startupError } from './url';

export interface PostgresStoreOptions {
  /** DATABASE_URL: postgres://user:password@host:5432/database */
  url: string;
  geo: GeoLookup;
  clock: Clock;
  /** Items waiting for a commit beyond which append() refuses (back-pressure, a bounded buffer). */
  maxQueued?: number;
  /** How often the feed reads forward without a notification (a lost NOTIFY only delays). */
  pollMs?: number;
}

const PING_TIMEOUT_MS = 2_000;

export async function createPostgresStore({ url, geo, clock, maxQueued = 100_000, pollMs = 1_000 }: PostgresStoreOptions): Promise<Store> {
  await migrate(url);
  const pool = createPool(url);
  // eslint-disable-next-line prefer-const -- assigned once the start position is known; commits before that have no listener
  let feed: PostgresFeed | undefined;
  const log = createLog({ pool, geo, clock, maxQueued, onCommitted: (events) => feed?.committed(events) });

  // Listen first, then take the position: a commit in between is read forward, not missed.
  let listener: Listener | undefined;
  let start: number;
  try {
    listener = await listen({ url, channel: COMMIT_CHANNEL, onNotify: (payload) => feed?.wake(payload ? Number(payload) : undefined), onListening: () => feed?.wake() });
    start = (await log.bounds()).latest;
  } catch (err) {
    await listener?.close();
    await pool.end().catch(() => {});
    throw startupError('reading the event log failed', url, err);
  }
  feed = createFeed({ start, pollMs, readAfter: log.readAfter });
  const singleton = createSingleton(url);
  let closing: Promise<void> | undefined;

  return {
    kind: 'postgres',
    // A full disk is PostgreSQL's to report: each commit it refuses rejects with DiskError.
    writeState: () => ({ writable: true }),
    log,
    feed,
    read: createReadModel(pool, geo),
    alarms: createAlarms(pool),
    singleton,
    async ping() {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
      const answer = pool.query('SELECT 1').then(() => true, () => false);
      try {
        return await Promise.race([answer, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      // Once: the commits waiting are made (and delivered), then every connection is ended.
      closing ??= (async () => {
        await log.close();
        await feed.close();
        await listener!.close();
        await singleton.close();
        await pool.end();
      })();
      return closing;
    },
  };
}
