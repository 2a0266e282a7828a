import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, shanghaiMidnight } from '#shared/time';
import { manualClock } from '../../server/src/clock';
import { BASE_MS, makeCase, makeTicket, next } from '../support/events';
import { startServer, type TestServer } from '../support/server';

let s: TestServer;
const get = async (path: string, token: string | null = 'demo-viewer') => {
  const res = await fetch(`${s.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

beforeAll(async () => {
  s = await startServer({}, manualClock(BASE_MS + 3 * DAY_MS));
  const c = makeCase({ id: 'CS-DETAIL', reporterPhone: '13912345678', description: '联系人王小明13912345678反映楼道堆物' });
  await s.post([
    c,
    next(c, 2, BASE_MS + 600_000, { status: 'dispatched', department: '城管中队' }),
    next(c, 3, BASE_MS + 7200_000, { status: 'closed', closedAt: new Date(BASE_MS + 7200_000).toISOString(), resolvedLevel: 'grid' }),
    makeTicket({ id: 'RX-OVERDUE', address: '泉口路109弄 5号', dueAt: new Date(BASE_MS + 3600_000).toISOString(), firstContactDueAt: new Date(BASE_MS + 1800_000).toISOString() }),
    // a day of events in mixed arrival order for replay; one the day before and one after
    makeCase({ id: 'R-3' }, BASE_MS + 5 * 3600_000),
    makeCase({ id: 'R-1' }, BASE_MS - 8 * 3600_000),
    makeCase({ id: 'R-2' }, BASE_MS + 3600_000),
    makeCase({ id: 'R-prev' }, BASE_MS - 10 * 3600_000),
    makeCase({ id: 'R-next' }, BASE_MS + 16 * 3600_000),
  ]);
});
afterAll(() => s.stop());

describe('screen API', () => {
  it('requires a screen token (an ingest key is not one)', async () => {
    expect((await get('/api/v1/entities/case/CS-DETAIL', null)).status).toBe(401);
    expect((await get('/api/v1/entities/case/CS-DETAIL', 'demo-ingest-key')).status).toBe(401);
  });

  it('returns an entity with its full lifecycle timeline, masked', async () => {
    const r = await get('/api/v1/entities/case/CS-DETAIL');
    expect(r.status).toBe(200);
    expect(r.body.entity).toMatchObject({ id: 'CS-DETAIL', version: 3, status: 'closed', reporterPhone: '139****5678' });
    expect(r.body.timeline.map((t: { event: { version: number; status: string } }) => [t.event.version, t.event.status])).toEqual([
      [1, 'reported'], [2, 'dispatched'], [3, 'closed'],
    ]);
    expect(JSON.stringify(r.body)).not.toMatch(/13912345678|王小明/);
    expect((await get('/api/v1/entities/case/NOPE')).status).toBe(404);
    expect((await get('/api/v1/entities/parcel/X')).body).toMatchObject({ error: 'invalid_query', path: 'kind' });
  });

  it('searches by exact id, then by id or address text', async () => {
    expect((await get('/api/v1/search?q=cs-detail')).body.results.map((x: { id: string }) => x.id)).toEqual(['CS-DETAIL']);
    const byAddress = await get(`/api/v1/search?q=${encodeURIComponent('泉口路109弄')}`);
    expect(byAddress.body.results).toEqual([expect.objectContaining({ id: 'RX-OVERDUE', address: '泉口路109弄 5号' })]);
    expect((await get('/api/v1/search?q=%25')).body.results).toEqual([]); // % is literal, not a wildcard
    expect((await get('/api/v1/search?q=')).status).toBe(400);
  });

  it('lists the longest overdue open items first', async () => {
    const r = await get('/api/v1/overdue?limit=5');
    expect(r.body.results[0]).toMatchObject({ id: 'RX-OVERDUE', kind: 'ticket', open: true });
    expect(r.body.results.map((x: { id: string }) => x.id)).not.toContain('CS-DETAIL'); // closed
  });

  it('replays a day in event-time order, page by page, whatever the arrival order', async () => {
    const date = new Date(BASE_MS + 8 * 3600_000).toISOString().slice(0, 10); // the Shanghai date of BASE_MS
    const ids: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const r = await get(`/api/v1/replay?date=${date}&limit=3${after ? `&after=${after}` : ''}`);
      expect(r.status).toBe(200);
      for (const e of r.body.events) ids.push(`${e.event.id}@${e.event.version}`);
      const times = r.body.events.map((e: { event: { occurredAt: string } }) => Date.parse(e.event.occurredAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      after = r.body.next;
      pages++;
    } while (after && pages < 10);
    const dayStart = shanghaiMidnight(date);
    expect(dayStart).toBeLessThanOrEqual(BASE_MS - 8 * 3600_000);
    expect(ids).toEqual(['R-1@1', 'CS-DETAIL@1', 'RX-OVERDUE@1', 'CS-DETAIL@2', 'R-2@1', 'CS-DETAIL@3', 'R-3@1']);
    expect(ids).not.toContain('R-prev@1');
    expect(ids).not.toContain('R-next@1');
    expect((await get(`/api/v1/replay?date=21-11-2026`)).body).toMatchObject({ error: 'invalid_query', path: 'date' });
  });
});
