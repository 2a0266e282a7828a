// Several nodes on one PostgreSQL (and Redis) against one SQLite node, in the same run: durable
// ingest, fan-out to 300 clients over three nodes, ingest→client latency through the cluster, and the
// bytes a town screen receives per event. The section starts its own PostgreSQL and Redis
// (tests/support/cluster.ts), so its figures do not depend on services others share; every node is
// the real server as a child process, clients run in fleet processes (bench/fleet.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { io } from 'socket.io-client';
import { killHard, spawnServer } from '../tests/support/child';
import { privatePostgres, privateRedis, startNode } from '../tests/support/cluster';
import { chunks, cityEvents } from './events';
import { fanout, fleets, latency, type FleetSpec, type Item } from './fleets';
import { fmt, loadBefore, median, percentile, type BenchSection } from './report';

/** Ingest as in bench/ingest.ts: 500 events a request, a fresh store each run, median of runs. */
const INGEST_RUNS = 3;
const INGEST_EVENTS = 20_000;
/** Posted to each setup before its timed run, untimed: a server runs for weeks, its code is compiled by then. */
const INGEST_WARMUP = 5_000;
const BATCH = 500;
/** Requests in flight, spread round-robin over the nodes (the same for every setup). */
const IN_FLIGHT = 8;
const FANOUT_EVENTS = 10_000;
const FANOUT_RUNS = 3;
const FANOUT = { cluster: { clients: 300, fleets: 6 }, single: { clients: 100, fleets: 2 } };
const RATE = 200;
const LATENCY_SECONDS = 15;
const LATENCY_CLIENTS = 100;
const LATENCY_FLEETS = 3;
const BATCH_MS = 50;
const NODES = 3;

type PrivatePg = Awaited<ReturnType<typeof privatePostgres>>;
type Server = { url: string; child: Parameters<typeof killHard>[0] };

