// GET /metrics on a real server (SQLite, and PostgreSQL on a throwaway database): the counters equal
// a brute-force count over what was posted and answered, the gauges equal the store's and the
// sockets' own figures, and the text is strict Prometheus exposition with names after its conventions.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm } from '#shared/alarms';
import type { StreamEvent } from '#shared/protocol';
import { streamKinds } from '#shared/vocab';
import { loadConfig } from '../../server/src/config';
import { pgProxy } from '../contract/proxy';
import { makeCase, makeInspection, makeTicket } from '../support/events';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { parseExposition, valueOf, type Family } from '../support/promText';
import { openSocket, startServer, waitFor, type TestServer, type TestSocket } from '../support/server';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

let db: TestDatabase;
beforeAll(async () => void (db = await createTestDatabase()));
afterAll(() => db.drop());

const backends = [
  { name: 'sqlite', env: () => ({}) },
  { name: 'postgres', env: () => ({ STORE: 'postgres', DATABASE_URL: db.url }) },
];

async function server(env: Record<string, string>) {
  const s = await startServer(env);
  cleanup.push(() => s.stop());
  return s;
}

async function scrape(s: TestServer, token?: string) {
  const res = await fetch(`${s.url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text, families: res.ok ? parseExposition(text) : [] };
}

/** A screen that records its sync, live batches and alarms. */
function screen(s: TestServer, token: string, lastSeq?: number) {
  const sock: TestSocket = openSocket(s.url, lastSeq === undefined ? { token } : { token, lastSeq });
  const seen = { sock, syncs: [] as string[], batches: [] as StreamEvent[][], raised: [] as Alarm[] };
  sock.on('sync', (sync) => seen.syncs.push(sync.mode));
  sock.on('events', (batch) => void (batch.length && seen.batches.push(batch)));
  sock.on('alarm:raised', (a) => seen.raised.push(a));
  cleanup.push(() => sock.close());
  return seen;
}

/** Brute force: the items posted and their answers, counted by source, stream and status. */
function tally(into: Map<string, number>, source: string, items: readonly unknown[], results: ReadonlyArray<{ status: string }>) {
  expect(results).toHaveLength(items.length);
  items.forEach((item, i) => {
    const kind = (item as { kind?: string } | null)?.kind;
    const stream = typeof item === 'object' && streamKinds.some((k) => k === kind) ? kind : 'unknown';
    const key = `${source}|${stream}|${results[i]!.status}`;
    into.set(key, (into.get(key) ?? 0) + 1);
  });
}

const samplesOf = (families: readonly Family[], name: string) => families.find((f) => f.name === name)?.samples ?? [];

describe.each(backends)('GET /metrics on $name', ({ env }) => {
  it('counts what happened as a brute-force count over the posts, the store and the sockets says', async () => {
    const started = performance.now();
    const s = await server(env());
    const a = screen(s, 'demo-viewer');
    const b = screen(s, 'demo-viewer');
    const officer = screen(s, 'demo-officer');
    await waitFor(() => [a, b, officer].every((x) => x.syncs.length === 1), 10_000, 'three screens synced');

    // A known mix per stream: stored, duplicate, rejected (and items of no stream at all).
    const t = Date.now() - 600_000;
    const urgent = makeCase({ id: 'M-C1', urgent: true, category: 'safety', subcategory: '消防通道堵塞' }, t);
    const [c2, c3, c4] = ['M-C2', 'M-C3', 'M-C4'].map((id) => makeCase({ id }, t));
    const [t1, t2] = ['M-T1', 'M-T2'].map((id) => makeTicket({ id }, t));
    const [i1, i2] = ['M-I1', 'M-I2'].map((id) => makeInspection({ id }, t));
    const posts: unknown[][] = [
      [urgent, c2, c3, t1, t2, i1, makeCase({ id: 'M-CX', version: 0 }, t), { kind: 'ticket', id: 'M-TX', version: 1 }, { kind: 'bogus', id: 'X' }, 42],
      [urgent, c2, t1, c4],
      [{ kind: 'inspection', id: 'M-IX', version: 1 }], // nothing valid: no commit
    ];
    const expected = new Map<string, number>();
    for (const items of posts) {
      const r = await s.post(items);
      expect(r.status).toBe(200);
      tally(expected, 'demo', items, r.body.results);
    }
    const simItems = [i2, i1]; // the simulator submits through the same ingest service as main.ts wires it
    tally(expected, 'simulator', simItems, await s.server.ingest.submit('simulator', simItems));
    expect((await s.post([c2], 'not-a-key')).status).toBe(401); // refused before any item is read: counts nothing
    expect(Object.fromEntries(expected)).toEqual({
      'demo|case|stored': 4, 'demo|case|duplicate': 2, 'demo|case|rejected': 1,
      'demo|ticket|stored': 2, 'demo|ticket|duplicate': 1, 'demo|ticket|rejected': 1,
      'demo|inspection|stored': 1, 'demo|inspection|rejected': 1, 'demo|unknown|rejected': 2,
      'simulator|inspection|stored': 1, 'simulator|inspection|duplicate': 1,
    });

    const stored = [...expected].filter(([k]) => k.endsWith('|stored')).reduce((n, [, v]) => n + v, 0);
    await waitFor(() => s.server.hub.deliveredTo() === stored && a.batches.flat().length === stored, 10_000, 'every event delivered');
    await waitFor(async () => (await s.store.alarms.openCount()) === 1, 10_000, 'the urgent case alarmed');

    const first = await scrape(s);
    expect(first.status).toBe(200);
    expect(first.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const m = first.families;
    const counted = Object.fromEntries(samplesOf(m, 'onescreen_ingest_items_total').map((x) => [`${x.labels.source}|${x.labels.stream}|${x.labels.status}`, x.value]));
    expect(counted).toEqual(Object.fromEntries(expected));

    // One commit per post with a valid item (sequential posts never share one): posts 1 and 2 and the simulator's.
    expect(valueOf(m, 'onescreen_commit_duration_seconds_count')).toBe(3);
    const commitSum = valueOf(m, 'onescreen_commit_duration_seconds_sum');
    expect(commitSum).toBeGreaterThan(0);
    expect(commitSum).toBeLessThan((performance.now() - started) / 1000);

    const { latest } = await s.store.log.bounds();
    expect(latest).toBe(8);
    expect(valueOf(m, 'onescreen_head_seq')).toBe(latest);
    expect(valueOf(m, 'onescreen_delivered_seq')).toBe(latest);
    expect(valueOf(m, 'onescreen_store_up')).toBe(1);

    // One observation per live batch sent; screen a was in the town's room for every one of them.
    expect(valueOf(m, 'onescreen_delivery_lag_seconds_count')).toBe(a.batches.length);
    const lagSum = valueOf(m, 'onescreen_delivery_lag_seconds_sum');
    expect(lagSum).toBeGreaterThanOrEqual(0);
    expect(lagSum).toBeLessThan(a.batches.length * 10);

    expect(valueOf(m, 'onescreen_screens_connected', { role: 'viewer' })).toBe(2);
    expect(valueOf(m, 'onescreen_screens_connected', { role: 'officer' })).toBe(1);
    expect(valueOf(m, 'onescreen_alarms_open')).toBe((await s.store.alarms.active(1000)).length);
    expect(valueOf(m, 'onescreen_alarms_open')).toBe(1);
    for (const mode of ['resume', 'snapshot']) expect(valueOf(m, 'onescreen_reconnects_total', { mode })).toBe(0);

    // Reconnects: one resumes (lastSeq within the log), one is ahead of the log and gets a snapshot;
    // a connected screen asks for a resync; one screen leaves; the officer acknowledges the alarm.
    const resumed = screen(s, 'demo-viewer', latest - 3);
    const ahead = screen(s, 'demo-viewer', 1_000_000);
    await waitFor(() => resumed.syncs.length === 1 && ahead.syncs.length === 1, 10_000, 'reconnected screens synced');
    expect([resumed.syncs[0], ahead.syncs[0]]).toEqual(['resume', 'snapshot']);
    expect(await a.sock.timeout(5000).emitWithAck('stream:resync', { lastSeq: latest - 1 })).toEqual({ ok: true, data: { mode: 'resume' } });
    b.sock.close();
    const alarm = (await s.store.alarms.active(10))[0]!;
    expect(await officer.sock.timeout(5000).emitWithAck('alarm:ack', { id: alarm.id })).toMatchObject({ ok: true });
    await waitFor(() => s.server.io.of('/').sockets.size === 4, 5000, 'b disconnected on the server');

    const second = await scrape(s);
    const n = second.families;
    expect(valueOf(n, 'onescreen_reconnects_total', { mode: 'resume' })).toBe(1);
    expect(valueOf(n, 'onescreen_reconnects_total', { mode: 'snapshot' })).toBe(1);
    expect(valueOf(n, 'onescreen_resyncs_total', { mode: 'resume' })).toBe(1);
    expect(valueOf(n, 'onescreen_resyncs_total', { mode: 'snapshot' })).toBe(0);
    expect(valueOf(n, 'onescreen_screens_connected', { role: 'viewer' })).toBe(3); // a, resumed, ahead
    expect(valueOf(n, 'onescreen_screens_connected', { role: 'officer' })).toBe(1);
    expect(valueOf(n, 'onescreen_alarms_open')).toBe(0);
    expect(valueOf(n, 'onescreen_sync_buffer_overflows_total')).toBe(0);
    expect(valueOf(n, 'onescreen_screens_dropped_total')).toBe(0);
    // Nothing was ingested in between: the same counts, commits and head.
    expect(samplesOf(n, 'onescreen_ingest_items_total')).toEqual(samplesOf(m, 'onescreen_ingest_items_total'));
    expect(valueOf(n, 'onescreen_commit_duration_seconds_count')).toBe(3);
    expect(valueOf(n, 'onescreen_head_seq')).toBe(latest);

    // HTTP answers by route pattern: the three posts, the refused one, the first scrape.
    const http = (method: string, route: string, code: string) => valueOf(n, 'onescreen_http_responses_total', { method, route, code });
    expect(http('POST', '/api/v1/events', '200')).toBe(3);
    expect(http('POST', '/api/v1/events', '401')).toBe(1);
    expect(http('GET', '/metrics', '200')).toBe(1);
    expect(samplesOf(n, 'onescreen_http_responses_total').reduce((sum, x) => sum + x.value, 0)).toBe(5);
  });
});

describe('GET /metrics: the exposition', () => {
  it('follows Prometheus naming: one prefix, base units, _total on counters, no per-client labels, every metric documented', async () => {
    const s = await server({});
    await s.post([makeCase({ id: 'N-1' }, Date.now() - 60_000)]);
    const { families } = await scrape(s);
    const ours = families.filter((f) => f.name.startsWith('onescreen_'));
    for (const f of families) {
      expect(f.name).toMatch(/^(onescreen|process|nodejs)_/);
      expect(f.help, `${f.name} has a HELP`).toBeTruthy();
      if (f.type === 'counter') expect(f.name).toMatch(/_total$/);
      else expect(f.name).not.toMatch(/_total$/);
      expect(f.name).not.toMatch(/_(ms|milliseconds|minutes|hours|bytes_total_bytes)$/);
      if (/duration|lag|latency/.test(f.name)) expect(f.name).toMatch(/_seconds$/);
      for (const x of f.samples) for (const label of Object.keys(x.labels)) expect(label).not.toMatch(/^(socket|sid|client|session|token|name|ip|address|user)(_?id)?$|_id$|^id$/);
    }
    // Our own labels, all of a small fixed set of values.
    expect([...new Set(ours.flatMap((f) => f.samples.flatMap((x) => Object.keys(x.labels))))].sort()).toEqual(['code', 'le', 'method', 'mode', 'role', 'route', 'source', 'status', 'stream']);
    expect(families.some((f) => f.name === 'process_cpu_seconds_total')).toBe(true);
    expect(families.some((f) => f.name === 'nodejs_eventloop_lag_seconds')).toBe(true);

    // docs/metrics.md names every metric we expose, and nothing we do not.
    const doc = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
    const documented = [...new Set(doc.match(/`onescreen_[a-z_]+`/g)!.map((x) => x.slice(1, -1)))].sort();
    expect(documented).toEqual(ours.map((f) => f.name).sort());
  });

  it('two servers in one process keep their own counts', async () => {
    const [s1, s2] = [await server({}), await server({})];
    await s1.post([makeCase({ id: 'P-1' }, Date.now() - 60_000), makeCase({ id: 'P-2' }, Date.now() - 60_000)]);
    await s2.post([makeCase({ id: 'P-1', version: 0 }, Date.now() - 60_000)]);
    const [m1, m2] = [(await scrape(s1)).families, (await scrape(s2)).families];
    expect(valueOf(m1, 'onescreen_ingest_items_total', { stream: 'case', status: 'stored' })).toBe(2);
    expect(samplesOf(m1, 'onescreen_ingest_items_total')).toHaveLength(1);
    expect(valueOf(m2, 'onescreen_ingest_items_total', { stream: 'case', status: 'rejected' })).toBe(1);
    expect(samplesOf(m2, 'onescreen_ingest_items_total')).toHaveLength(1);
    expect([valueOf(m1, 'onescreen_head_seq'), valueOf(m2, 'onescreen_head_seq')]).toEqual([2, 0]);
  });

  it('the strict check refuses what Prometheus would refuse', () => {
    const ok = '# HELP a_total A.\n# TYPE a_total counter\na_total{x="1"} 3\n';
    expect(parseExposition(ok)[0]).toMatchObject({ name: 'a_total', type: 'counter', samples: [{ labels: { x: '1' }, value: 3 }] });
    const bad = {
      'no final newline': ok.trimEnd(),
      'no TYPE': 'a 1\n',
      'a sample of another family': '# TYPE a gauge\nb 1\n',
      'an unquoted label': '# TYPE a gauge\na{x=1} 1\n',
      'a bad value': '# TYPE a gauge\na 1,5\n',
      'a series twice': '# TYPE a gauge\na 1\na 2\n',
      'a bad metric name': '# TYPE 1a gauge\n1a 1\n',
      'buckets not cumulative': '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n',
      'no +Inf bucket': '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n',
      'an unknown type': '# TYPE a meter\na 1\n',
    };
    for (const [what, text] of Object.entries(bad)) expect(() => parseExposition(text), what).toThrow();
  });
});

describe('GET /metrics: access', () => {
  it('with METRICS_TOKEN set, answers only a request that bears it', async () => {
    const token = 'metrics-token-0123456789';
    const s = await server({ METRICS_TOKEN: token });
    for (const bearer of [undefined, 'wrong-token-0123456789', `${token}x`]) {
      const r = await scrape(s, bearer);
      expect(r.status).toBe(401);
      expect(JSON.parse(r.text)).toEqual({ error: 'unauthorized', message: expect.stringMatching(/METRICS_TOKEN/) });
    }
    const r = await scrape(s, token);
    expect(r.status).toBe(200);
    expect(valueOf(r.families, 'onescreen_http_responses_total', { route: '/metrics', code: '401' })).toBe(3);
  });

  it('a bad METRICS_TOKEN stops the start-up, naming the variable and not the value', () => {
    for (const value of ['tooShortTok', 'has a space in it 0123456789']) {
      const err = (() => {
        try {
          loadConfig({ METRICS_TOKEN: value });
        } catch (e) {
          return (e as Error).message;
        }
      })();
      expect(err).toMatch(/^invalid configuration:\n {2}METRICS_TOKEN: expected at least 16 characters without spaces$/);
    }
    expect(loadConfig({}).metricsToken).toBeNull();
  });
});

describe('GET /metrics: while PostgreSQL cannot be reached', () => {
  it('still answers, with onescreen_store_up 0, the last head seq, and the 503s counted', async () => {
    const proxy = await pgProxy(db.url);
    const s = await startServer({ STORE: 'postgres', DATABASE_URL: proxy.url });
    cleanup.push(() => s.stop());
    cleanup.push(() => proxy.start().catch(() => undefined)); // up again before the server stops
    expect((await s.post([makeCase({ id: 'O-1' }, Date.now() - 60_000)])).body.results[0].status).toBe('stored');
    const before = await scrape(s);
    const head = valueOf(before.families, 'onescreen_head_seq');
    expect(valueOf(before.families, 'onescreen_store_up')).toBe(1);

    await proxy.stop();
    expect((await s.post([makeCase({ id: 'O-2' }, Date.now() - 60_000)])).status).toBe(503);
    const t0 = performance.now();
    const down = await scrape(s);
    expect(performance.now() - t0).toBeLessThan(3_000); // the database is waited for 2 s at most
    expect(down.status).toBe(200);
    expect(valueOf(down.families, 'onescreen_store_up')).toBe(0);
    expect(valueOf(down.families, 'onescreen_head_seq')).toBe(head);
    expect(valueOf(down.families, 'onescreen_http_responses_total', { route: '/api/v1/events', code: '503' })).toBe(1);

    await proxy.start();
    await waitFor(async () => valueOf((await scrape(s)).families, 'onescreen_store_up') === 1, 15_000, 'the store back up');
  });
});
