// Fan-out throughput and ingest→screen latency to 100 clients: the real server (child process,
// durable ingest, socket.io broadcast) against a raw `ws` relay fed the same batches, same run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import type { ServerToClientEvents, ClientToServerEvents } from '../shared/src/protocol';
import { killHard, spawnServer } from '../tests/support/child';
import { chunks, cityEvents } from './events';
import { fmt, median, percentile, type BenchSection } from './report';
import type { Socket } from 'socket.io-client';

const CLIENTS = 100;
const FANOUT_EVENTS = 20_000;
const RATE = 1_000; // events/s for the latency run
const LATENCY_SECONDS = 15;
const BATCH_MS = 50;

interface Target {
  url: string;
  /** Connects the clients; each calls onEvents(ids) for what it receives. */
  connect(onEvents: (client: number, ids: string[]) => void): Promise<() => void>;
  stop(): Promise<void>;
}

async function ourServer(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-stream-'));
  const s = await spawnServer({ DATA_DIR: dir, BATCH_MS: String(BATCH_MS) });
  return {
    url: s.url,
    async connect(onEvents) {
      const sockets: Array<Socket<ServerToClientEvents, ClientToServerEvents>> = [];
      await Promise.all(
        Array.from({ length: CLIENTS }, (_, c) => new Promise<void>((resolve) => {
          const sock: Socket<ServerToClientEvents, ClientToServerEvents> = io(s.url, { transports: ['websocket'], auth: { token: 'demo-viewer' }, forceNew: true });
          sock.on('sync', () => resolve());
          sock.on('events', (batch) => onEvents(c, batch.map((e) => e.event.id + '#' + e.event.version)));
          sockets.push(sock);
        })),
      );
      return () => sockets.forEach((x) => x.close());
    },
    async stop() {
      await killHard(s.child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function wsRelay(): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/wsRelay.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => child.stdout.on('data', (d: Buffer) => {
    const m = /localhost:(\d+)/.exec(d.toString());
    if (m) resolve(`http://127.0.0.1:${m[1]}`);
  }));
  return {
    url,
    async connect(onEvents) {
      const clients = await Promise.all(
        Array.from({ length: CLIENTS }, (_, c) => new Promise<WebSocket>((resolve) => {
          const ws = new WebSocket(url.replace('http', 'ws'));
          ws.on('open', () => resolve(ws));
          ws.on('message', (data) => {
            const batch = JSON.parse(data.toString()) as Array<{ event: { id: string; version: number } }>;
            onEvents(c, batch.map((e) => e.event.id + '#' + e.event.version));
          });
        })),
      );
      return () => clients.forEach((x) => x.close());
    },
    async stop() {
      await killHard(child);
    },
  };
}

const post = (url: string, items: unknown[]) =>
  fetch(`${url}/api/v1/events`, { method: 'POST', body: JSON.stringify(items), headers: { 'content-type': 'application/json', authorization: 'Bearer demo-ingest-key' } })
    .then((r) => r.json());

/** Time until every client has every event, posting 500-event batches two at a time. */
async function fanout(target: Target, events: unknown[]): Promise<number> {
  const received = new Array<number>(CLIENTS).fill(0);
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  let complete = 0;
  const close = await target.connect((c, ids) => {
    received[c]! += ids.length;
    if (received[c] === events.length && ++complete === CLIENTS) done();
  });
  const t0 = performance.now();
  const batches = chunks(events, 500);
  let next = 0;
  await Promise.all([0, 1].map(async () => { while (next < batches.length) await post(target.url, batches[next++]!); }));
  await all;
  const seconds = (performance.now() - t0) / 1000;
  close();
  return events.length / seconds;
}

/** Latency from the start of the POST to arrival at each client, at a steady RATE. */
async function latency(target: Target, events: Array<{ id: string; version: number }>): Promise<number[]> {
  const sentAt = new Map<string, number>();
  const samples: number[] = [];
  const close = await target.connect((_c, ids) => {
    const now = performance.now();
    for (const id of ids) {
      const t = sentAt.get(id);
      if (t !== undefined) samples.push(now - t);
    }
  });
  const perTick = (RATE * BATCH_MS) / 1000;
  const batches = chunks(events, perTick);
  const t0 = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < batches.length; i++) {
    const due = t0 + i * BATCH_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const now = performance.now();
    for (const e of batches[i]!) sentAt.set(e.id + '#' + e.version, now);
    inflight.push(post(target.url, batches[i]!));
  }
  await Promise.all(inflight);
  await new Promise((r) => setTimeout(r, 500));
  close();
  return samples;
}

export async function run(): Promise<BenchSection> {
  const events = cityEvents(FANOUT_EVENTS * 2 + RATE * LATENCY_SECONDS * 2) as unknown as Array<{ id: string; version: number }>;
  let slice = 0;
  const take = (n: number) => events.slice(slice, (slice += n));
  const results: Record<'ours' | 'ws', { fanout: number; lat: number[] }> = { ours: { fanout: 0, lat: [] }, ws: { fanout: 0, lat: [] } };
  for (const kind of ['ws', 'ours'] as const) {
    const target = kind === 'ours' ? await ourServer() : await wsRelay();
    try {
      results[kind].fanout = await fanout(target, take(FANOUT_EVENTS));
      results[kind].lat = await latency(target, take(RATE * LATENCY_SECONDS));
    } finally {
      await target.stop();
    }
  }
  const o = results.ours, w = results.ws;
  const p = (xs: number[], q: number) => (xs.length ? percentile(xs, q) : NaN);
  const ratio = o.fanout / w.fanout;
  return {
    title: 'Fan-out and latency to 100 clients (loopback)',
    rows: [
      { metric: 'fan-out: events/s delivered to every one of 100 clients', value: fmt(o.fanout, 0), baseline: `${fmt(w.fanout, 0)} (raw ws relay)`, ratio: fmt(ratio, 2), target: 'ratio ≥ 0.8', met: ratio >= 0.8 },
      { metric: `ingest→client latency p50 at ${fmt(RATE, 0)} events/s`, value: `${fmt(p(o.lat, 50))} ms`, baseline: `${fmt(p(w.lat, 50))} ms`, target: '—', met: null },
      { metric: `ingest→client latency p99 at ${fmt(RATE, 0)} events/s`, value: `${fmt(p(o.lat, 99))} ms`, baseline: `${fmt(p(w.lat, 99))} ms`, target: `≤ ${BATCH_MS + 20} ms (batch window ${BATCH_MS} + 20)`, met: p(o.lat, 99) <= BATCH_MS + 20 },
    ],
    notes: [
      `${fmt(FANOUT_EVENTS, 0)} events posted in 500-event requests (2 in flight) for fan-out; ${LATENCY_SECONDS} s at ${fmt(RATE, 0)} events/s in ${BATCH_MS} ms ticks for latency (${fmt(o.lat.length, 0)} samples ours, ${fmt(w.lat.length, 0)} baseline).`,
      'latency is measured from the start of the POST (so it includes the durable commit) to the arrival at a client; all 100 clients run in the bench process on the same 2-core machine as the server, so client-side JSON parsing competes with the server for CPU.',
      `median latency over all samples: ours ${fmt(median(o.lat))} ms.`,
    ],
  };
}
