// Snapshot to a new client with 1,000,000 stored events against the same with 10,000: time from
// connect to the `sync` message, and its size. A snapshot must not depend on history length.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { parseEvent } from '#shared/events';
import { GAUGE_HOUR, splitKey } from '#shared/model/keys';
import { levelOf } from '#shared/model/places';
import type { ClientToServerEvents, ServerToClientEvents, SnapshotSync, Sync } from '#shared/protocol';
import { systemClock } from '../server/src/clock';
import { loadConfig } from '../server/src/config';
import { createApp } from '../server/src/http/app';
import { createSqliteStore } from '../server/src/store/sqlite';
import type { AppendItem } from '../server/src/store/types';
import type { Socket } from 'socket.io-client';
import { chunks, cityEvents, town } from './events';
import { fmt, median, type BenchSection } from './report';

const BIG = 1_000_000;
const SMALL = 10_000;
const SAMPLES = 15;

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

async function measure(count: number): Promise<{ ms: number[]; bytes: number; fillRate: number; parts: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-snap-'));
  const store = await createSqliteStore({ file: join(dir, 's.sqlite'), geo: town, clock: systemClock });
  const t0 = performance.now();
  for (const batch of chunks(cityEvents(count), 5_000)) {
    const items: AppendItem[] = batch.map((e) => {
      const p = parseEvent(e);
      if (!p.ok) throw new Error(JSON.stringify(p.errors));
      return { event: p.event, source: 'bench' };
    });
    await store.log.append(items);
  }
  const fillRate = count / ((performance.now() - t0) / 1000);
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
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { ms, bytes, fillRate, parts: last?.mode === 'snapshot' ? composition(last) : `a ${last?.mode ?? 'missing'} sync` };
}

export async function run(): Promise<BenchSection> {
  const small = await measure(SMALL);
  const big = await measure(BIG);
  const bigMs = median(big.ms);
  return {
    title: 'Snapshot to a new client',
    rows: [
      { metric: `connect → snapshot, ${fmt(BIG, 0)} stored events (median of ${SAMPLES})`, value: `${fmt(bigMs)} ms`, baseline: `${fmt(median(small.ms))} ms with ${fmt(SMALL, 0)} events`, ratio: fmt(bigMs / median(small.ms), 2), target: '≤ 100 ms', met: bigMs <= 100 },
      { metric: `snapshot size, ${fmt(BIG, 0)} stored events`, value: `${fmt(big.bytes / 1024)} KB`, baseline: `${fmt(small.bytes / 1024)} KB with ${fmt(SMALL, 0)} events`, ratio: fmt(big.bytes / small.bytes, 2), target: '≤ 500 KB', met: big.bytes <= 500 * 1024 },
    ],
    notes: [
      'time is measured at the client, from io() to the `sync` message (includes the websocket handshake); size is the JSON of the sync payload.',
      `the store was filled through EventStore.append in 5,000-event commits at ${fmt(big.fillRate, 0)} events/s (×100 city plan over past days).`,
      `snapshot with ${fmt(BIG, 0)} events: ${big.parts}; with ${fmt(SMALL, 0)}: ${small.parts}.`,
    ],
  };
}
