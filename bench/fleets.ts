// Driving screen-client fleets (bench/fleet.ts child processes) from a benchmark: start them on one or
// several servers, post events, and measure fan-out throughput or ingest→client latency. Shared by
// bench/stream.ts (one server) and bench/cluster.ts (several nodes).
import { fork, type ChildProcess } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
/** A full collection of this process's heap, now (a fresh context sees the flag just set). */
const collectGarbage = runInNewContext('gc') as () => void;

export const now = () => performance.timeOrigin + performance.now();
export type Item = { event?: { id: string; version: number }; id?: string; version?: number };
/** The same key for an event as posted (`id`, `version`) and as delivered (`event.id`, …). */
export const keyOf = (x: Item) => (x.event ? `${x.event.id}#${x.event.version}` : `${x.id}#${x.version}`);

interface Fleet { child: ChildProcess; next: <T>(pick: (m: Record<string, unknown>) => T | undefined) => Promise<T> }
function startFleet(mode: 'io' | 'ws', url: string, count: number, record: boolean): Fleet {
  const child = fork('bench/fleet.ts', [mode, url, String(count), record ? '1' : '0'], { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
  const waiting: Array<(m: Record<string, unknown>) => boolean> = [];
  child.on('message', (m: Record<string, unknown>) => {
    const i = waiting.findIndex((w) => w(m));
    if (i >= 0) waiting.splice(i, 1);
  });
  return {
    child,
    next: (pick) => new Promise((resolve) => waiting.push((m) => { const v = pick(m); if (v === undefined) return false; resolve(v); return true; })),
  };
}

/** One fleet process per spec: `count` clients connected to `url`; `record`: its first client keeps what it was sent. */
export interface FleetSpec { url: string; count: number; record?: boolean }
export type Fleets = Awaited<ReturnType<typeof fleets>>;
export type FleetReport = { arrivals: Array<[string, number[]]>; batches: Item[][] };

/** Starts the fleets and waits until every client has had its `sync`. */
export async function fleets(mode: 'io' | 'ws', specs: FleetSpec[]) {
  const list = specs.map((s) => startFleet(mode, s.url, s.count, s.record ?? false));
  await Promise.all(list.map((f) => f.next((m) => m.ready)));
  return {
    clients: specs.reduce((n, s) => n + s.count, 0),
    expect: (n: number) => list.forEach((f) => f.child.send({ expect: n })),
    done: () => Promise.all(list.map((f) => f.next((m) => m.done as number | undefined))).then((ts) => Math.max(...ts)),
    /** Arrival times (while timing) and recorded batches, one report per fleet in the order of the specs; the fleets exit. */
    report: () => Promise.all(list.map((f) => { const r = f.next((m) => (m.arrivals ? m : undefined)); f.child.send({ report: true }); return r; })) as Promise<FleetReport[]>,
    /** Ends the fleets without a report. */
    close: () => Promise.all(list.map((f) => new Promise<void>((resolve) => {
      if (f.child.exitCode !== null || f.child.signalCode !== null) return resolve();
      f.child.once('exit', () => resolve());
      f.child.kill('SIGKILL');
    }))),
  };
}

export const post = (url: string, items: unknown[]) =>
  fetch(`${url}/api/v1/events`, { method: 'POST', body: JSON.stringify(items), headers: { 'content-type': 'application/json', authorization: 'Bearer demo-ingest-key' } }).then((r) => r.json());

const FANOUT_DEADLINE_MS = 120_000;

/** Posts `batches` to `url` (2 requests in flight); returns events/s until every client had all of them. */
export async function fanout(url: string, f: Fleets, batches: unknown[][]) {
  const total = batches.reduce((n, b) => n + b.length, 0);
  f.expect(total);
  const done = f.done();
  const t0 = now();
  let next = 0;
  await Promise.all([0, 1].map(async () => { while (next < batches.length) await post(url, batches[next++]!); }));
  // a client that never gets all of them (fleet.ts says why on stderr) fails the run instead of hanging it
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`fan-out: not every client had all ${total} events within ${FANOUT_DEADLINE_MS / 1000} s of the last post`)), FANOUT_DEADLINE_MS)));
  try {
    return total / ((await Promise.race([done, late])) - t0) * 1000;
  } finally {
    clearTimeout(timer);
  }
}

