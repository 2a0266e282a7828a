// The time range of a view as the URL and the range API name it (client/src/stores/rangeChoice.ts).
import { describe, expect, it } from 'vitest';
import type { RangeReport } from '#shared/range';
import { placeQuery } from '../../../client/src/stores/range';
import {
  isLiveRange, LIVE_RANGE, periodDates, rangeLabel, rangeQuery, reachesNow, readRange, spanDays, writeRange,
} from '../../../client/src/stores/rangeChoice';

const read = (search: string) => readRange(new URLSearchParams(search));

describe('range choice', () => {
  it('reads a preset or a custom span from the URL; 今日 (live) otherwise', () => {
    expect(read('range=7d')).toEqual({ preset: '7d' });
    expect(read('range=yesterday&lang=en')).toEqual({ preset: 'yesterday' });
    expect(read('')).toEqual({ preset: 'today' });
    expect(read('from=2026-11-01&to=2026-11-03')).toEqual({ preset: 'custom', from: '2026-11-01', to: '2026-11-03' });
    expect(read('from=2026-11-03&to=2026-11-03&range=7d')).toEqual({ preset: 'custom', from: '2026-11-03', to: '2026-11-03' });
    // nonsense falls back: an unknown preset, reversed or malformed dates
    expect(read('range=1y')).toEqual(LIVE_RANGE);
    expect(read('from=2026-11-10&to=2026-11-01&range=30d')).toEqual({ preset: '30d' });
    expect(read('from=2026-13-01&to=2026-13-02')).toEqual(LIVE_RANGE);
    expect(read('from=20261101&to=2026-11-03')).toEqual(LIVE_RANGE);
  });

  it('writes only what differs from live, leaving other parameters alone, and reads back the same', () => {
    const q = new URLSearchParams('range=7d&lang=en');
    writeRange(q, { preset: 'today' });
    expect(q.toString()).toBe('lang=en');
    writeRange(q, { preset: 'custom', from: '2026-11-01', to: '2026-11-03' });
    expect(q.toString()).toBe('lang=en&from=2026-11-01&to=2026-11-03');
    expect(readRange(q)).toEqual({ preset: 'custom', from: '2026-11-01', to: '2026-11-03' });
    writeRange(q, { preset: '30d' });
    expect(q.toString()).toBe('lang=en&range=30d');
    expect(readRange(q)).toEqual({ preset: '30d' });
  });

  it('names the range for the API, with the place as the screen URL names it', () => {
    expect(rangeQuery({ preset: '30d' })).toBe('preset=30d');
    expect(rangeQuery({ preset: 'custom', from: '2026-11-01', to: '2026-11-03' })).toBe('from=2026-11-01&to=2026-11-03');
    expect(placeQuery('town')).toBe('');
    expect(placeQuery('A2')).toBe('&area=A2');
    expect(placeQuery('N07')).toBe('&nb=N07');
    expect(placeQuery('GC07')).toBe('&grid=GC07');
    expect(isLiveRange(LIVE_RANGE)).toBe(true);
    expect(isLiveRange({ preset: 'yesterday' })).toBe(false);
  });

  it('labels the range in either language', () => {
    expect(rangeLabel({ preset: '7d' }, 'zh')).toBe('近7天');
    expect(rangeLabel({ preset: 'today' }, 'zh')).toBe('今日');
    expect(rangeLabel({ preset: 'yesterday' }, 'en')).not.toBe('昨日');
    expect(rangeLabel({ preset: 'custom', from: '2026-11-01', to: '2026-11-03' }, 'zh')).toBe('2026-11-01 至 2026-11-03');
    expect(rangeLabel({ preset: 'custom', from: '2026-11-05', to: '2026-11-05' }, 'zh')).toBe('2026-11-05');
  });

  it('shows a report period as dates, its end exclusive', () => {
    expect(periodDates({ from: '2026-11-16T00:00:00+08:00', to: '2026-11-22T10:30:00+08:00' })).toBe('2026-11-16 – 2026-11-22');
    expect(periodDates({ from: '2026-11-21T00:00:00+08:00', to: '2026-11-22T00:00:00+08:00' })).toBe('2026-11-21');
    expect(periodDates({ from: '2026-11-09T00:00:00+08:00', to: '2026-11-16T00:00:00+08:00' }, true)).toBe('11-09 – 11-15');
    expect(spanDays('2026-11-01', '2026-11-03')).toBe(3);
    expect(spanDays('2026-11-01', '2026-11-01')).toBe(1);
  });

  it('a period reaching now keeps refreshing; a past one does not', () => {
    const now = Date.parse('2026-11-22T10:30:00+08:00');
    const r = (to: string) => ({ period: { from: '2026-11-16T00:00:00+08:00', to } }) as RangeReport;
    expect(reachesNow(r('2026-11-22T10:30:00+08:00'), now)).toBe(true);
    expect(reachesNow(r('2026-11-22T00:00:00+08:00'), now)).toBe(false);
  });
});
