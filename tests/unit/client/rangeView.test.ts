import { describe, expect, it } from 'vitest';
import type { KpiSet } from '../../../shared/src/kpi/formulas';
import type { RangeReport } from '../../../shared/src/range';
import { kpiRows, rankingTables } from '../../../client/src/briefing/briefingModel';
import { buildGeoIndex } from '../../../client/src/map/geoIndex';
import type { OpenNow } from '../../../client/src/stores/kpiView';
import {
  periodDates, rangeChildRanking, rangeKpiCards, rangeLabel, rangeQuery, rangeTrend, readRange, writeRange, rangeCounters,
} from '../../../client/src/stores/rangeView';
import { geoFixture } from './helpers';

const geo = buildGeoIndex(geoFixture);
const kpis = (over: Partial<KpiSet>): KpiSet => ({
  casesNew: 0, closureRate: null, timelyRate: null, smartRate: null, inGridRate: null, ticketsNew: 0, ticketOnTimeRate: null,
  satisfactionRate: null, firstContactRate: null, inspectionsDone: 0, issueRate: null, rectifyRate: null, ...over,
});
const report = (over: Partial<RangeReport> = {}): RangeReport => ({
  period: { from: '2026-11-16T00:00:00+08:00', to: '2026-11-22T10:30:00+08:00' },
  previous: { from: '2026-11-09T00:00:00+08:00', to: '2026-11-15T10:30:00+08:00' },
  kpis: kpis({ casesNew: 120, ticketsNew: 40, inspectionsDone: 9, closureRate: 0.8, satisfactionRate: 0.9, timelyRate: 0.5 }),
  previousKpis: kpis({ casesNew: 100, ticketsNew: 50, inspectionsDone: 0, closureRate: 0.75, satisfactionRate: null, timelyRate: 0.5 }),
  rankings: {
    area: [{ id: 'A2', value: 70 }, { id: 'A1', value: 50 }],
    neighbourhood: [{ id: 'N01', value: 30 }], grid: [], category: [{ id: 'safety', value: 80 }, { id: 'community', value: 40 }],
    source: [{ id: 'patrol', value: 120 }], topic: [{ id: '噪音扰民', value: 40 }], ticketType: [{ id: 'complaint', value: 25 }, { id: 'consult', value: 15 }],
    campaign: [{ id: 'sewage', value: 9 }], campaignFailed: [{ id: 'sewage', value: 3 }],
  },
  funnel: { reported: 120, dispatched: 110, handling: 100, closed: 96 },
  series: {
    bucket: 'day',
    points: Array.from({ length: 7 }, (_, i) => ({ t: `2026-11-${16 + i}T00:00:00+08:00`, cases: i, tickets: 1, inspections: 0 })),
    previous: Array.from({ length: 7 }, () => ({ cases: 2, tickets: 0, inspections: 1 })),
  },
  tookMs: 3,
  ...over,
});
const now: OpenNow = { cases: 12, tickets: 5, overdue: { case: 2, ticket: 1, inspection: 0 }, overdueScoped: null };

