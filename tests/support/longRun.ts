// A long run in a few seconds: the simulator's events played into a store one simulated day at a
// time (stored at the day's end, as a live feed would have), with retention after each day; what
// the store's file holds measured by table (SQLite's dbstat). For the disk bound of
// docs/operations.md: tests/integration/diskBound.test.ts and scripts/measure-disk.ts.
import type Database from 'better-sqlite3';
import { parseEvent, type IngestEvent } from '#shared/events';
import { DAY_MS } from '#shared/time';
import type { Town } from '../../server/src/geo/town';
import { eventsBetween } from '../../server/src/sim/plan';
import type { Store } from '../../server/src/store/types';

/** A quiet day to start from (Asia/Shanghai midnight): the plan is the same wherever it starts. */
export const FIRST_DAY = Date.parse('2026-03-01T00:00:00+08:00');

export interface LongRun {
  town: Town;
  store: Store;
  clock: { set(ms: number): void };
  scale: number;
  days: number;
  retentionDays: number;
  seed?: number;
}

/** Plays the days; after each day's retention, `after(day, stored, deleted)` (day from 1). */
export async function playDays(run: LongRun, after: (day: number, stored: number, deleted: number) => Promise<void> | void) {
  const { town, store, clock, scale, days, retentionDays, seed = 1 } = run;
  for (let day = 1; day <= days; day++) {
    const start = FIRST_DAY + (day - 1) * DAY_MS;
    const end = start + DAY_MS;
    clock.set(end - 60_000);
    const events: IngestEvent[] = eventsBetween(town, { seed, scale }, start, end).map((input) => {
      const r = parseEvent(input);
      if (!r.ok) throw new Error(`the simulator made an invalid event: ${JSON.stringify(r.errors)}`);
      return r.event;
    });
    let stored = 0;
    for (let i = 0; i < events.length; i += 1000)
      stored += (await store.log.append(events.slice(i, i + 1000).map((event) => ({ event, source: 'sim' })))).filter((r) => r.status === 'stored').length;
    let deleted = 0;
    for (let n = 5000; n === 5000;) deleted += n = await store.log.prune(end - 60_000 - retentionDays * DAY_MS, 5000);
    await after(day, stored, deleted);
  }
}

/** Bytes of an SQLite file by what they hold: the log (events and its indexes), entities, counters, the rest, and free pages. */
export function sqliteBytes(db: Database.Database) {
  const out = { log: 0, entities: 0, rollups: 0, other: 0, free: 0 };
  const rows = db.prepare<[], { name: string; bytes: number }>('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all();
  for (const { name, bytes } of rows) {
    const table = /^(events|sqlite_autoindex_events)/.test(name) ? 'log' : /^(entities)/.test(name) ? 'entities' : /^rollups|sqlite_autoindex_rollups/.test(name) ? 'rollups' : 'other';
    out[table] += bytes;
  }
  out.free = (db.pragma('freelist_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  return out;
}
