// Snapshot to a new client with 1,000,000 stored events against the same with 10,000: time from
// connect to the `sync` message, and its size. A snapshot must not depend on history length. On both
// stores: the embedded SQLite file, and PostgreSQL (a private server started by the section,
// tests/support/cluster.ts), filled through the store's own append.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { io } from 'socket.io-client';
import { parseEvent, type IngestEventInput } from '#shared/events';
import { GAUGE_HOUR, splitKey } from '#shared/model/keys';
import { levelOf } from '#shared/model/places';
import type { ClientToServerEvents, ServerToClientEvents, SnapshotSync, Sync } from '#shared/protocol';
import { systemClock } from '../server/src/clock';
import { loadConfig } from '../server/src/config';
import { createApp } from '../server/src/http/app';
import { createPostgresStore } from '../server/src/store/postgres';
import { createSqliteStore } from '../server/src/store/sqlite';
import type { AppendItem, Store } from '../server/src/store/types';
import { privatePostgres } from '../tests/support/cluster';
import type { Socket } from 'socket.io-client';
import { chunks, cityEvents, town } from './events';
import { fmt, loadBefore, median, type BenchSection } from './report';

const BIG = 1_000_000;
const SMALL = 10_000;
const SAMPLES = 15;
/** SQLite: one writer, 5,000-event commits. PostgreSQL: several stores appending at once (as nodes would), 2,000-event commits each. */
const FILL = { sqlite: { appenders: 1, commit: 5_000 }, postgres: { appenders: 3, commit: 2_000 } } as const;

