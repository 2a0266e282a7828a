// The deployment as docs/deploy/README.md gives it: cluster.sh starts three nodes on PostgreSQL and
// Redis behind HAProxy with the shipped haproxy.cfg (its fixed ports, 8080–8083 and 8404), and a
// screen, a source system and a load balancer's health checks see one service through it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureClientBuilt } from '../support/browser';
import { post, privateRedis } from '../support/cluster';
import { makeCase } from '../support/events';
import { createTestDatabase } from '../support/pg';
import { waitFor } from '../support/server';
import { watcher } from '../support/watcher';

const run = promisify(execFile);
const FRONT = 'http://127.0.0.1:8080';
const cleanup: Array<() => unknown> = [];
afterAll(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** Each server of a backend and its state, from HAProxy's stats page (CSV). */
async function serverStates(backend: string): Promise<Record<string, string>> {
  const [header, ...rows] = (await (await fetch('http://127.0.0.1:8404/;csv')).text()).trim().split('\n');
  const cols = header!.replace(/^# /, '').split(',');
  const [px, sv, st] = ['pxname', 'svname', 'status'].map((c) => cols.indexOf(c));
  return Object.fromEntries(rows.map((r) => r.split(',')).filter((r) => r[px!] === backend && /^n\d$/.test(r[sv!]!)).map((r) => [r[sv!]!, r[st!]!]));
}

describe('docs/deploy: three nodes behind HAProxy', () => {
  it('cluster.sh starts them; ingest, a websocket screen and a long-polling screen work through HAProxy; a killed node is taken out; stop stops all', async () => {
    ensureClientBuilt(); // cluster.sh would build it otherwise, beside the browser tests' build
    const db = await createTestDatabase();
    cleanup.push(() => db.drop());
    const redis = await privateRedis();
    cleanup.push(() => redis.stop());
    const runDir = mkdtempSync(join(tmpdir(), 'onescreen-deploy-'));
    cleanup.push(() => rmSync(runDir, { recursive: true, force: true }));
    const env = { ...process.env, DATABASE_URL: db.url, REDIS_URL: redis.url, RUN_DIR: runDir, SIM: 'off' };
    const cluster = (cmd: string) => run('bash', ['docs/deploy/cluster.sh', cmd], { env, timeout: 120_000 });
    cleanup.push(() => cluster('stop').catch(() => undefined));

    const started = await cluster('start');
    expect(started.stdout).toMatch(/node 1 healthy on :8081[\s\S]*node 3 healthy on :8083[\s\S]*haproxy running/);
    await waitFor(async () => Object.values(await serverStates('onescreen')).every((s) => s === 'UP'), 15_000, 'every node UP in HAProxy');
    expect(Object.keys(await serverStates('onescreen'))).toEqual(['n1', 'n2', 'n3']);

    const health = await fetch(`${FRONT}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', store: 'postgres' });
    expect((await fetch(`${FRONT}/metrics`)).status).toBe(403); // for the monitoring network, not the front

    // A screen over websocket and one over long-polling (HAProxy keeps its requests on one node).
    const screen = watcher(FRONT);
    cleanup.push(() => screen.close());
    const polling = io(FRONT, { transports: ['polling'], forceNew: true, reconnection: false, auth: { token: 'demo-viewer' } });
    cleanup.push(() => polling.close());
    const polled: number[] = [];
    let pollingSynced = false;
    polling.on('sync', () => (pollingSynced = true));
    polling.on('events', (batch: Array<{ seq: number }>) => polled.push(...batch.map((e) => e.seq)));
    await waitFor(() => screen.from >= 0 && pollingSynced, 10_000, 'both screens synced through HAProxy');

    const r = await post(FRONT, Array.from({ length: 30 }, (_, i) => makeCase({ id: `H-${i}` })));
    expect(r.status).toBe(200);
    const seqs = r.body.results!.map((x) => x.seq!);
    await waitFor(() => screen.last >= Math.max(...seqs) && polled.length >= 30, 10_000, 'the batch on both screens');
    expect(polled.sort((a, b) => a - b)).toEqual(seqs);
    expect(screen.repeats()).toEqual([]);

    // Node 1 dies: HAProxy's health checks take it out, and requests go to the others.
    process.kill(Number(readFileSync(join(runDir, 'pid/node1.pid'), 'utf8')), 'SIGKILL');
    await waitFor(async () => (await serverStates('onescreen')).n1?.startsWith('DOWN') ?? false, 15_000, 'node 1 DOWN in HAProxy');
    const after: number[] = [];
    for (let i = 0; i < 10; i++) after.push((await post(FRONT, [makeCase({ id: `H-after-${i}` })])).status);
    expect(after).toEqual(Array(10).fill(200));
    expect((await cluster('status')).stdout).toMatch(/node 1 {2}not running[\s\S]*node 2 {2}pid \d+ +:8082 .*"status":"ok"[\s\S]*haproxy pid/);

    await cluster('stop');
    await expect(fetch(`${FRONT}/healthz`)).rejects.toThrow(); // nothing listens on the front any more
    expect((await cluster('status')).stdout).toMatch(/node 2 {2}not running[\s\S]*node 3 {2}not running[\s\S]*haproxy not running/);
  });
});
