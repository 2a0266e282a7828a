import { describe, expect, it } from 'vitest';
import { hourly } from '../../../client/src/stores/chartData';
import type { StreamData } from '../../../client/src/stores/streamData';

// Rollup counts as a snapshot leaves them: town and 片区 hour by hour, 居民区 summed into today's first hour.
const TODAY = 1000;
const rows = new Map<string, number>([
  [`${TODAY + 9}|case.new`, 5], [`${TODAY + 9}|case.new|area:A1`, 2], [`${TODAY - 15}|case.new|area:A1`, 4], [`${TODAY}|case.new|nb:N01`, 7],
]);
const data = { count: (hour: number, key: string) => rows.get(`${hour}|${key}`) ?? 0 } as unknown as StreamData;
const periods = { todayFrom: TODAY, hourNow: TODAY + 10, partial: 0.5 };

describe('hourly trend', () => {
  it('follows a 片区 hour by hour, today and yesterday', () => {
    const s = hourly(data, periods, ['case.new'], 'area:A1');
    expect(s.townWide).toBe(false);
    expect(s.today[9]).toBe(2);
    expect(s.yesterday[9]).toBe(4);
    expect(s.today[11]).toBeNull(); // the future
  });

  it('stays town-wide for a 居民区, whose breakdown is not hourly, instead of piling the day into 00:00', () => {
    const s = hourly(data, periods, ['case.new'], 'nb:N01');
    expect(s.townWide).toBe(true);
    expect(s.today[0]).toBe(0);
    expect(s.today[9]).toBe(5);
  });
});
