// SQLite event store, the embedded default (one node): an append-only log with a gapless seq, the
// current state of every entity and hourly counters, all written in one transaction per commit.
// WAL + synchronous=FULL: an item is acknowledged only after its commit is on disk. Commits are made
// by a writer in a worker thread (writer.ts), like every other write; reads use this thread's own
// connection. On a full disk the store is read-only until the disk has room (connections.ts).
import type Database from 'better-sqlite3';
import type { GeoLookup } from '#shared/model/contributions';
import type { Clock } from '../../clock';
import { createGroupCommit } from '../groupCommit';
import { createLocalFeed } from '../localFeed';
import type { AppendItem, AppendResult, Store } from '../types';
import { createSqliteAlarms } from './alarms';
import { EVENT_COLUMNS, toStored, type EventRow } from '../rows';
import { openConnections } from './connections';
import { createSqliteReads } from './reads';
import { lastSeqStatement } from './db';

export interface SqliteStoreOptions {
  file: string;
  /** where each 居民区 lies (its 片区): the writer's copy of the geography */
  geo: GeoLookup & { neighbourhoodIds: readonly string[] };
  clock: Clock;
  /** Items waiting for a commit beyond which append() refuses (back-pressure, a bounded buffer). */
  maxQueued?: number;
  /** How often a store made read-only by a full disk tries to write again. */
  retryMs?: number;
}

/** The main thread's statements, prepared on the reader (again when it is reopened). */
function prepare(db: Database.Database, geo: GeoLookup) {
  return {
    readAfter: db.prepare<[number, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? AND seq <= ? ORDER BY seq`),
    minSeq: db.prepare<[], number>('SELECT coalesce(min(seq), 0) FROM events').pluck(),
    maxSeq: lastSeqStatement(db),
    read: createSqliteReads(db, geo),
    alarms: createSqliteAlarms(db),
  };
}

/** An object whose methods call those of `current()` at the time of the call. */
function forward<T extends object>(shape: T, current: () => T): T {
  const call = (name: keyof T) => (...a: unknown[]) => (current()[name] as (...a: unknown[]) => unknown)(...a);
  return Object.fromEntries(Object.keys(shape).map((name) => [name, call(name as keyof T)])) as T;
}

export async function createSqliteStore({ file, geo, clock, maxQueued = 100_000, retryMs = 5_000 }: SqliteStoreOptions): Promise<Store> {
  const areas = Object.fromEntries(geo.neighbourhoodIds.map((nb) => [nb, geo.areaOf(nb) ?? 'A0']));
  let q!: ReturnType<typeof prepare>;
  // The reader creates or checks the schema before the writer opens the file.
  const conn = await openConnections({ file, areas, clock, retryMs, onReader: (db) => (q = prepare(db, geo)) });
  let lastSeq = q.maxSeq.get() ?? 0;
  const feed = createLocalFeed(lastSeq);

  const group = createGroupCommit<AppendItem, AppendResult>({
    maxQueued,
    async commit(items) {
      const { results, stored } = await conn.ask('commit', { items, storedAt: clock.now() });
      if (stored.length) lastSeq = stored.at(-1)!.seq;
      return { results, after: () => feed.deliver(stored) };
    },
  });

  // Each read goes to the statements of the current reader.
  const read = forward(q.read, () => q.read);
  return {
    kind: 'sqlite',
    writeState: conn.state,
    log: {
      append: (items) => group.submit(items),
      readAfter: async (afterSeq, limit, upTo = Number.MAX_SAFE_INTEGER) => q.readAfter.all(afterSeq, Math.min(upTo, afterSeq + limit)).map(toStored),
      bounds: async () => ({ oldest: q.minSeq.get() ?? 0, latest: lastSeq }),
      observeCommits: group.observe,
      prune: (storedBefore, limit) => conn.ask('prune', { storedBefore, limit }),
    },
    feed,
    read,
    // Reads here; the scan and acknowledgements are writes: the writer makes them. No scan while
    // read-only (deadlines passed meanwhile are raised by the first scan after).
    alarms: {
      scan: async (nowMs) => (conn.state().writable ? conn.ask('scan', { nowMs }) : []),
      active: async (limit) => q.alarms.active(limit),
      openCount: async () => q.alarms.openCount(),
      get: async (id) => q.alarms.get(id),
      ack: (id, who, note, nowMs) => conn.ask('ack', { id, who, note, nowMs }),
    },
    // One process owns the file: it holds every role.
    singleton: { hold: async () => true, release: async () => undefined },
    ping: async () => conn.reader().open && conn.alive(),
    async close() {
      await group.close();
      feed.close();
      await conn.close();
    },
  };
}