describe('time ranges', () => {
  it('carries the funnel, ticket types and campaign failures of a range under the live rollup keys', () => {
    const c = rangeCounters(report());
    expect(c.get('case.new')).toBe(120);
    expect(c.get('case.reached.closed')).toBe(96);
    expect(c.get('ticket.new|type:complaint')).toBe(25);
    expect(c.get('insp.done|campaign:sewage')).toBe(9);
    expect(c.get('insp.failed|campaign:sewage')).toBe(3);
  });

  it('reads and writes the range in the URL and the API query', () => {
    expect(readRange(new URLSearchParams('range=7d'))).toEqual({ preset: '7d' });
    expect(readRange(new URLSearchParams(''))).toEqual({ preset: 'today' });
    expect(readRange(new URLSearchParams('from=2026-11-01&to=2026-11-03'))).toEqual({ preset: 'custom', from: '2026-11-01', to: '2026-11-03' });
    expect(rangeQuery({ preset: '30d' })).toBe('preset=30d');
    expect(rangeQuery({ preset: 'custom', from: '2026-11-01', to: '2026-11-03' })).toBe('from=2026-11-01&to=2026-11-03');
    const q = new URLSearchParams('range=7d&lang=en');
    writeRange(q, { preset: 'today' });
    expect(q.toString()).toBe('lang=en');
    expect(rangeLabel({ preset: '7d' }, 'zh')).toBe('近7天');
    expect(rangeLabel({ preset: 'custom', from: '2026-11-01', to: '2026-11-03' }, 'zh')).toBe('2026-11-01 至 2026-11-03');
    expect(periodDates(report().period)).toBe('2026-11-16 – 2026-11-22');
    expect(periodDates({ from: '2026-11-21T00:00:00+08:00', to: '2026-11-22T00:00:00+08:00' })).toBe('2026-11-21');
    expect(periodDates(report().previous, true)).toBe('11-09 – 11-15');
  });

  it('KPI cards of a range: counts with 环比, rates in points, gauges stay live', () => {
    const cards = new Map(rangeKpiCards(report(), now, false).map((c) => [c.id, c]));
    expect(cards.get('cases')).toMatchObject({ value: 120, change: 0.2, basis: 'previous', live: false });
    expect(cards.get('tickets')!.change).toBeCloseTo(-0.2);
    expect(cards.get('inspections')).toMatchObject({ value: 9, change: null }); // nothing before: no 环比
    expect(cards.get('closure')!.change).toBeCloseTo(0.05);
    expect(cards.get('timely')!.change).toBe(0);
    expect(cards.get('satisfaction')).toMatchObject({ value: 0.9, change: null });
    expect(cards.get('open')).toMatchObject({ value: 17, live: true });
    expect(cards.get('overdue')).toMatchObject({ value: 3, live: true, alert: true });
    expect(rangeKpiCards(report(), now, true).find((c) => c.id === 'cases')!.townWide).toBe(true);
  });

  it('trend: per day for the topic against the previous period', () => {
    const all = rangeTrend(report(), 'overview', 'zh');
    expect(all.labels).toEqual(['11-16', '11-17', '11-18', '11-19', '11-20', '11-21', '11-22']);
    expect(all.today).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(all.yesterday).toEqual([3, 3, 3, 3, 3, 3, 3]);
    expect(all.names).toEqual(['本期', '上期']);
    expect(rangeTrend(report(), 'hotline').today).toEqual([1, 1, 1, 1, 1, 1, 1]);
    const hourly = rangeTrend(report({ series: { bucket: 'hour', points: [{ t: '2026-11-21T09:00:00+08:00', cases: 1, tickets: 0, inspections: 0 }], previous: [] } }), 'cases');
    expect(hourly).toMatchObject({ labels: ['09'], today: [1], yesterday: [0] });
  });

  it('rankings of the selection\'s children over the range, with names and zeros', () => {
    const areas = rangeChildRanking(report(), geo, { level: 'town', id: 'town', path: {} });
    expect(areas.level).toBe('area');
    expect(areas.items.slice(0, 2).map((i) => [i.id, i.name, i.value])).toEqual([['A2', '新泾片区', 70], ['A1', geo.name('A1'), 50]]);
    expect(areas.items).toHaveLength(geo.areas().length);
    const a1 = rangeChildRanking(report(), geo, { level: 'area', id: 'A1', path: { areaId: 'A1' } });
    expect(a1.level).toBe('neighbourhood');
    expect(a1.items[0]).toMatchObject({ id: 'N01', name: '淞五', value: 30 });
  });

  it('briefing tables: KPI rows with 环比 and rankings with shares', () => {
    const rows = new Map(kpiRows(report(), 'zh').map((r) => [r.id, r]));
    expect(rows.get('casesNew')).toMatchObject({ name: '新增案件', current: '120', previous: '100', change: '+20%', trend: 'up' });
    expect(rows.get('closureRate')).toMatchObject({ current: '80.0%', previous: '75.0%', change: '+5.0pt', trend: 'up' });
    expect(rows.get('ticketsNew')).toMatchObject({ change: '−20%', trend: 'down' });
    expect(rows.get('satisfactionRate')).toMatchObject({ previous: '—', change: '—', trend: 'flat' });
    const t = rankingTables(report(), geo, 'zh');
    expect(t.areas[0]).toMatchObject({ name: '新泾片区', value: 70, share: '58.3%' });
    expect(t.categories[0]).toMatchObject({ id: 'safety', name: '安全隐患', share: '66.7%' });
    expect(t.areas.map((r) => r.value)).toEqual([70, 50, 0, 0]); // every 片区, even without cases
    expect(t.neighbourhoods.map((r) => [r.id, r.share])).toEqual([['N01', '100.0%']]); // other rows only when non-zero
    expect(t.campaigns.map((r) => r.id)).toEqual(['sewage']);
  });
});
