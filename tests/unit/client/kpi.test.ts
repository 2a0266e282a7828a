import { describe, expect, it } from 'vitest';
import { fmtChange, fmtPoints, fmtRate } from '../../../client/src/format';
import { hasScope, kpiCards, periods, scoped, todayAndYesterday, type OpenNow } from '../../../client/src/stores/kpiView';
import { StreamData } from '../../../client/src/stores/streamData';

const NOW = Date.parse('2026-11-21T10:30:00+08:00'); // half past ten
const hourOf = (iso: string) => Math.floor(Date.parse(iso) / 3_600_000);
const noneOpen: OpenNow = { cases: 0, tickets: 0, overdue: { case: 0, ticket: 0, inspection: 0 }, overdueScoped: null };

describe('periods and same-time-yesterday totals', () => {
  it('compares today up to now with yesterday up to the same time, the current hour pro rata', () => {
    const p = periods(NOW);
    expect(p.hourNow).toBe(hourOf('2026-11-21T10:00:00+08:00'));
    expect(p.todayFrom).toBe(hourOf('2026-11-21T00:00:00+08:00'));
    expect(p.partial).toBeCloseTo(0.5);

    const data = new StreamData();
    data.addRollups([
      [hourOf('2026-11-21T08:00:00+08:00'), 'case.new', 3],
      [hourOf('2026-11-21T10:00:00+08:00'), 'case.new', 2],
      [hourOf('2026-11-20T09:00:00+08:00'), 'case.new', 4],
      [hourOf('2026-11-20T10:00:00+08:00'), 'case.new', 6], // half of it counts
      [hourOf('2026-11-20T11:00:00+08:00'), 'case.new', 100], // later than now yesterday: excluded
      [hourOf('2026-11-20T23:00:00+08:00'), 'case.new', 100],
    ]);
    const { today, yesterday } = todayAndYesterday(data, p);
    expect(today.get('case.new')).toBe(5);
    expect(yesterday.get('case.new')).toBe(7);
  });
});

describe('KPI cards', () => {
  const today = new Map([
    ['case.new', 20], ['case.new|src:smart', 5], ['case.closed', 10], ['case.timely', 9],
    ['case.new|area:A1', 8], ['case.closed|area:A1', 4], ['case.timely|area:A1', 4],
    ['ticket.new', 12], ['insp.done', 0],
  ]);
  const yesterday = new Map([['case.new', 16], ['case.new|src:smart', 2], ['case.closed', 8], ['case.timely', 6], ['ticket.new', 12]]);
  const byId = (cards: ReturnType<typeof kpiCards>) => Object.fromEntries(cards.map((c) => [c.id, c]));

  it('computes values and changes against yesterday', () => {
    const c = byId(kpiCards(today, yesterday, null, { ...noneOpen, cases: 30, tickets: 7, overdue: { case: 2, ticket: 1, inspection: 1 } }));
    expect(c.cases).toMatchObject({ value: 20, change: 0.25 });
    expect(c.tickets).toMatchObject({ value: 12, change: 0 });
    expect(c.timely!.value).toBeCloseTo(0.9);
    expect(c.timely!.change).toBeCloseTo(0.9 - 0.75); // rates change in points
    expect(c.smart!.value).toBeCloseTo(0.25);
    expect(c.open).toMatchObject({ value: 37, live: true, change: null });
    expect(c.overdue).toMatchObject({ value: 4, alert: true });
  });

  it('shows no data (null), never 0 % or 100 %, for a zero denominator', () => {
    const c = byId(kpiCards(today, yesterday, null, noneOpen));
    expect(c['hotline-ontime']!.value).toBeNull();
    expect(c.satisfaction!.value).toBeNull();
    expect(c.inspections).toMatchObject({ value: 0, change: null }); // 0 today, no base yesterday
    expect(fmtRate(c.satisfaction!.value)).toBe('—');
    expect(fmtChange(null)).toBe('—');
    expect(fmtPoints(0.021)).toBe('+2.1pt');
  });

  it('scopes to a 片区 where the rollups carry the dimension, and says so where they do not', () => {
    expect(hasScope('case.new', 'nb:N01')).toBe(true);
    expect(hasScope('case.timely', 'nb:N01')).toBe(false);
    expect(scoped(today, 'area:A1').get('case.new')).toBe(8);
    const c = byId(kpiCards(today, yesterday, 'area:A1', { ...noneOpen, overdueScoped: 1 }));
    expect(c.cases!.value).toBe(8);
    expect(c.closure!.value).toBeCloseTo(0.5);
    expect(c.smart).toMatchObject({ value: null, unscoped: true });
    expect(c.overdue).toMatchObject({ value: 1, unscoped: false });
  });
});
