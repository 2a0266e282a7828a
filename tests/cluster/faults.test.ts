// Three nodes on one PostgreSQL and one Redis hold the single process's guarantees under faults:
// gapless seqs, no seq sent twice, nothing acknowledged lost, resume on any node (docs/architecture.md).
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { killHard } from '../support/child';
import { post, privatePostgres, privateRedis, startNode, type Node } from '../support/cluster';
import { makeCase } from '../support/events';
import { waitFor } from '../support/server';
import { expectedSeqs, watcher, type Watcher } from '../support/watcher';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function cluster(n: number, env: Record<string, string> = {}) {
  const pgServer = await privatePostgres();
  cleanup.push(() => pgServer.destroy());
  const redis = await privateRedis();
  cleanup.push(() => redis.stop());
  // The first node migrates the schema; the others start beside it.
  const nodes: Node[] = [];
  for (let i = 0; i < n; i++) {
    const node = await startNode(`n${i + 1}`, pgServer, redis, env);
    cleanup.push(() => killHard(node.child));
    nodes.push(node);
  }
  return { pg: pgServer, redis, nodes };
}

/** The log as stored: kind:id → seq, and whether seqs are 1..n without a hole. */
async function storedLog(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ kind: string; id: string; seq: string }>('SELECT kind, id, seq FROM events ORDER BY seq');
    return { seqs: rows.map((r) => Number(r.seq)), byId: new Map(rows.map((r) => [`${r.kind}:${r.id}`, Number(r.seq)])) };
  } finally {
    await client.end();
  }
}

/**
 * Posts batches of cases round-robin over the nodes that are up, `inFlight` requests at once (so
 * commits of several nodes overlap and take turns on the seq counter); records what was
 * acknowledged, the answers' statuses (0: the connection died with the request in flight), and how
 * many requests each node has in flight.
 */