/** Time between the fleets' last sync and the first tick of a latency run. */
const SETTLE_MS = 2_000;

/** Starts the poster process (bench/poster.ts) for `url`. */
async function startPoster(url: string) {
  const child = fork('bench/poster.ts', [url], { execArgv: ['--no-memory-reducer', '--import', 'tsx'] });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`poster exited with ${code} before answering`))));
  const answer = <T>(pick: (m: Record<string, unknown>) => T | undefined) =>
    Promise.race([exited, new Promise<T>((resolve) => child.on('message', (m: Record<string, unknown>) => { const v = pick(m); if (v !== undefined) resolve(v); }))]);
  await answer((m) => m.ready);
  return {
    /** Posts each body at `startAt + i × tickMs`; the time each POST started (epoch ms), how long its answer took (ms), and the poster's CPU time (ms). */
    run: (bodies: string[], tickMs: number, startAt: number) => {
      const result = answer((m) => (m.sentAt ? (m as { sentAt: number[]; acks: number[]; cpuMs: number }) : undefined));
      child.send({ bodies, tickMs, startAt });
      return result;
    },
  };
}

/**
 * Posts `batches` to `url`, one every `tickMs`, from a poster process of its own (bench/poster.ts);
 * returns the latency samples (ms, from when the POST was due to arrival at a client; Infinity for
 * each arrival `missing`) of all clients and of each fleet, the batches the fleets recorded, how long each POST took to be answered
 * (`acks`, ms: the durable commit), the CPU time (ms) this process and the poster used while
 * posting (`harnessCpuMs`: what the measuring took from the machine), and how late the poster was
 * at worst (`posterLateMs`).
 */
export async function latency(url: string, f: Fleets, batches: Item[][], tickMs: number) {
  // V8's memory reducer collects an idle heap seconds after its last allocation, on every core: in
  // this process, that is in the middle of the run (package.json's bench script turns it off).
  if (!process.execArgv.includes('--no-memory-reducer')) throw new Error('latency: start the benchmark with node --no-memory-reducer (npm run bench does)');
  const poster = await startPoster(url);
  const bodies = batches.map((b) => JSON.stringify(b));
  f.expect(Number.MAX_SAFE_INTEGER);
  // This process holds the section's events, samples and recorded batches (hundreds of MB): its
  // garbage is collected now, not mid-run on every core (it allocates nothing while the poster runs).
  collectGarbage();
  // Steady state: the clients have their snapshots, but the server may still be sending them (100 ×
  // ~0.5 MB) and collecting the garbage; measured from the first tick that would count its aftermath
  // as latency of the first second's events. The same settling time for every server measured.
  const cpu = process.cpuUsage();
  const startAt = now() + SETTLE_MS;
  const { sentAt: startedAt, acks, cpuMs: posterCpuMs } = await poster.run(bodies, tickMs, startAt);
  const used = process.cpuUsage(cpu);
  await new Promise((r) => setTimeout(r, 1000));
  const reports = await f.report();
  // Timed from when each POST was due, not when it went (a late poster must not hide a queue).
  const dueAt = (i: number) => startAt + i * tickMs;
  const sentAt = new Map<string, number>();
  batches.forEach((b, i) => { for (const x of b) sentAt.set(keyOf(x), dueAt(i)); });
  const perFleet = reports.map((r) => {
    const samples: number[] = [];
    for (const [key, ts] of r.arrivals) { const s = sentAt.get(key); if (s !== undefined) for (const t of ts) samples.push(t - s); }
    return samples;
  });
  // An event a client never had (within a second of the last POST, or skipped by a snapshot after a
  // lost connection) counts as never arrived, not as absent from the percentiles.
  const received = perFleet.reduce((n, xs) => n + xs.length, 0);
  const missing = Math.max(0, sentAt.size * f.clients - received);
  const samples = perFleet.flat().concat(new Array<number>(missing).fill(Infinity));
  const harnessCpuMs = { bench: (used.user + used.system) / 1000, poster: posterCpuMs };
  const posterLateMs = startedAt.reduce((m, t, i) => Math.max(m, t - dueAt(i)), 0);
  return { samples, perFleet, missing, batches: reports.flatMap((r) => r.batches), acks, harnessCpuMs, posterLateMs };
}
