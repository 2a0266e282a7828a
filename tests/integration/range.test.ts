// The range API's contract: periods, places, errors. Its figures are checked against a brute-force
// count in figures.test.ts.
import { describe, expect, it } from 'vitest';
import type { RangeReport } from '#shared/range';
import { rangeReportSchema } from '#shared/rangeSchema';
import { DAY_MS, HOUR_MS, shanghaiMidnight } from '#shared/time';
import { manualClock } from '../../server/src/clock';
import { startServer } from '../support/server';

const NOW = shanghaiMidnight('2026-11-06') + 12 * HOUR_MS; // 2026-11-06 12:00
const headers = { authorization: 'Bearer demo-viewer' };

describe('range API', () => {
  it('refuses a bad range naming the field, and asks for a screen token', async () => {
    const s = await startServer({}, manualClock(NOW));
    try {
      const bad = await fetch(`${s.url}/api/v1/range?from=2026-11-05&to=2026-11-01`, { headers });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: 'invalid_query', path: 'to' });
      const badPlace = await fetch(`${s.url}/api/v1/range?preset=7d&nb=X1`, { headers });
      expect(badPlace.status).toBe(400);
      expect(await badPlace.json()).toMatchObject({ error: 'invalid_query', path: 'nb' });
      const unknown = await fetch(`${s.url}/api/v1/range?preset=7d&grid=GC99`, { headers });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: 'not_found', path: 'grid' });
      const anon = await fetch(`${s.url}/api/v1/range?preset=7d`);
      expect(anon.status).toBe(401);
    } finally {
      await s.stop();
    }
  });

  it('answers every preset with periods over whole hours, the place asked for, and no 环比 without history', async () => {
    const s = await startServer({}, manualClock(NOW));
    try {
      const get = async (q: string) => rangeReportSchema.parse(await (await fetch(`${s.url}/api/v1/range?${q}`, { headers })).json()) as RangeReport;
      const week = await get('preset=7d&area=A2');
      // 近7天 = today and the six days before, up to now; 环比 = the same span one week earlier, to the whole hour.
      expect(week.place).toBe('A2');
      expect(week.period).toEqual({ from: '2026-10-31T00:00:00+08:00', to: '2026-11-06T12:00:00+08:00' });
      expect(week.previous).toEqual({ from: '2026-10-24T00:00:00+08:00', to: '2026-10-30T12:00:00+08:00' });
      expect(week.series.bucket).toBe('day');
      expect(week.series.points).toHaveLength(7);
      expect(week.figures.children?.level).toBe('neighbourhood');
      // Nothing stored: no history, so no comparison and every rate "no data".
      expect(week.comparable).toBe(false);
      expect(week.historyFrom).toBeNull();
      expect(Object.values(week.figures.rates).every((r) => r === null)).toBe(true);
      const nb = await get('preset=today&area=A2&nb=N09&grid=GC09');
      expect(nb.place).toBe('GC09'); // the most specific place wins, as in the screen's URL
      expect(nb.figures.children).toBeNull();
      expect(nb.previous).toEqual({ from: '2026-11-05T00:00:00+08:00', to: '2026-11-05T12:00:00+08:00' });
      expect(nb.series.points).toHaveLength(12);
      expect(nb.series.previous).toHaveLength(24); // the trend compares with the whole of yesterday
      expect(week.series.previous).toHaveLength(7);
      const yesterday = await get('preset=yesterday');
      expect(yesterday.period).toEqual({ from: '2026-11-05T00:00:00+08:00', to: '2026-11-06T00:00:00+08:00' });
      expect(yesterday.series.points).toHaveLength(24);
      expect(Date.parse(yesterday.period.to) - Date.parse(yesterday.period.from)).toBe(DAY_MS);
    } finally {
      await s.stop();
    }
  });
});
