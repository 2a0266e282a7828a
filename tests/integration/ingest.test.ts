import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCase, makeInspection, makeTicket } from '../support/events';
import { startServer, type TestServer } from '../support/server';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.stop());

const seqNow = async () => ((await (await fetch(`${s.url}/healthz`)).json()) as { seq: number }).seq;

describe('POST /api/v1/events', () => {
  it('refuses without a valid ingest key, before reading the body, and stores nothing', async () => {
    const before = await seqNow();
    expect((await s.post(makeCase({ id: 'X-1' }), '')).status).toBe(401);
    const wrong = await s.post(makeCase({ id: 'X-1' }), 'demo-viewer');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('unauthorized');
    expect(await seqNow()).toBe(before);
  });

  it('stores valid items of a mixed batch, rejects bad ones naming the field, and reports duplicates', async () => {
    const before = await seqNow();
    const batch = [
      makeCase({ id: 'M-1' }),
      makeCase({ id: 'M-2', location: { lng: 121.36, lat: 99, gridId: 'GC01', neighbourhoodId: 'N01' } }),
      makeTicket({ id: 'M-3' }),
      makeCase({ id: 'M-1' }),
      makeInspection({ id: 'M-4' }),
    ];
    const r = await s.post(batch);
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([
      { index: 0, status: 'stored', seq: before + 1 },
      { index: 1, status: 'rejected', errors: [expect.objectContaining({ path: 'location.lat' })] },
      { index: 2, status: 'stored', seq: before + 2 },
      { index: 3, status: 'duplicate' },
      { index: 4, status: 'stored', seq: before + 3 },
    ]);
    expect(await seqNow()).toBe(before + 3);

    const again = await s.post(batch);
    expect(again.body.results.map((x: { status: string }) => x.status)).toEqual(['duplicate', 'rejected', 'duplicate', 'duplicate', 'duplicate']);
    expect(await seqNow()).toBe(before + 3);
    expect(await s.store.read.history('case', 'M-1')).toHaveLength(1);
    expect(await s.store.read.history('case', 'M-2')).toHaveLength(0);
  });

  it('a single event object (not an array) works', async () => {
    const r = await s.post(makeCase({ id: 'single-1' }));
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toMatchObject({ index: 0, status: 'stored' });
  });

  it.each([
    // 121.358, 31.203 lies inside 淞五 N01 (and its grid GC01): each case breaks only the field it names.
    ['an unknown 居民区', makeCase({ id: 'G-1', location: { lng: 121.358, lat: 31.203, gridId: 'GC01', neighbourhoodId: 'N99' } }), 'location.neighbourhoodId'],
    ['an unknown grid', makeCase({ id: 'G-2', location: { lng: 121.358, lat: 31.203, gridId: 'GC77', neighbourhoodId: 'N01' } }), 'location.gridId'],
    ['a 小区 of another 居民区', makeCase({ id: 'G-3', location: { lng: 121.358, lat: 31.203, gridId: 'GC01', neighbourhoodId: 'N01', compoundId: 'C004' } }), 'location.compoundId'],
    ['a grid of another 居民区', makeCase({ id: 'G-5', location: { lng: 121.358, lat: 31.203, gridId: 'GC02', neighbourhoodId: 'N01' } }), 'location.gridId'],
    ['a point outside its 居民区', makeCase({ id: 'G-6', location: { lng: 121.36, lat: 31.21, gridId: 'GC01', neighbourhoodId: 'N01' } }), 'location'],
    ['a time in the future', makeCase({ id: 'G-4', occurredAt: new Date(Date.now() + 3600_000).toISOString() }), 'occurredAt'],
  ])('rejects %s', async (_what, item, path) => {
    const r = await s.post([item]);
    expect(r.body.results[0].status).toBe('rejected');
    expect(r.body.results[0].errors.map((e: { path: string }) => e.path)).toEqual([path]);
  });

  it('answers 400 for a body that is not JSON, with a stable code and no stack', async () => {
    const r = await s.post('{"kind": "case",', 'demo-ingest-key', true);
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_json');
    expect(JSON.stringify(r.body)).not.toMatch(/at .*\.js|node_modules/);
  });

  it.each([['a number', 42], ['a string', 'case'], ['null', null], ['an empty array', []]])('answers 400 for %s', async (_w, body) => {
    const r = await s.post(body);
    expect(r.status).toBe(400);
    expect(['invalid_body', 'empty_batch', 'invalid_json']).toContain(r.body.error);
  });

  it('answers 413 for more than 1,000 items or more than 1 MB, storing nothing', async () => {
    const before = await seqNow();
    const many = Array.from({ length: 1001 }, (_, i) => makeCase({ id: `big-${i}` }));
    const r1 = await s.post(many);
    expect(r1.status).toBe(413);
    const huge = [makeCase({ id: 'huge', description: 'x'.repeat(400) })].concat(
      Array.from({ length: 900 }, (_, i) => makeCase({ id: `huge-${i}`, description: '很'.repeat(450) })),
    );
    expect(Buffer.byteLength(JSON.stringify(huge))).toBeGreaterThan(1024 * 1024);
    const r2 = await s.post(huge);
    expect(r2.status).toBe(413);
    expect(r2.body.error).toBe('payload_too_large');
    expect(await seqNow()).toBe(before);
  });

  it('keeps seq gapless and increasing under concurrent requests', async () => {
    const before = await seqNow();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, r) => s.post(Array.from({ length: 50 }, (_, i) => makeCase({ id: `conc-${r}-${i}` })))),
    );
    const seqs = results.flatMap((x) => x.body.results.map((y: { seq: number }) => y.seq)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 1000 }, (_, i) => before + 1 + i));
  });

  it.each(['cases', 'tickets', 'inspections'])('stores every event of fixtures/events/%s.ndjson', async (name) => {
    const lines = readFileSync(new URL(`../../fixtures/events/${name}.ndjson`, import.meta.url), 'utf8').trim().split('\n');
    const r = await s.post(lines.map((l) => JSON.parse(l)));
    expect(r.status).toBe(200);
    expect(r.body.results.filter((x: { status: string }) => x.status !== 'stored')).toEqual([]);
    expect(r.body.results.length).toBeGreaterThanOrEqual(25);
  });

  it('GET /healthz reports the latest seq', async () => {
    const r = (await (await fetch(`${s.url}/healthz`)).json()) as { status: string; seq: number };
    expect(r.status).toBe('ok');
    expect(r.seq).toBe((await s.store.log.bounds()).latest);
  });
});
