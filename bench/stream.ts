// Fan-out throughput and ingest→screen latency to 100 clients: the real server (child process:
// durable ingest, validation, socket.io broadcast) against a raw `ws` relay broadcasting the very
// batches our server sent, in the same run. Clients run in two fleet processes (bench/fleet.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killHard, spawnServer } from '../tests/support/child';
import { chunks, cityEvents } from './events';
import { fanout, fleets, latency, type Item } from './fleets';
import { fmt, median, percentile, type BenchSection } from './report';
import { lagBuckets, lagQuantile } from './serverLag';

const CLIENTS = 100;
const FLEETS = 2;
const FANOUT_EVENTS = 20_000;
/** The target's rate, and a lower one to show latency when the clients are not saturated. */
const RATES = [1_000, 200];
const LATENCY_SECONDS = 15;
/** Latency runs per rate and server (figures: the median run's). */
const RUNS = 3;
const BATCH_MS = 50;
const specs = (url: string, record: boolean) => Array.from({ length: FLEETS }, (_, i) => ({ url, count: CLIENTS / FLEETS, record: record && i === 0 }));

async function relay(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/wsRelay.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => child.stdout!.on('data', (d: Buffer) => {
    const m = /localhost:(\d+)/.exec(d.toString());
    if (m) resolve(`http://127.0.0.1:${m[1]}`);
  }));
  return { url, child };
}

