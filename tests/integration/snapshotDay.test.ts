// A snapshot carries today's counters, kept in memory by the store: they follow the commits, and a
// new day starts from that day's stored rows (here: a case falling due tomorrow).
import { describe, expect, it } from 'vitest';
import type { SnapshotSync } from '#shared/protocol';
import { DAY_MS, HOUR_MS, hourOf, shanghaiMidnight, toShanghaiIso } from '#shared/time';
import { manualClock } from '../../server/src/clock';
import { makeCase } from '../support/events';
import { openSocket, startServer } from '../support/server';

const DAY = shanghaiMidnight('2026-11-21');

async function snapshot(url: string): Promise<SnapshotSync> {
  const socket = openSocket(url, { token: 'demo-viewer' });
  const sync = await new Promise<SnapshotSync>((resolve) => socket.on('sync', (s) => resolve(s as SnapshotSync)));
  socket.close();
  return sync;
}
const row = (s: SnapshotSync, hour: number, key: string) => s.rollups.find(([h, k]) => h === hour && k === key)?.[2];

describe('snapshot counters', () => {
  it('are today\'s: hours so far summed, new items hour by hour, the hours to come, and the next day from its own rows', async () => {
    const clock = manualClock(DAY + 11 * HOUR_MS);
    const s = await startServer({}, clock);
    try {
      const at = (h: number) => DAY + h * HOUR_MS;
      await s.post([
        makeCase({ id: 'CS-A', reportedAt: toShanghaiIso(at(9)), deadline: toShanghaiIso(at(15)) }, at(9)), // due later today
        makeCase({ id: 'CS-B', reportedAt: toShanghaiIso(at(10)), deadline: toShanghaiIso(at(24 + 9)) }, at(10)), // due tomorrow 09:00
      ]);
      await s.post([makeCase({ id: 'CS-A', version: 2, status: 'closed', reportedAt: toShanghaiIso(at(9)), deadline: toShanghaiIso(at(15)), closedAt: toShanghaiIso(at(10.5)), resolvedLevel: 'grid' }, at(10.5))]);
      const today = await snapshot(s.url);
      const from = hourOf(DAY);
      expect(row(today, hourOf(at(9)), 'case.new')).toBe(1); // the trend's hours
      expect(row(today, hourOf(at(10)), 'case.new@N01')).toBe(1);
      expect(row(today, from, 'case.due')).toBe(1); // CS-A closed early: due at 10:30, summed into the day's first row
      expect(row(today, from, 'case.onTime@A1')).toBe(1);
      expect(today.rollups.some(([h]) => h >= from + 24)).toBe(false); // tomorrow is not today's
      expect(row(today, 0, 'case.open')).toBe(1); // the gauge: CS-B

      clock.set(DAY + DAY_MS + 10 * HOUR_MS); // the next day, 10:00
      const next = await snapshot(s.url);
      expect(row(next, from + 24, 'case.due')).toBe(1); // CS-B fell due at 09:00
      expect(next.rollups.some(([, k]) => k === 'case.new')).toBe(false); // yesterday's new cases are gone
      expect(row(next, 0, 'case.open')).toBe(1);
    } finally {
      await s.stop();
    }
  });
});