/** What a snapshot is made of: bytes per part, and its counter rows by kind of hour and by place level. */
function composition(sync: SnapshotSync): string {
  const kb = (v: unknown) => `${fmt(Buffer.byteLength(JSON.stringify(v)) / 1024)} KB`;
  const rows = new Map<string, number>();
  for (const [hour, key] of sync.rollups) {
    const kind = `${hour === GAUGE_HOUR ? 'gauge' : 'hour'} @${levelOf(splitKey(key)[1]) ?? '?'}`;
    rows.set(kind, (rows.get(kind) ?? 0) + 1);
  }
  const byKind = [...rows].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${fmt(n, 0)}`).join(', ');
  return `rollups ${kb(sync.rollups)} (${fmt(sync.rollups.length, 0)} rows: ${byKind}), entities ${kb(sync.entities)} (${fmt(sync.entities.length, 0)}), `
    + `recent ${kb(sync.recent)} (${fmt(sync.recent.length, 0)}), gauges ${kb(sync.gauges)}`;
}

type Backend = 'sqlite' | 'postgres';
interface Measured { ms: number[]; bytes: number; fillRate: number; parts: string }

/** Appends the events through the stores' own log (each store one appender, commits of `commit`); returns events/s. */
async function fill(stores: Store[], events: IngestEventInput[], commit: number, label: string): Promise<number> {
  const batches = chunks(events, commit);
  const t0 = performance.now();
  let next = 0;
  let done = 0;
  let reported = 0;
  await Promise.all(stores.map(async (store) => {
    while (next < batches.length) {
      const items: AppendItem[] = batches[next++]!.map((e) => {
        const p = parseEvent(e);
        if (!p.ok) throw new Error(JSON.stringify(p.errors));
        return { event: p.event, source: 'bench' };
      });
      const results = await store.log.append(items);
      if (results.some((r) => r.status !== 'stored')) throw new Error('an event was not stored');
      done += items.length;
      if (done - reported >= 100_000) {
        reported = done;
        console.log(`  ${label}: ${fmt(done, 0)} events, ${fmt(done / ((performance.now() - t0) / 1000), 0)} events/s`);
      }
    }
  }));
  const rate = events.length / ((performance.now() - t0) / 1000);
  console.log(`  ${label}: filled ${fmt(events.length, 0)} events at ${fmt(rate, 0)} events/s (${stores.length} appender${stores.length > 1 ? 's' : ''}, ${fmt(commit, 0)}-event commits)`);
  return rate;
}

/** Time from io() to the `sync` message of a new town screen, SAMPLES times, on a server over `store`. */
async function sample(store: Store, dir: string): Promise<Omit<Measured, 'fillRate'>> {
  const app = await createApp({ config: loadConfig({ SIM: 'off' }), store, town, clock: systemClock, clientDir: join(dir, 'none') });
  const port = await app.listen(0, '127.0.0.1');
  const ms: number[] = [];
  let bytes = 0;
  let last: Sync | undefined;
  for (let i = 0; i < SAMPLES; i++) {
    await new Promise<void>((resolve) => {
      const start = performance.now();
      const sock: Socket<ServerToClientEvents, ClientToServerEvents> = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], auth: { token: 'demo-viewer' }, forceNew: true });
      sock.on('connect', () => undefined);
      sock.on('sync', (sync) => {
        ms.push(performance.now() - start);
        bytes = Buffer.byteLength(JSON.stringify(sync));
        last = sync;
        sock.close();
        resolve();
      });
    });
  }
  await app.close();
  return { ms, bytes, parts: last?.mode === 'snapshot' ? composition(last) : `a ${last?.mode ?? 'missing'} sync` };
}

async function measureSqlite(events: IngestEventInput[]): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-snap-'));
  try {
    const store = await createSqliteStore({ file: join(dir, 's.sqlite'), geo: town, clock: systemClock });
    const fillRate = await fill([store], events, FILL.sqlite.commit, `SQLite ${fmt(events.length, 0)}`);
    const s = await sample(store, dir);
    await store.close();
    return { ...s, fillRate };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** On a fresh database of the private server: filled by several stores at once, then sampled by a store opened afresh (a node starting on it). */
async function measurePostgres(server: { url: string }, name: string, events: IngestEventInput[]): Promise<Measured> {
  const admin = new pg.Client({ connectionString: server.url.replace(/\/onescreen$/, '/postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = server.url.replace(/\/onescreen$/, `/${name}`);
  const open = () => createPostgresStore({ url, geo: town, clock: systemClock });
  const appenders: Store[] = [];
  for (let i = 0; i < FILL.postgres.appenders; i++) appenders.push(await open());
  let fillRate: number;
  try {
    fillRate = await fill(appenders, events, FILL.postgres.commit, `PostgreSQL ${fmt(events.length, 0)}`);
  } finally {
    for (const s of appenders) await s.close();
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-snap-pg-'));
  const store = await open();
  try {
    return { ...(await sample(store, dir)), fillRate };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchSection> {
  const load = loadBefore();
  const t0 = performance.now();
  // cityEvents(n) is a prefix of cityEvents(m) for n < m: the small store holds the big one's first events.
  const events = cityEvents(BIG);
  const m: Record<Backend, { small: Measured; big: Measured }> = {
    sqlite: { small: await measureSqlite(events.slice(0, SMALL)), big: await measureSqlite(events) },
    postgres: await (async () => {
      const server = await privatePostgres();
      try {
        return { small: await measurePostgres(server, 'snap_small', events.slice(0, SMALL)), big: await measurePostgres(server, 'snap_big', events) };
      } finally {
        server.destroy();
      }
    })(),
  };
  const name: Record<Backend, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
  const rows = (['sqlite', 'postgres'] as const).flatMap((b) => {
    const { small, big } = m[b];
    const bigMs = median(big.ms);
    const on = b === 'sqlite' ? '' : ` on ${name[b]}`;
    return [
      { metric: `connect → snapshot, ${fmt(BIG, 0)} stored events${on} (median of ${SAMPLES})`, value: `${fmt(bigMs)} ms`, baseline: `${fmt(median(small.ms))} ms with ${fmt(SMALL, 0)} events`, ratio: fmt(bigMs / median(small.ms), 2), target: '≤ 100 ms', met: bigMs <= 100 },
      { metric: `snapshot size, ${fmt(BIG, 0)} stored events${on}`, value: `${fmt(big.bytes / 1024)} KB`, baseline: `${fmt(small.bytes / 1024)} KB with ${fmt(SMALL, 0)} events`, ratio: fmt(big.bytes / small.bytes, 2), target: '≤ 500 KB', met: big.bytes <= 500 * 1024 },
    ];
  });
  return {
    title: 'Snapshot to a new client',
    rows,
    notes: [
      'time is measured at the client, from io() to the `sync` message (includes the websocket handshake); size is the JSON of the sync payload. The server runs in the bench process over the filled store.',
      `SQLite: the store was filled through its log's append in ${fmt(FILL.sqlite.commit, 0)}-event commits at ${fmt(m.sqlite.big.fillRate, 0)} events/s (×100 city plan over past days).`,
      `PostgreSQL: a private server (initdb defaults, fsync on) started by the section, a fresh database per size, filled through the store's append by ${FILL.postgres.appenders} stores at once (as ${FILL.postgres.appenders} nodes would; they take turns on the seq counter's row lock) in ${fmt(FILL.postgres.commit, 0)}-event commits at ${fmt(m.postgres.big.fillRate, 0)} events/s (${fmt(m.postgres.small.fillRate, 0)} events/s for the first ${fmt(SMALL, 0)}); the snapshots are served by a store opened afterwards, as a node starting on the database.`,
      ...(['sqlite', 'postgres'] as const).map((b) => `${name[b]}, snapshot with ${fmt(BIG, 0)} events: ${m[b].big.parts}; with ${fmt(SMALL, 0)}: ${m[b].small.parts}.`),
      'The counters in a snapshot depend on the hour it is taken (today\'s hours so far are summed into one row, later hours kept): stores sampled minutes apart may differ in rollup rows for that reason. Three appenders commit their batches in turns, so PostgreSQL\'s seq order (and `recent`) differs from SQLite\'s; checked once at 10,000 events, the entities and counter totals stored were the same as with one appender.',
      `samples (ms): ${(['sqlite', 'postgres'] as const).map((b) => `${name[b]} ${fmt(BIG, 0)}: ${m[b].big.ms.map((x) => fmt(x, 0)).join(', ')}`).join('; ')}.`,
      `section took ${fmt((performance.now() - t0) / 1000, 0)} s. ${load()}`,
    ],
  };
}