function producer(targets: () => Node[], size = 20, inFlight = 4) {
  const acked = new Map<string, number>();
  const statuses = new Map<number, number>();
  const pending = new Map<string, number>();
  const count = (map: Map<number, number>, key: number) => map.set(key, (map.get(key) ?? 0) + 1);
  let running = true;
  let batch = 0;
  const loop = async () => {
    while (running) {
      const list = targets();
      const node = list[batch % list.length]!;
      const items = Array.from({ length: size }, (_, i) => makeCase({ id: `c-${batch}-${i}` }));
      batch++;
      pending.set(node.url, (pending.get(node.url) ?? 0) + 1);
      try {
        const r = await post(node.url, items);
        count(statuses, r.status);
        r.body.results?.forEach((x, i) => x.status === 'stored' && acked.set(`case:${items[i]!.id}`, x.seq!));
        if (r.status !== 200) await new Promise((res) => setTimeout(res, 100));
      } catch {
        // the node died with this request in flight: not acknowledged
        count(statuses, 0);
      } finally {
        pending.set(node.url, pending.get(node.url)! - 1);
      }
    }
  };
  const done = Promise.all(Array.from({ length: inFlight }, loop));
  return {
    acked,
    statuses,
    /** Requests sent to `url` and not answered yet. */
    inFlightTo: (url: string) => pending.get(url) ?? 0,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

async function expectExactlyOnce(screens: Watcher[], latest: number) {
  for (const w of screens) await waitFor(() => w.last >= latest, 20_000, `a screen to reach seq ${latest}`);
  for (const w of screens) {
    expect(w.from).toBeGreaterThanOrEqual(0);
    expect(w.problems).toEqual([]);
    expect(w.repeats()).toEqual([]);
    // up to `latest`: a simulator may keep committing after it (seqs beyond are checked for repeats above)
    expect(w.received.filter((s) => s <= latest).sort((a, b) => a - b)).toEqual(expectedSeqs(w.from, latest));
  }
}

describe('a three-node cluster', () => {
  it('loses nothing acknowledged when one of three nodes is killed mid-ingest; its screens resume on the others with exactly what they missed', async () => {
    const { pg: db, nodes } = await cluster(3);
    const [a, b, c] = nodes as [Node, Node, Node];
    const screens = [watcher(a.url), watcher(a.url), watcher(a.url), watcher(b.url), watcher(c.url)];
    cleanup.push(() => screens.forEach((w) => w.close()));
    await waitFor(() => screens.every((w) => w.from >= 0), 10_000, 'snapshots');

    let up = nodes;
    const load = producer(() => up, 50);
    await waitFor(() => load.acked.size >= 1500, 60_000, '1500 acknowledged');
    // Frozen wherever it is (maybe inside a commit, holding the seq counter's lock), then killed with
    // requests of its own unanswered, while the other nodes have theirs.
    a.child.kill('SIGSTOP');
    await waitFor(() => load.inFlightTo(a.url) >= 1, 10_000, 'a request in flight to the frozen node');
    await new Promise((res) => setTimeout(res, 100));
    await killHard(a.child);
    up = [b, c];
    screens.slice(0, 3).forEach((w, i) => w.moveTo(i % 2 ? b.url : c.url));
    const before = load.acked.size;
    await waitFor(() => load.acked.size >= before + 1500, 60_000, '1500 more acknowledged');
    await load.stop();

    expect(load.statuses.get(0)).toBeGreaterThanOrEqual(1); // the requests node a had were cut by the kill
    expect(load.statuses.get(200)).toBeGreaterThanOrEqual(60); // 3,000 acknowledged in requests of 50
    const log = await storedLog(db.url);
    expect(log.seqs).toEqual(expectedSeqs(0, log.seqs.length)); // gapless across writers
    for (const [id, seq] of load.acked) expect(log.byId.get(id), id).toBe(seq); // every acknowledged event, at its seq
    await expectExactlyOnce(screens, log.seqs.length);
  });

  it('answers 503 while PostgreSQL is down, loses nothing acknowledged, and recovers by itself', async () => {
    const { pg: db, nodes } = await cluster(3);
    const screens = nodes.map((n) => watcher(n.url));
    cleanup.push(() => screens.forEach((w) => w.close()));
    await waitFor(() => screens.every((w) => w.from >= 0), 10_000, 'snapshots');
    const load = producer(() => nodes);
    await waitFor(() => load.acked.size >= 500, 30_000, '500 acknowledged');

    db.stop();
    const stoppedAt = load.acked.size;
    await waitFor(() => (load.statuses.get(503) ?? 0) >= 4, 20_000, 'ingest answering 503');
    const health = await Promise.all(nodes.map((n) => fetch(`${n.url}/healthz`).then((r) => r.status)));
    expect(health).toEqual([503, 503, 503]);
    db.start();
    await waitFor(() => load.acked.size >= stoppedAt + 500, 60_000, 'ingest again after the restart');
    await load.stop();

    expect(load.statuses.get(500) ?? 0).toBe(0);
    const log = await storedLog(db.url);
    expect(log.seqs).toEqual(expectedSeqs(0, log.seqs.length));
    for (const [id, seq] of load.acked) expect(log.byId.get(id), id).toBe(seq);
    await expectExactlyOnce(screens, log.seqs.length);
    const healthAfter = await Promise.all(nodes.map((n) => fetch(`${n.url}/healthz`).then((r) => r.status)));
    expect(healthAfter).toEqual([200, 200, 200]);
  });

  it('keeps delivering while Redis is down, and cross-node alarm broadcasts come back with it', async () => {
    const { redis, nodes } = await cluster(3);
    const [a, b] = nodes as [Node, Node, Node];
    const screens = nodes.map((n) => watcher(n.url));
    const others = screens.slice(1);
    cleanup.push(() => screens.forEach((w) => w.close()));
    await waitFor(() => screens.every((w) => w.listed && w.from >= 0), 10_000, 'screens');

    await redis.stop();
    const r = await post(a.url, Array.from({ length: 50 }, (_, i) => makeCase({ id: `r-${i}` })));
    expect(r.status).toBe(200);
    const last = Math.max(...r.body.results!.map((x) => x.seq!));
    for (const w of others) await waitFor(() => w.last >= last, 10_000, 'delivery on the other nodes without Redis');

    // An alarm raised while Redis is down reaches the raising node's screens at once, the others' when Redis is back.
    await post(a.url, [makeCase({ id: 'U-during', urgent: true, category: 'safety', subcategory: '树木倒伏' })]);
    const heard = (w: Watcher, id: string) => w.raised.some((x) => x.entity.id === id);
    await waitFor(() => screens.some((w) => heard(w, 'U-during')), 3_000, 'the alarm on the raising node');

    await redis.start();
    // By the relay queued during the outage, or the open alarms every node sends its screens again
    // once Redis is back: either way every screen knows of the alarm.
    const knows = (w: Watcher, id: string) => heard(w, id) || w.list.some((x) => x.entity.id === id);
    for (const w of screens) await waitFor(() => knows(w, 'U-during'), 10_000, 'the alarm raised during the outage on every node');
    // node-redis reconnects with backoff (≤ 2 s); then an alarm raised on one node reaches all.
    await new Promise((res) => setTimeout(res, 1_000));
    await post(b.url, [makeCase({ id: 'U-after', urgent: true, category: 'safety', subcategory: '树木倒伏' })]);
    for (const w of screens) await waitFor(() => w.raised.some((x) => x.entity.id === 'U-after'), 10_000, 'the alarm on every node');
    await expectExactlyOnce(screens, (await post(a.url, [makeCase({ id: 'r-last' })])).body.results![0]!.seq!);
  });

  it('raises an alarm once per cluster, lets one of two officers on two nodes acknowledge it, and tells every node', async () => {
    const { nodes } = await cluster(3);
    const [a, b, c] = nodes as [Node, Node, Node];
    const officerA = watcher(a.url, 'demo-officer');
    const officerB = watcher(b.url, 'demo-officer');
    const viewerC = watcher(c.url);
    const all = [officerA, officerB, viewerC];
    cleanup.push(() => all.forEach((w) => w.close()));
    await waitFor(() => all.every((w) => w.listed), 10_000, 'screens in their alarm rooms');

    await post(c.url, [makeCase({ id: 'U-1', urgent: true, category: 'safety', subcategory: '树木倒伏' })]);
    for (const w of all) await waitFor(() => w.raised.length >= 1, 10_000, 'the alarm');
    await new Promise((res) => setTimeout(res, 2_500)); // every node's scan has run by now
    for (const w of all) expect(w.raised.map((x) => x.entity.id)).toEqual(['U-1']);

    const id = officerA.raised[0]!.id;
    const [ra, rb] = await Promise.all([
      officerA.socket!.timeout(5000).emitWithAck('alarm:ack', { id, note: 'A 去处理' }),
      officerB.socket!.timeout(5000).emitWithAck('alarm:ack', { id, note: 'B 去处理' }),
    ]);
    expect([ra.ok, rb.ok].sort()).toEqual([false, true]);
    expect([ra, rb].find((x) => !x.ok)).toEqual({ ok: false, error: 'already_acknowledged' });
    for (const w of all) await waitFor(() => w.updated.some((x) => x.id === id && x.ackedBy), 10_000, 'the acknowledgement on every node');
    await new Promise((res) => setTimeout(res, 500));
    for (const w of all) expect(w.updated.filter((x) => x.id === id)).toHaveLength(1);
  });

  it('runs the simulator on one node at a time and hands it over when that node dies; a node started late catches up', async () => {
    const { pg: db, redis, nodes } = await cluster(3, { SIM: 'on', SIM_SPEED: '60' });
    const alive = (n: Node) => n.child.exitCode === null && n.child.signalCode === null;
    const holds = () => nodes.filter((n) => alive(n) && /holds the simulator role/.test(n.output()));
    await waitFor(() => holds().length >= 1, 20_000, 'a simulator');
    await new Promise((res) => setTimeout(res, 2_500)); // every node has tried to take the role by now
    expect(holds()).toHaveLength(1);
    const first = holds()[0]!;
    await killHard(first.child);
    await waitFor(() => holds().length === 1, 20_000, 'another node taking the simulator over');
    expect(holds()[0]).not.toBe(first);
    // The new holder's simulator stores events of its own (nothing else posts, and the first holder is dead).
    const seqOn = async (n: Node) => ((await (await fetch(`${n.url}/healthz`)).json()) as { seq: number }).seq;
    const atHandover = await seqOn(holds()[0]!);
    await waitFor(async () => (await seqOn(holds()[0]!)) > atHandover, 20_000, 'new events from the new holder');

    // A node started now, with history in the store, sends a screen what the others send.
    const late = await startNode('late', db, redis, { SIM: 'on' });
    cleanup.push(() => killHard(late.child));
    const peer = nodes.find((n) => n !== first)!;
    const screens = [watcher(late.url), watcher(peer.url)];
    cleanup.push(() => screens.forEach((w) => w.close()));
    await waitFor(() => screens.every((w) => w.from >= 0), 20_000, 'snapshots');
    const resumed = watcher(late.url, 'demo-viewer', 0); // a screen with lastSeq 0 resumes everything from the late node
    cleanup.push(() => resumed.close());
    const r = await post(late.url, [makeCase({ id: 'late-1' })]);
    const seq = r.body.results![0]!.seq!;
    await expectExactlyOnce([...screens, resumed], seq);
    expect(/holds the simulator role/.test(late.output())).toBe(false);
  });
});
