// The harness of the store contract (server/src/store/types.ts), run on both backends: SQLite on a
// temp file and PostgreSQL on a throwaway database (tests/support/pg.ts); values are checked against
// brute force (tests/contract/brute.ts) over a seeded random town log. The suite is split by role:
// log.test.ts (log and commit feed), read.test.ts (read model), roles.test.ts (alarms, singleton,
// PostgreSQL as several nodes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import type { IngestEvent } from '#shared/events';
import { HOUR_MS, hourOf } from '#shared/time';
import { manualClock, type Clock } from '../../server/src/clock';
import { loadTown } from '../../server/src/geo/town';
import { createPostgresStore } from '../../server/src/store/postgres';
import { createSqliteStore } from '../../server/src/store/sqlite';
import type { AppendResult, Store, StoredEvent } from '../../server/src/store/types';
import { BASE_MS } from '../support/events';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { add, type Sums } from './brute';
import { DAY0, calls, toEvent } from './generate';

export const town = loadTown();
export const NOW = BASE_MS + 3 * HOUR_MS; // 12:00 on the day of the generated log
export const [FROM_HOUR, TO_HOUR] = [hourOf(DAY0), hourOf(DAY0) + 24];

export interface Harness {
  /** A store on this test's database; called again, another node on the same database (PostgreSQL). */
  open(opts?: { clock?: Clock; pollMs?: number; url?: string }): Promise<Store>;
  /** A store on a database of its own (for a group of tests sharing one log); dispose drops it. */
  isolated(): Promise<{ store: Store; dispose(): Promise<void> }>;
  /** An empty database for the next test. */
  fresh(): Promise<void>;
  destroy(): Promise<void>;
  db?: TestDatabase;
}

export const backends: Array<{ name: 'sqlite' | 'postgres'; init(): Promise<Harness> }> = [
  {
    name: 'sqlite',
    async init() {
      const dir = mkdtempSync(join(tmpdir(), 'onescreen-contract-'));
      let n = 0;
      let file = join(dir, 'store-0.sqlite');
      return {
        open: (o) => createSqliteStore({ file, geo: town, clock: o?.clock ?? manualClock(NOW) }),
        async isolated() {
          const store = await createSqliteStore({ file: join(dir, 'isolated.sqlite'), geo: town, clock: manualClock(NOW) });
          return { store, dispose: () => store.close() };
        },
        fresh: async () => void (file = join(dir, `store-${++n}.sqlite`)),
        destroy: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres',
    async init() {
      const db = await createTestDatabase();
      return {
        db,
        open: (o) => createPostgresStore({ url: o?.url ?? db.url, geo: town, clock: o?.clock ?? manualClock(NOW), pollMs: o?.pollMs ?? 100 }),
        async isolated() {
          const own = await createTestDatabase();
          const store = await createPostgresStore({ url: own.url, geo: town, clock: manualClock(NOW) });
          return { store, dispose: async () => (await store.close(), await own.drop()) };
        },
        fresh: () => db.reset(),
        destroy: () => db.drop(),
      };
    },
  },
];

export const item = (event: IngestEvent, source = 'test') => ({ event, source });
export const ev = (input: Parameters<typeof toEvent>[0]) => toEvent(input);

export async function waitFor(cond: () => boolean, ms = 5_000, what = 'condition') {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Appends in concurrent calls of up to maxCall items; the results in the events' order. */
export async function appendAll(s: Store, events: readonly IngestEvent[], maxCall = 40, seed = 7): Promise<AppendResult[]> {
  const parts = calls(events, maxCall, seed);
  return (await Promise.all(parts.map((p) => s.log.append(p.map((e) => item(e)))))).flat();
}

/**
 * Appends through `submitters` concurrent senders (spread over the stores, the nodes), each sending
 * its calls one after the other: commits interleave, within a node and across nodes.
 */
export async function submitAll(stores: readonly Store[], submitters: number, parts: ReadonlyArray<readonly IngestEvent[]>) {
  const results: AppendResult[][] = new Array(parts.length);
  await Promise.all(Array.from({ length: submitters }, async (_, k) => {
    const store = stores[k % stores.length]!;
    for (let i = k; i < parts.length; i += submitters) results[i] = await store.log.append(parts[i]!.map((e) => item(e, `src-${parts[i]!.length}`)));
  }));
  return results;
}

export async function readAll(s: Store): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (;;) {
    const page = await s.log.readAfter(out.at(-1)?.seq ?? 0, 1000);
    if (page.length === 0) return out;
    out.push(...page);
  }
}

export const seqsOf = (results: readonly AppendResult[]) => results.flatMap((r) => (r.status === 'stored' ? [r.seq] : []));
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
export const keyOf = (e: { kind: string; id: string }) => `${e.kind}:${e.id}`;
export const rowsAsSums = (rows: Iterable<readonly [number, string, number]>): Sums => {
  const sums: Sums = new Map();
  for (const [hour, key, n] of rows) add(sums, hour, key, n);
  return sums;
};

/** What a role's tests get: the backend's name, its harness (after beforeAll), and stores closed after each test. */
export interface Contract {
  name: 'sqlite' | 'postgres';
  readonly h: Harness;
  open(o?: Parameters<Harness['open']>[0]): Promise<Store>;
  opened: Store[];
}

export function storeContract(role: string, body: (c: Contract) => void) {
  describe.each(backends)(`store contract, ${role}: $name`, ({ name, init }) => {
    let h: Harness;
    const opened: Store[] = [];
    const c: Contract = {
      name,
      get h() {
        return h;
      },
      async open(o) {
        const s = await h.open(o);
        opened.push(s);
        return s;
      },
      opened,
    };
    beforeAll(async () => {
      h = await init();
    });
    afterEach(async () => {
      while (opened.length) await opened.pop()!.close();
      await h.fresh();
    });
    afterAll(async () => {
      await h?.destroy();
    });
    body(c);
  });
}