/** A fresh, empty database on the private server (the first node to start migrates it). */
async function database(server: PrivatePg, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: server.url.replace(/\/onescreen$/, '/postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return server.url.replace(/\/onescreen$/, `/${name}`);
}

async function sqliteNode(): Promise<Server & { stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cluster-sqlite-'));
  const s = await spawnServer({ DATA_DIR: dir, BATCH_MS: String(BATCH_MS) });
  return { ...s, stop: async () => { await killHard(s.child); rmSync(dir, { recursive: true, force: true }); } };
}

/** `n` nodes on a fresh database: the first migrates, then the others start beside it. */
async function pgNodes(server: PrivatePg, redis: { url: string }, db: string, n: number): Promise<Server[]> {
  const url = await database(server, db);
  const env = { BATCH_MS: String(BATCH_MS), HEARTBEAT_MS: '5000' };
  const first = await startNode(`${db}-1`, { url }, redis, env);
  const rest = await Promise.all(Array.from({ length: n - 1 }, (_, i) => startNode(`${db}-${i + 2}`, { url }, redis, env)));
  return [first, ...rest];
}
const stopAll = (nodes: Server[]) => Promise.all(nodes.map((s) => killHard(s.child)));

/**
 * After a setup on the private server: its database dropped and a checkpoint made, so the next
 * setup (SQLite's fsyncs included) does not run while PostgreSQL writes out the previous one's pages.
 * Without it every setup measured lower run after run (SQLite 5,856, 4,699, 3,171 events/s).
 */
async function settle(server: PrivatePg, db: string) {
  const admin = new pg.Client({ connectionString: server.url.replace(/\/onescreen$/, '/postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.query('CHECKPOINT');
  } finally {
    await admin.end();
  }
}

/** Posts every batch, IN_FLIGHT requests at a time spread over the nodes; returns events/s acknowledged as stored. */
async function ingest(urls: string[], warmup: unknown[][], batches: unknown[][]): Promise<number> {
  if (warmup.length) await ingest(urls, [], warmup);
  let next = 0;
  let stored = 0;
  const worker = async (w: number) => {
    const url = urls[w % urls.length]!;
    while (next < batches.length) {
      const res = await fetch(`${url}/api/v1/events`, {
        method: 'POST', body: JSON.stringify(batches[next++]), headers: { 'content-type': 'application/json', authorization: 'Bearer demo-ingest-key' },
      });
      if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
      const json = (await res.json()) as { results: Array<{ status: string }> };
      stored += json.results.filter((r) => r.status === 'stored').length;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, (_, w) => worker(w)));
  const rate = stored / ((performance.now() - t0) / 1000);
  const total = batches.reduce((n, b) => n + b.length, 0);
  if (stored !== total) throw new Error(`only ${stored} of ${total} stored`);
  return rate;
}

/** `clients` spread over `fleetCount` fleet processes, fleet i connected to urls[i % urls.length]. */
const spread = (urls: string[], clients: number, fleetCount: number): FleetSpec[] =>
  Array.from({ length: fleetCount }, (_, i) => ({
    url: urls[i % urls.length]!,
    count: Math.floor(clients / fleetCount) + (i < clients % fleetCount ? 1 : 0),
  }));

/**
 * A town screen's wire: every Engine.IO packet it receives, as the websocket frame carrying it
 * ('4' + the Socket.IO packet, and the frame header), and what the `events` messages hold.
 */
function wireTap(url: string) {
  const tally = { eventFrames: 0, eventBytes: 0, events: 0, allBytes: 0, body: 0, delta: 0 };
  const sock = io(url, { transports: ['websocket'], auth: { token: 'demo-viewer' }, forceNew: true });
  sock.io.on('open', () => sock.io.engine.on('packet', (p) => {
    if (typeof p.data !== 'string' && p.data !== undefined) throw new Error('binary packet on the screen socket');
    const payload = 1 + Buffer.byteLength(p.data ?? ''); // engine.io packet type + data
    const frame = payload + 2 + (payload >= 65_536 ? 8 : payload >= 126 ? 2 : 0); // server frames are not masked
    tally.allBytes += frame;
    if (p.type === 'message' && p.data?.startsWith('2["events",')) {
      tally.eventFrames++;
      tally.eventBytes += frame;
    }
  }));
  sock.on('events', (batch: Array<{ event: unknown; delta: unknown }>) => {
    tally.events += batch.length;
    for (const x of batch) {
      tally.body += Buffer.byteLength(JSON.stringify(x.event));
      tally.delta += Buffer.byteLength(JSON.stringify(x.delta));
    }
  });
  const synced = new Promise<void>((resolve) => sock.once('sync', () => resolve()));
  return {
    synced,
    /** Counts from now on (the snapshot and what came before are not an event's cost). */
    reset: () => Object.assign(tally, { eventFrames: 0, eventBytes: 0, events: 0, allBytes: 0, body: 0, delta: 0 }),
    tally,
    close: () => sock.close(),
  };
}

async function health(url: string) {
  return (await (await fetch(`${url}/healthz`)).json()) as { seq: number; delivered: number };
}

export async function run(): Promise<BenchSection> {
  const load = loadBefore();
  const latencyCount = RATE * LATENCY_SECONDS;
  const events = cityEvents(INGEST_WARMUP + INGEST_RUNS * INGEST_EVENTS + FANOUT_RUNS * FANOUT_EVENTS + latencyCount) as unknown as Item[];
  const slices = (from: number, size: number, n: number) => Array.from({ length: n }, (_, r) => events.slice(from + r * size, from + (r + 1) * size));
  const warmup = chunks(events.slice(0, INGEST_WARMUP), BATCH);
  const ingestSlices = slices(INGEST_WARMUP, INGEST_EVENTS, INGEST_RUNS);
  const fanoutSlices = slices(INGEST_WARMUP + INGEST_RUNS * INGEST_EVENTS, FANOUT_EVENTS, FANOUT_RUNS);
  const latencyEvents = events.slice(INGEST_WARMUP + INGEST_RUNS * INGEST_EVENTS + FANOUT_RUNS * FANOUT_EVENTS);
  const postedJson = latencyEvents.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) / latencyEvents.length;
  const timings: string[] = [];
  const phase = async <T>(name: string, fn: () => Promise<T>) => {
    const t0 = Date.now();
    const v = await fn();
    timings.push(`${name} ${fmt((Date.now() - t0) / 1000, 0)} s`);
    console.log(`  ${name}: ${fmt((Date.now() - t0) / 1000, 0)} s`);
    return v;
  };

  const pgServer = await privatePostgres();
  const redis = await privateRedis();
  try {
    // 1. Durable ingest: one SQLite node, one PostgreSQL node, two PostgreSQL nodes; each run on fresh stores, the same events.
    const rates = { sqlite: [] as number[], pg1: [] as number[], pg2: [] as number[] };
    await phase('ingest', async () => {
      for (let r = 0; r < INGEST_RUNS; r++) {
        const batches = chunks(ingestSlices[r]!, BATCH);
        const s = await sqliteNode();
        try {
          rates.sqlite.push(await ingest([s.url], warmup, batches));
        } finally {
          await s.stop();
        }
        for (const [n, list] of [[1, rates.pg1], [2, rates.pg2]] as const) {
          const nodes = await pgNodes(pgServer, redis, `ingest_${r}_${n}`, n);
          try {
            list.push(await ingest(nodes.map((x) => x.url), warmup, batches));
          } finally {
            await stopAll(nodes);
            await settle(pgServer, `ingest_${r}_${n}`);
          }
        }
      }
    });

    // 2. Fan-out: 300 clients over three nodes (posting to the first) against 100 clients on one SQLite node.
    // 3. Latency at RATE events/s, clients spread over the three nodes, against the same on the SQLite node.
    // 4. A town screen's bytes per event, on a node that did not take the posts (and on the SQLite node).
    const postedBatches = chunks(latencyEvents, (RATE * BATCH_MS) / 1000);
    const out = {
      fanout: { cluster: [] as number[], single: [] as number[] },
      latency: { cluster: [] as number[], clusterByNode: [] as number[][], single: [] as number[], clusterAcks: [] as number[], singleAcks: [] as number[] },
      wire: { cluster: undefined as ReturnType<typeof wireTap>['tally'] | undefined, single: undefined as ReturnType<typeof wireTap>['tally'] | undefined },
      delivered: '',
    };
    const single = await sqliteNode();
    const nodes = await phase('three PostgreSQL nodes start', () => pgNodes(pgServer, redis, 'cluster', NODES)).catch(async (err: unknown) => {
      await single.stop();
      throw err;
    });
    const urls = nodes.map((x) => x.url);
    try {
      // Alternately, each run with new events (on both, the same) and new fleets; the idle setup waits meanwhile.
      await phase(`fan-out, ${FANOUT_RUNS} runs on each`, async () => {
        for (const slice of fanoutSlices) {
          const one = await fleets('io', spread([single.url], FANOUT.single.clients, FANOUT.single.fleets));
          out.fanout.single.push(await fanout(single.url, one, chunks(slice, BATCH)));
          await one.close();
          const three = await fleets('io', spread(urls, FANOUT.cluster.clients, FANOUT.cluster.fleets));
          out.fanout.cluster.push(await fanout(urls[0]!, three, chunks(slice, BATCH)));
          await three.close();
        }
      });
      await phase('latency, one SQLite node', async () => {
        const f = await fleets('io', spread([single.url], LATENCY_CLIENTS, LATENCY_FLEETS));
        const tap = wireTap(single.url);
        await tap.synced;
        tap.reset();
        const lat = await latency(single.url, f, postedBatches, BATCH_MS);
        out.latency.single = lat.samples;
        out.latency.singleAcks = lat.acks;
        out.wire.single = { ...tap.tally };
        tap.close();
      });
      await phase('latency, three nodes', async () => {
        const f = await fleets('io', spread(urls, LATENCY_CLIENTS, LATENCY_FLEETS));
        const tap = wireTap(urls[NODES - 1]!);
        await tap.synced;
        tap.reset();
        const lat = await latency(urls[0]!, f, postedBatches, BATCH_MS);
        out.latency.cluster = lat.samples;
        out.latency.clusterAcks = lat.acks;
        out.latency.clusterByNode = urls.map((_, n) => lat.perFleet.filter((_, i) => i % NODES === n).flat());
        out.wire.cluster = { ...tap.tally };
        tap.close();
      });
      const hs = await Promise.all(urls.map(health));
      out.delivered = hs.map((h, i) => `node ${i + 1} seq ${fmt(h.seq, 0)}, delivered ${fmt(h.delivered, 0)}`).join('; ');
    } finally {
      await stopAll(nodes);
      await single.stop();
    }

    const m = { sqlite: median(rates.sqlite), pg1: median(rates.pg1), pg2: median(rates.pg2) };
    const runs = (xs: number[]) => xs.map((x) => fmt(x, 0)).join(', ');
    const p = (xs: number[], q: number) => (xs.length ? percentile(xs, q) : NaN);
    const lat = out.latency;
    const fo = { cluster: median(out.fanout.cluster), single: median(out.fanout.single) };
    const wire = out.wire.cluster!;
    const wireSingle = out.wire.single!;
    const perEvent = (t: typeof wire) => t.eventBytes / t.events;
    const fanRatio = fo.cluster / fo.single;
    return {
      title: `Cluster: ${NODES} nodes on PostgreSQL and Redis (loopback)`,
      rows: [
        {
          metric: `durable ingest on PostgreSQL, one node: events/s acknowledged (${BATCH}/request, ${IN_FLIGHT} in flight)`,
          value: fmt(m.pg1, 0), baseline: `${fmt(m.sqlite, 0)} (one SQLite node, same requests)`, ratio: fmt(m.pg1 / m.sqlite, 2),
          target: '≥ 5,000 events/s', met: m.pg1 >= 5000,
        },
        {
          metric: `durable ingest on PostgreSQL, two nodes: events/s acknowledged (${BATCH}/request, ${IN_FLIGHT} in flight over both)`,
          value: fmt(m.pg2, 0), baseline: `${fmt(m.sqlite, 0)} (one SQLite node, same requests)`, ratio: fmt(m.pg2 / m.sqlite, 2),
          target: '≥ 5,000 events/s', met: m.pg2 >= 5000,
        },
        {
          metric: `fan-out: events/s delivered to every one of ${FANOUT.cluster.clients} clients over ${NODES} nodes`,
          value: fmt(fo.cluster, 0), baseline: `${fmt(fo.single, 0)} to ${FANOUT.single.clients} clients on one SQLite node`, ratio: fmt(fanRatio, 2),
          target: 'reported', met: null,
        },
        {
          metric: `ingest→client latency p50 at ${RATE} events/s, ${LATENCY_CLIENTS} clients over ${NODES} nodes`,
          value: `${fmt(p(lat.cluster, 50))} ms`, baseline: `${fmt(p(lat.single, 50))} ms on one SQLite node`, ratio: fmt(p(lat.cluster, 50) / p(lat.single, 50), 2),
          target: '—', met: null,
        },
        {
          metric: `ingest→client latency p99 at ${RATE} events/s, ${LATENCY_CLIENTS} clients over ${NODES} nodes`,
          value: `${fmt(p(lat.cluster, 99))} ms`, baseline: `${fmt(p(lat.single, 99))} ms on one SQLite node`, ratio: fmt(p(lat.cluster, 99) / p(lat.single, 99), 2),
          target: '—', met: null,
        },
        {
          metric: 'bytes on the wire per event to a town screen (websocket frames of `events` messages)',
          value: `${fmt(perEvent(wire), 0)} B`, baseline: `${fmt(postedJson, 0)} B (the event's JSON as posted)`, ratio: fmt(perEvent(wire) / postedJson, 2),
          target: 'reported', met: null,
        },
      ],
      notes: [
        `private PostgreSQL ${pgServer.port} (initdb defaults, fsync on) and Redis started by the section; every node is the real server (\`STORE=postgres\`, \`REDIS_URL\`, BATCH_MS ${BATCH_MS}) as a child process; the SQLite node is the default store (WAL, synchronous=FULL).`,
        `ingest: median of ${INGEST_RUNS} runs of ${fmt(INGEST_EVENTS, 0)} simulator events (×100 city mix), each setup on a fresh store with the same events, timed after ${fmt(INGEST_WARMUP, 0)} others posted the same way (the code compiled, as in a server that has run a while) (each PostgreSQL database dropped and a checkpoint made after its run), ${IN_FLIGHT} requests in flight spread round-robin over the nodes; runs (events/s): SQLite ${runs(rates.sqlite)}; PostgreSQL one node ${runs(rates.pg1)}; two nodes ${runs(rates.pg2)}. Nodes take turns on the seq counter's row lock for the write (reading and planning happen before it, docs/architecture.md), so a second node adds no write capacity, only a share of the HTTP, validation and planning work, and it reads and parses every event the other node commits to feed its own screens; on this 2-core machine both nodes, PostgreSQL and the load generator share the cores. bench/ingest.ts measures SQLite with 4 requests in flight; here every setup has ${IN_FLIGHT}, as PostgreSQL gains a little from more requests waiting for the next group commit.`,
        `fan-out: median of ${FANOUT_RUNS} runs (events/s: ${FANOUT.cluster.clients} clients ${runs(out.fanout.cluster)}; ${FANOUT.single.clients} clients ${runs(out.fanout.single)}), each of ${fmt(FANOUT_EVENTS, 0)} new events posted to node 1 in ${BATCH}-event requests, 2 in flight; ${FANOUT.cluster.clients} clients in ${FANOUT.cluster.fleets} fleet processes (two per node) against ${FANOUT.single.clients} in ${FANOUT.single.fleets}; ${fmt(fo.cluster * FANOUT.cluster.clients, 0)} against ${fmt(fo.single * FANOUT.single.clients, 0)} event deliveries/s in all (×${fmt((fo.cluster * FANOUT.cluster.clients) / (fo.single * FANOUT.single.clients), 2)}). All nodes, PostgreSQL and every client share this machine's 2 cores, so the cluster's figure is what one machine can do, not what three would.`,
        `latency: ${LATENCY_SECONDS} s at ${RATE} events/s in ${BATCH_MS} ms ticks posted to node 1, from the start of the POST to arrival at each client (as bench/stream.ts); ${LATENCY_CLIENTS} clients in ${LATENCY_FLEETS} fleets, one per node, against the same fleets all on the SQLite node. By node (p50 / p99): ${out.latency.clusterByNode.map((xs, i) => `node ${i + 1}${i === 0 ? ' (takes the posts)' : ''} ${fmt(p(xs, 50))} / ${fmt(p(xs, 99))} ms`).join(', ')}; node 1 hands its own commits to its screens, nodes 2 and 3 learn of them by NOTIFY and read them forward from the log. The POSTs were answered (committed durably) in p50 / p99 ${fmt(p(lat.clusterAcks, 50))} / ${fmt(p(lat.clusterAcks, 99))} ms by node 1 on PostgreSQL and ${fmt(p(lat.singleAcks, 50))} / ${fmt(p(lat.singleAcks, 99))} ms by the SQLite node.`,
        `wire: a town screen (demo-viewer) on node ${NODES} during the latency run received ${fmt(wire.events, 0)} events in ${fmt(wire.eventFrames, 0)} \`events\` frames, ${fmt(wire.eventBytes / 1024, 0)} KB (Engine.IO packet + websocket header, no compression: Socket.IO's perMessageDeflate is off); per event the masked event's JSON is ${fmt(wire.body / wire.events, 0)} B and its counter delta ${fmt(wire.delta / wire.events, 0)} B, the rest is seq, storedAt and framing. All frames (heartbeats included) ${fmt(wire.allBytes / wire.events, 0)} B per event. On the SQLite node: ${fmt(perEvent(wireSingle), 0)} B per event in ${fmt(wireSingle.eventFrames, 0)} frames.`,
        `after the run: ${out.delivered}.`,
        `phases: ${timings.join(', ')}.`,
        load(),
      ],
    };
  } finally {
    await redis.stop();
    pgServer.destroy();
  }
}
