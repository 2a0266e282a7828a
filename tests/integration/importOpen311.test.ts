// The import tool's Open311 reader (scripts/import/readers/open311.ts) run as a real child process
// against a real server: a requests.json dump with bad entries is imported, every bad one is named
// with its line, item number and reason, the good ones are stored as the Open311 API maps them, and
// a second run stores nothing twice.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_MS } from '../support/events';
import { startServer, type TestServer } from '../support/server';
import { toShanghaiIso } from '#shared/time';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'demo-ingest-key';
const iso = (ms: number) => toShanghaiIso(ms);
const HOUR = 3_600_000;

let s: TestServer;
let dir: string;
beforeAll(async () => {
  s = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'onescreen-import311-'));
});
afterAll(async () => {
  await s?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function runImport(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { INGEST_KEY: _unset, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import/main.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const inN02 = { lat: 31.20313, long: 121.36691 }; // 淞三新苑, 居民区 淞三
const request = (over: Record<string, unknown>) => ({
  service_request_id: 'case:CS-D-1', status: 'open', status_notes: '发现 reported', service_name: '小区管理', service_code: 'case-community',
  description: '楼道堆物', agency_responsible: '新泾镇城运中心', requested_datetime: iso(BASE_MS), updated_datetime: iso(BASE_MS),
  expected_datetime: iso(BASE_MS + 24 * HOUR), address: '淞三新苑 5号楼', ...inN02,
  attributes: [{ code: 'subcategory', name: '小类', value: '楼道堆物' }], ...over,
});

/** The dump, each entry with why it must be refused (undefined: it is good). */
const entries: Array<[unknown, string | undefined]> = [
  [request({}), undefined],
  // another system's numeric id, closed, the spec's own shape
  [request({ service_request_id: 638344, status: 'closed', service_code: 'case-environment', updated_datetime: iso(BASE_MS + 5 * HOUR), attributes: [{ code: 'subcategory', value: '暴露垃圾' }] }), undefined],
  [request({ service_request_id: 'ticket:RX-D-1', service_code: 'hotline-noise', phone: '13912345678', attributes: [{ code: 'ticket_type', value: 'complaint' }] }), undefined],
  [request({ service_request_id: 'case:CS-D-2', service_code: 'case-parcels' }), 'service_code: no service case-parcels here (GET /open311/v2/services.json lists them)'],
  [request({ service_request_id: 'case:CS-D-3', lat: 39.909, long: 116.397 }), 'lat/long: 39.909, 116.397 is not inside 新泾镇'],
  [request({ service_request_id: 'case:CS-D-4', lat: null, long: null }), 'lat/long: required; a request is placed by its coordinates'],
  [request({ service_request_id: 'ticket:RX-D-2', service_code: 'hotline-noise' }), "phone: a 12345 ticket needs the caller's phone, which GeoReport answers leave out (a 12345 export adds it as `phone`)"],
  [request({ service_request_id: 'case:CS-D-5', requested_datetime: '2026-11-21' }), 'requested_datetime: expected an ISO-8601 time with offset, e.g. 2026-11-21T09:30:00+08:00'],
  [request({ service_request_id: 'case:CS-D-6', status: 'closed', updated_datetime: null }), 'updated_datetime: required for a closed request (when it was closed)'],
  [request({ service_request_id: 'case:CS-D-7', attributes: [{ code: 'subcategory', value: '违规停车' }] }), 'subcategory: not a subcategory of community'], // refused by the server
  [42, 'request: expected a service request object'],
  [request({ service_request_id: 'ticket:RX-D-3' }), 'service_request_id: ticket:RX-D-3 is a ticket, but case-community is a case service'],
  [request({ service_request_id: 'case:CS-D-8', description: null }), 'description: required (a case or ticket says what is wrong)'],
  [request({}), undefined], // the first again: a duplicate
];

describe('npm run import: an Open311 requests.json dump', () => {
  it('names every bad request with its line, item and reason, stores the good ones as the API maps them, and stores nothing twice', async () => {
    const text = JSON.stringify(entries.map(([e]) => e), null, 2);
    const file = join(dir, 'requests.json');
    writeFileSync(file, text);
    // brute force: where each item starts (an object opens "  {", a number stands on its own line)
    const starts = text.split('\n').flatMap((l, i) => (l === '  {' || /^ {2}\d/.test(l) ? [i + 1] : []));
    expect(starts).toHaveLength(entries.length);
    const bad = entries.flatMap(([, why], i) => (why ? [`${file}:${starts[i]} (item ${i + 1}): ${why}`] : []));

    const first = await runImport(['--url', s.url, '--key', KEY, file]);
    expect(first.code, first.stderr).toBe(1);
    const lines = first.stdout.split('\n');
    expect(lines[0]).toBe(`Rejected (${bad.length}):`);
    expect(lines.slice(1, 1 + bad.length)).toEqual(bad);
    expect(lines).toContain(`${file}: ${entries.length} read, 3 stored, 1 duplicate, ${bad.length} rejected`);

    const read = await fetch(`${s.url}/open311/v2/requests.json?service_request_id=case:CS-D-1,case:638344,ticket:RX-D-1&extensions=true&api_key=${KEY}`);
    const got = (await read.json()) as Array<Record<string, unknown>>;
    expect(got.map((r) => [r.service_request_id, r.status, r.service_code, r.requested_datetime, r.updated_datetime, r.address])).toEqual([
      ['case:CS-D-1', 'open', 'case-community', iso(BASE_MS), iso(BASE_MS), '淞三新苑 5号楼'],
      ['case:638344', 'closed', 'case-environment', iso(BASE_MS), iso(BASE_MS + 5 * HOUR), '淞三新苑 5号楼'],
      ['ticket:RX-D-1', 'open', 'hotline-noise', iso(BASE_MS), iso(BASE_MS), '淞三新苑 5号楼'],
    ]);
    expect(await s.store.read.entity('case', '638344')).toMatchObject({
      version: 2, status: 'closed', source: 'hotline', subcategory: '暴露垃圾', closedAt: iso(BASE_MS + 5 * HOUR),
      location: { neighbourhoodId: 'N02', gridId: 'GC02', compoundId: 'C003' },
    });
    expect(await s.store.read.entity('ticket', 'RX-D-1')).toMatchObject({ ticketType: 'complaint', callerPhone: '13912345678', dueAt: iso(BASE_MS + 24 * HOUR) });
    const before = (await s.store.log.bounds()).latest;
    expect(before).toBe(3);

    const again = await runImport(['--url', s.url, '--key', KEY, file]);
    expect(again.code).toBe(1);
    expect(again.stdout.split('\n').slice(1, 1 + bad.length)).toEqual(bad);
    expect(again.stdout).toContain(`${file}: ${entries.length} read, 0 stored, 4 duplicate, ${bad.length} rejected`);
    expect((await s.store.log.bounds()).latest).toBe(before);
  });

  it('is told from an array of events by its content, and needs the server for the geography', async () => {
    const file = join(dir, 'export.json'); // any name: the first object's keys tell
    writeFileSync(file, JSON.stringify([request({ service_request_id: 'case:CS-D-9' })]));
    const down = await runImport(['--url', 'http://127.0.0.1:9', '--key', KEY, file]);
    expect(down.stdout).toContain(`${file}:1 (item 1): the requests are placed by their lat/long in the town's geography, and cannot reach http://127.0.0.1:9/api/v1/geo`);
    const up = await runImport(['--url', s.url, '--key', KEY, file]);
    expect([up.code, up.stdout.trim()]).toEqual([0, `${file}: 1 read, 1 stored, 0 duplicate, 0 rejected`]);
  });
});
