// A fleet of screen clients in its own process (run as a child of bench/stream.ts), so that client
// parsing spreads over the machine's cores instead of one bench process throttling the result.
// argv: mode (io|ws) url count record(0|1). Talks to the parent over IPC:
//   → {ready}  ← {expect: n}  → {done: epochMs} when every client has n events  ← {report} → {arrivals, batches?}
import { io } from 'socket.io-client';
import WebSocket from 'ws';

type Batch = Array<{ seq?: number; event: { id: string; version: number } }>;
const [mode, url, countArg, recordArg] = process.argv.slice(2) as [string, string, string, string];
const count = Number(countArg);
const now = () => performance.timeOrigin + performance.now();
const arrivals = new Map<string, number[]>();
const received = new Array<number>(count).fill(0);
/** io clients: the last seq each has, for resuming after a lost connection as a screen does. */
const last = new Array<number>(count).fill(-1);
const recorded: unknown[] = [];
let expected = Infinity;
let complete = 0;

/** Arrival times are only kept while latency is measured (expect = MAX_SAFE_INTEGER). */
let timing = false;

function onBatch(client: number, batch: Batch, raw?: unknown) {
  const t = now();
  if (timing) for (const e of batch) {
    const key = `${e.event.id}#${e.event.version}`;
    const list = arrivals.get(key);
    if (list) list.push(t);
    else arrivals.set(key, [t]);
  }
  if (client === 0 && recordArg === '1') recorded.push(raw ?? batch);
  add(client, batch.length);
}

function add(client: number, n: number) {
  const before = received[client]!;
  received[client] = before + n;
  if (before < expected && received[client]! >= expected && ++complete === count) process.send!({ done: now() });
}

let ready = 0;
const opened = () => ++ready === count && process.send!({ ready: true });
for (let c = 0; c < count; c++) {
  if (mode === 'io') {
    // Like a screen (client/src/socket.ts): a client that loses its connection (under this load, a
    // ping stuck behind a backlog of events) reconnects with its lastSeq and is sent what it missed.
    const sock = io(url, {
      transports: ['websocket'], forceNew: true,
      auth: (cb) => cb(last[c]! >= 0 ? { token: 'demo-viewer', lastSeq: last[c] } : { token: 'demo-viewer' }),
    });
    sock.once('sync', opened);
    sock.on('sync', (s: { mode: string; seq?: number }) => {
      if (s.mode !== 'snapshot' || s.seq === undefined) return;
      if (last[c]! >= 0 && s.seq > last[c]!) add(c, s.seq - last[c]!); // caught up by a snapshot instead
      last[c] = Math.max(last[c]!, s.seq);
    });
    sock.on('disconnect', (reason) => console.error(`fleet client ${c} on ${url}: disconnected (${reason}) after ${received[c]} events; resumes from seq ${last[c]}`));
    sock.on('events', (batch: Batch) => {
      const fresh = batch.filter((e) => e.seq! > last[c]!);
      if (fresh.length) last[c] = fresh.at(-1)!.seq!;
      onBatch(c, fresh, batch);
    });
  } else {
    const ws = new WebSocket(url.replace('http', 'ws'));
    ws.on('open', opened);
    ws.on('message', (data) => onBatch(c, JSON.parse(data.toString()) as Batch));
  }
}

process.on('message', (m: { expect?: number; report?: boolean }) => {
  if (m.expect !== undefined) {
    expected = m.expect;
    timing = m.expect === Number.MAX_SAFE_INTEGER;
    complete = received.filter((n) => n >= expected).length;
    arrivals.clear();
  }
  if (m.report) {
    process.send!({ arrivals: [...arrivals], batches: recorded }, () => process.exit(0));
  }
});
