// Retention on a real server (RETENTION_DAYS): what was stored more than the window ago leaves the
// bottom of the log; a screen whose lastSeq is below what is kept gets a snapshot, one within it a
// resume; the range figures and entity states are what they were. docs/operations.md, "Retention".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, shanghaiDate } from '#shared/time';
import { manualClock } from '../../server/src/clock';
import { consume } from '../support/consumer';
import { BASE_MS, makeCase, next } from '../support/events';
import { startServer, waitFor, type TestServer } from '../support/server';

const clock = manualClock(BASE_MS);
let s: TestServer;
beforeAll(async () => {
  s = await startServer({ RETENTION_DAYS: '2' }, clock);
});
afterAll(() => s?.stop());

const headers = { authorization: 'Bearer demo-viewer' };
const get = async (path: string) => {
  const res = await fetch(`${s.url}${path}`, { headers });
  expect(res.status).toBe(200);
  const { tookMs: _, ...body } = (await res.json()) as Record<string, unknown>;
  return body;
};

describe('retention (RETENTION_DAYS=2)', () => {
  it('deletes the events stored more than two days ago; older cursors get a snapshot; figures and states stay', async () => {
    // day 0: 100 cases reported; three days later, 50 more and a second version of five of the first
    const first = Array.from({ length: 100 }, (_, i) => makeCase({ id: `R-${i}` }, BASE_MS - i * 60_000));
    expect((await s.post(first)).body.results.at(-1)).toMatchObject({ status: 'stored', seq: 100 });
    clock.set(BASE_MS + 3 * DAY_MS);
    const later = [
      ...Array.from({ length: 50 }, (_, i) => makeCase({ id: `L-${i}` }, BASE_MS + 3 * DAY_MS - i * 60_000)),
      ...first.slice(0, 5).map((e) => next(e, 2, BASE_MS + 3 * DAY_MS, { status: 'accepted' })),
    ];
    expect((await s.post(later)).body.results.at(-1)).toMatchObject({ status: 'stored', seq: 155 });
    const day0 = shanghaiDate(BASE_MS);
    const ranges = [`/api/v1/range?from=${day0}&to=${day0}`, '/api/v1/range?preset=7d', `/api/v1/range?from=${day0}&to=${day0}&nb=N01`];
    const before = await Promise.all(ranges.map(get));
    expect((before[0] as { figures: { counts: { casesNew: number } } }).figures.counts.casesNew).toBe(100);

    expect(await s.server.retention.run()).toBe(100);
    expect(await s.store.log.bounds()).toEqual({ oldest: 101, latest: 155 });
    expect(((await (await fetch(`${s.url}/healthz`)).json()) as { seq: number }).seq).toBe(155);
    expect(await Promise.all(ranges.map(get))).toEqual(before);

    // An entity's current state stays; its timeline holds the versions retained.
    const entity = (await get('/api/v1/entities/case/R-0')) as { entity: { version: number }; timeline: Array<{ seq: number }> };
    expect(entity.entity.version).toBe(2);
    expect(entity.timeline.map((t) => t.seq)).toEqual([151]);
    expect(((await get('/api/v1/entities/case/R-99')) as { timeline: unknown[] }).timeline).toEqual([]);

    // A screen that last applied seq 50 cannot be resumed: a snapshot as of 155.
    const behind = consume(s.url, 'demo-viewer', 50);
    behind.connect();
    await waitFor(() => behind.syncs.length === 1, 10_000, 'the sync of a screen behind');
    expect(behind.syncs[0]).toMatchObject({ mode: 'snapshot', seq: 155 });
    behind.close();
    // One that applied 100, the last seq deleted, is resumed with exactly what is kept.
    const atEdge = consume(s.url, 'demo-viewer', 100);
    atEdge.connect();
    await waitFor(() => atEdge.seq.applied === 155, 10_000, 'the resume');
    expect(atEdge.syncs[0]).toMatchObject({ mode: 'resume', fromSeq: 100, toSeq: 155 });
    expect(atEdge.applied.map((e) => e.seq)).toEqual(Array.from({ length: 55 }, (_, i) => 101 + i));
    atEdge.close();
  });
});
