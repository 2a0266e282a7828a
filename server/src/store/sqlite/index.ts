// SQLite event store, the embedded default (one node): an append-only log with a gapless seq, the
// current state of every entity and hourly counters, all written in one transaction per commit.
// WAL + synchronous=FULL: an item is acknowledged only after its commit is on disk. Commits are made
// by a writer in a worker thread (writer.ts), like every other write; reads use this thread's own connection.
import type { GeoLookup } from '#shared/model/contributions';
import type { Clock } from '../../clock';
import { createGroupCommit } from '../groupCommit';
import { createLocalFeed } from '../localFeed';
import type { AppendItem, AppendResult, Store } from '../types';
import { createSqliteAlarms } from './alarms';
import { toStored, type EventRow } from '../rows';
import { openDatabase } from './db';
import { createSqliteReads } from './reads';
import { startWriter } from './writerClient';

export interface SqliteStoreOptions {
  file: string;
  /** where each 居民区 lies (its 片区): the writer's copy of the geography */
  geo: GeoLookup & { neighbourhoodIds: readonly string[] };
  clock: Clock;
  /** Items waiting for a commit beyond which append() refuses (back-pressure, a bounded buffer). */
  maxQueued?: number;
}

export async function createSqliteStore({ file, geo, clock, maxQueued = 100_000 }: SqliteStoreOptions): Promise<Store> {
  const db = openDatabase(file); // creates or checks the schema before the writer opens the file
  const readAfter = db.prepare<[number, number], EventRow>('SELECT seq, stored_at, source, body, delta FROM events WHERE seq > ? AND seq <= ? ORDER BY seq');
  const minSeq = db.prepare<[], number>('SELECT coalesce(min(seq), 0) FROM events').pluck();
  const areas = Object.fromEntries(geo.neighbourhoodIds.map((nb) => [nb, geo.areaOf(nb) ?? 'A0']));
  const writer = await startWriter(file, areas);
  let lastSeq = writer.lastSeq;
  const feed = createLocalFeed(lastSeq);

  const group = createGroupCommit<AppendItem, AppendResult>({
    maxQueued,
    async commit(items) {
      const { results, stored } = await writer.ask('commit', { items, storedAt: clock.now() });
      if (stored.length) lastSeq = stored.at(-1)!.seq;
      return { results, after: () => feed.deliver(stored) };
    },
  });

  const alarms = createSqliteAlarms(db);
  return {
    kind: 'sqlite',
    log: {
      append: (items) => group.submit(items),
      readAfter: async (afterSeq, limit, upTo = Number.MAX_SAFE_INTEGER) => readAfter.all(afterSeq, Math.min(upTo, afterSeq + limit)).map(toStored),
      bounds: async () => ({ oldest: minSeq.get() ?? 0, latest: lastSeq }),
      observeCommits: group.observe,
    },
    feed,
    read: createSqliteReads(db, geo),
    // Reads here; the scan and acknowledgements are writes: the writer makes them.
    alarms: {
      scan: (nowMs) => writer.ask('scan', { nowMs }),
      active: async (limit) => alarms.active(limit),
      openCount: async () => alarms.openCount(),
      get: async (id) => alarms.get(id),
      ack: (id, who, note, nowMs) => writer.ask('ack', { id, who, note, nowMs }),
    },
    // One process owns the file: it holds every role.
    singleton: { hold: async () => true, release: async () => undefined },
    ping: async () => db.open && writer.alive(),
    async close() {
      await group.close();
      await writer.close();
      feed.close();
      db.close();
    },
  };
}