export async function run(): Promise<BenchSection> {
  const latencyEvents = RATES.reduce((n, r) => n + r * LATENCY_SECONDS, 0) * RUNS;
  const events = cityEvents(FANOUT_EVENTS + latencyEvents) as unknown as Item[];
  const perTick = (rate: number) => (rate * BATCH_MS) / 1000;
  /** [rate][run] → latency samples (ms) */
  const runs = () => RATES.map(() => [] as number[][]);

  // Ours: the real server, fed the simulator's events; one client records what it was sent.
  const dir = mkdtempSync(join(tmpdir(), 'bench-stream-'));
  const server = await spawnServer({ DATA_DIR: dir, BATCH_MS: String(BATCH_MS) });
  const ours = { fanout: 0, lat: runs(), acks: runs(), lag: RATES.map(() => [] as number[]), harness: [] as string[] };
  const sent: { fanout: Item[][]; latency: Item[][][][] } = { fanout: [], latency: RATES.map(() => []) };
  try {
    const f = await fleets('io', specs(server.url, true));
    ours.fanout = await fanout(server.url, f, chunks(events.slice(0, FANOUT_EVENTS), 500));
    sent.fanout = (await f.report()).flatMap((r) => r.batches);
    let from = FANOUT_EVENTS;
    for (let run = 0; run < RUNS; run++) {
      for (const [i, rate] of RATES.entries()) {
        const fl = await fleets('io', specs(server.url, true));
        const before = await lagBuckets(server.url);
        const lat = await latency(server.url, fl, chunks(events.slice(from, (from += rate * LATENCY_SECONDS)), perTick(rate)), BATCH_MS);
        ours.lag[i]!.push(lagQuantile(before, await lagBuckets(server.url), 99).boundMs);
        ours.lat[i]!.push(lat.samples);
        ours.acks[i]!.push(lat.acks);
        if (rate === RATES[0]) ours.harness.push(harnessNote(lat));
        sent.latency[i]!.push(lat.batches);
      }
    }
  } finally {
    await killHard(server.child);
    rmSync(dir, { recursive: true, force: true });
  }

  // Baseline: a raw ws relay broadcasting exactly the batches our server sent (same bytes).
  const r = await relay();
  const ws = { fanout: 0, lat: runs(), harness: [] as string[] };
  try {
    const f = await fleets('ws', specs(r.url, false));
    ws.fanout = await fanout(r.url, f, rechunk(sent.fanout, 500));
    await f.report();
    for (let run = 0; run < RUNS; run++) {
      for (const [i, rate] of RATES.entries()) {
        const fl = await fleets('ws', specs(r.url, false));
        const lat = await latency(r.url, fl, rechunk(sent.latency[i]![run]!, perTick(rate)), BATCH_MS);
        ws.lat[i]!.push(lat.samples);
        if (rate === RATES[0]) ws.harness.push(harnessNote(lat));
      }
    }
  } finally {
    await killHard(r.child);
  }

  /** The median over runs of each run's percentile q. */
  const p = (byRun: number[][], q: number) => median(byRun.map((xs) => (xs.length ? percentile(xs, q) : NaN)));
  const each = (byRun: number[][], q: number) => byRun.map((xs) => fmt(percentile(xs, q))).join(', ');
  const ratio = ours.fanout / ws.fanout;
  return {
    title: 'Fan-out and latency to 100 clients (loopback)',
    rows: [
      { metric: 'fan-out: events/s delivered to every one of 100 clients', value: fmt(ours.fanout, 0), baseline: `${fmt(ws.fanout, 0)} (raw ws relay, same batches)`, ratio: fmt(ratio, 2), target: 'ratio ≥ 0.8', met: ratio >= 0.8 },
      ...RATES.flatMap((rate, i) => [
        { metric: `ingest→client latency p50 at ${fmt(rate, 0)} events/s`, value: `${fmt(p(ours.lat[i]!, 50))} ms`, baseline: `${fmt(p(ws.lat[i]!, 50))} ms`, target: '—', met: null },
        { metric: `ingest→client latency p99 at ${fmt(rate, 0)} events/s`, value: `${fmt(p(ours.lat[i]!, 99))} ms`, baseline: `${fmt(p(ws.lat[i]!, 99))} ms`,
          target: rate === 1_000 ? `≤ ${BATCH_MS + 20} ms (batch window ${BATCH_MS} + 20)` : '—', met: rate === 1_000 ? p(ours.lat[i]!, 99) <= BATCH_MS + 20 : null },
        { metric: `of which in the server at ${fmt(rate, 0)} events/s: p99 of live batches from the start of their commit to handed to all 100 sockets`, value: `≤ ${fmt(median(ours.lag[i]!), 0)} ms`, baseline: '—', target: '—', met: null },
      ]),
    ],
    notes: [
      `fan-out: ${fmt(FANOUT_EVENTS, 0)} simulator events (×100 city mix) posted in 500-event requests, 2 in flight; the relay is posted the exact batches our server broadcast (masked events with seq and rollup deltas), so both send the same bytes.`,
      `latency: ${RUNS} runs of ${LATENCY_SECONDS} s per rate in ${BATCH_MS} ms ticks, each with new clients measured from 2 s after their snapshots, from when each POST was due — ours includes validation and the durable commit — to arrival at each of 100 clients, an arrival that never came counting as infinitely late; the POSTs come from a poster process of their own (bench/poster.ts), and this process, which holds the section's data, has its garbage collected before each run and its memory reducer off, so that neither delays a POST nor takes the cores mid-run. Each ${fmt(LATENCY_SECONDS, 0)} s run at ${fmt(RATES[0]!, 0)}/s, ours: ${ours.harness.join('; ')}; relay: ${ws.harness.join('; ')}. Each figure is the median run's. p99 of each run at ${fmt(RATES[0]!, 0)}/s (ms): ours ${each(ours.lat[0]!, 99)}; relay ${each(ws.lat[0]!, 99)}.`,
      `the server's share is its /metrics delivery-lag histogram between the start and the end of each run (so known to its bucket: ${RATES.map((rate, i) => `at ${fmt(rate, 0)}/s runs ${ours.lag[i]!.map((ms) => `≤ ${fmt(ms, 0)}`).join(', ')} ms`).join('; ')}); it leaves out the request's way in (HTTP, validation, the wait for the group commit) and the clients' parsing. The POSTs' answers (the durable commit as the source sees it), p50 / p99 per run at ${fmt(RATES[0]!, 0)}/s: ${ours.acks[0]!.map((xs) => `${fmt(percentile(xs, 50))} / ${fmt(percentile(xs, 99))}`).join(', ')} ms.`,
      `clients run in ${FLEETS} processes of ${CLIENTS / FLEETS} on the same 2-core machine as the server: at 1,000 events/s they must parse ≈ 60 MB/s of JSON, and when they cannot keep up both servers queue (compare the baseline), so the 1,000/s figure measures this machine's clients as much as the server.`,
    ],
  };
}

/** What the measuring took and missed in one latency run. */
function harnessNote(lat: { harnessCpuMs: { bench: number; poster: number }; posterLateMs: number; missing: number }): string {
  return `CPU of this process / the poster ${fmt(lat.harnessCpuMs.bench, 0)} / ${fmt(lat.harnessCpuMs.poster, 0)} ms, poster late ≤ ${fmt(lat.posterLateMs)} ms, ${fmt(lat.missing, 0)} arrivals missing`;
}

/** The same events regrouped into batches of n (the relay is fed at the same rate as our server). */
function rechunk(batches: Item[][], n: number): Item[][] {
  return chunks(batches.flat(), n);
}
