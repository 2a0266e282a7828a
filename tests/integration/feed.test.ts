// The feed's read: the latest events of a topic, place and filters, newest first, masked, and a
// screen bound to a place cannot read another's.
import { describe, expect, it } from 'vitest';
import { ringCentre } from '#shared/geometry';
import type { FeedPage } from '#shared/http';
import { HOUR_MS } from '#shared/time';
import { manualClock } from '../../server/src/clock';
import { BASE_MS, makeCase, makeTicket, next } from '../support/events';
import { startServer, town } from '../support/server';

const at = (nb: string) => {
  const [lng, lat] = ringCentre(town.ringOf(nb)!);
  return { lng, lat, gridId: town.communityGridOf(nb)!, neighbourhoodId: nb };
};

describe('feed API', () => {
  it('answers the latest matching events of a place, newest first, and refuses places outside a bound token', async () => {
    const clock = manualClock(BASE_MS + 6 * HOUR_MS);
    const s = await startServer({ INGEST_KEYS: 'test:ingest-key-123456', VIEWER_TOKENS: 'wall-a1:token-of-a1-wall@A1,town:token-of-the-town' }, clock);
    try {
      const quiet = town.areaOf('N09') === 'A1' ? 'N20' : 'N09'; // a 居民区 outside 片区 A1
      const busy = ['N01', 'N02', 'N03'].find((nb) => town.areaOf(nb) !== town.areaOf(quiet))!;
      const items = [
        // 300 events elsewhere: more than a screen's buffer, so the quiet place's would be gone from it
        ...Array.from({ length: 300 }, (_, i) => makeCase({ id: `CS-B-${i}`, location: at(busy) }, BASE_MS + i * 60_000)),
        makeCase({ id: 'CS-Q-1', location: at(quiet), urgent: true, reporterPhone: '13912345678' }, BASE_MS),
        makeTicket({ id: 'RX-Q-1', location: at(quiet) }, BASE_MS + 60_000),
      ];
      items.push(next(items.at(-2)!, 2, BASE_MS + 2 * 60_000, { status: 'dispatched' }));
      const posted = await s.post(items, 'ingest-key-123456');
      expect(posted.status, JSON.stringify(posted.body).slice(0, 300)).toBe(200);
      expect(posted.body.results.every((r: { status: string }) => r.status === 'stored')).toBe(true);

      const get = async (q: string, token = 'token-of-the-town') => {
        const res = await fetch(`${s.url}/api/v1/feed?${q}`, { headers: { authorization: `Bearer ${token}` } });
        return { status: res.status, body: (await res.json()) as FeedPage & { error?: string } };
      };
      const all = await get(`nb=${quiet}`);
      expect(all.status).toBe(200);
      expect(all.body.events.map((e) => `${e.event.id}@${e.event.version}`)).toEqual(['CS-Q-1@2', 'RX-Q-1@1', 'CS-Q-1@1']);
      expect(JSON.stringify(all.body)).not.toContain('13912345678'); // masked like every screen read
      const cases = await get(`nb=${quiet}&stream=case&status=dispatched`);
      expect(cases.body.events.map((e) => e.event.id + e.event.status)).toEqual(['CS-Q-1dispatched']);
      const urgent = await get(`nb=${quiet}&kinds=ticket&urgent=1`);
      expect(urgent.body.events).toEqual([]);
      // Latest by when they happened, not by arrival: the quiet place's events came last but are older.
      const town16 = await get('limit=16');
      expect(town16.body.events).toHaveLength(16);
      expect(town16.body.events.map((e) => e.event.id)).toEqual(Array.from({ length: 16 }, (_, i) => `CS-B-${299 - i}`));

      const bad = await get('kinds=cases');
      expect(bad.status).toBe(400);
      const forbidden = await get(`nb=${quiet}`, 'token-of-a1-wall');
      expect(forbidden.status).toBe(403);

      // The longest-overdue list of a place (the briefing of a 居民区 lists its own).
      clock.set(BASE_MS + 30 * HOUR_MS);
      const overdue = async (q: string) => (await (await fetch(`${s.url}/api/v1/overdue?${q}`, { headers: { authorization: 'Bearer token-of-the-town' } })).json()) as { results: Array<{ id: string }> };
      expect((await overdue(`nb=${quiet}`)).results.map((r) => r.id)).toEqual(['CS-Q-1']);
      expect((await overdue('limit=100')).results).toHaveLength(100);
    } finally {
      await s.stop();
    }
  });
});
