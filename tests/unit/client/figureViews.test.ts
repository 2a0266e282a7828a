// The panels' selectors over one FigureView (client/src/stores/figureViews.ts), and the briefing's
// tables from a range report: figures built by the shared model from counter values.
import { describe, expect, it } from 'vitest';
import { computeFigures, type Figures } from '#shared/model/figures';
import { placeTree } from '#shared/model/places';
import type { RangeReport, StreamCounts } from '#shared/range';
import { kpiRows, rankingTables } from '../../../client/src/briefing/briefingModel';
import { fmtChange, fmtPoints, fmtRate } from '../../../client/src/format';
import { buildGeoIndex } from '../../../client/src/stores/geoIndex';
import {
  byValue, campaignRows, funnelStages, items, kpiCards, kpiIds, ranking, trend, type FigureView, type KpiCard,
} from '../../../client/src/stores/figureViews';
import { geoFixture } from './helpers';

const geo = buildGeoIndex(geoFixture);
const tree = placeTree(geoFixture);
const figures = (c: Record<string, number>, place = 'town'): Figures => computeFigures((k) => c[k] ?? 0, place, tree.children(place));
const sc = (c: number, t: number, i: number): StreamCounts => ({ case: c, ticket: t, inspection: i });

/** This period: 120 cases (30 smart), 100 due of which 80 closed, 50 timely; 40 tickets, 10 rated, 9 satisfied; 9 inspections. */
const current = figures({
  'case.new': 120, 'case.new|src:smart': 30, 'case.due': 100, 'case.closed': 80, 'case.onTime': 70, 'case.timely': 50,
  'case.reached.dispatched': 110, 'case.reached.handling': 100, 'case.reached.closed': 96,
  'ticket.new': 40, 'ticket.rated': 10, 'ticket.satisfied': 9, 'insp.done': 9, 'insp.failed': 3,
  'insp.done|campaign:sewage': 6, 'insp.failed|campaign:sewage': 3, 'insp.done|campaign:garbage': 3,
  'case.new@A2': 70, 'case.new@A1': 50, 'ticket.new@A1': 30, 'ticket.new@A3': 10, 'insp.done@A4': 9,
  'case.new|cat:safety': 80, 'case.new|cat:community': 40,
});
/** The previous period: 100 cases (20 smart), 100 due, 75 closed, 50 timely; 50 tickets, none rated; no inspections. */
const previous = figures({ 'case.new': 100, 'case.new|src:smart': 20, 'case.due': 100, 'case.closed': 75, 'case.timely': 50, 'ticket.new': 50 });

const view = (over: Partial<FigureView> = {}): FigureView => ({
  mode: 'range', place: 'town', figures: current, previous, comparable: true,
  series: {
    labels: ['11-16', '11-17', '11-18'],
    current: [sc(1, 1, 0), sc(2, 1, 1), sc(3, 1, 0)],
    previous: [sc(2, 0, 1), sc(2, 0, 1), sc(2, 0, 1)],
  },
  open: sc(12, 5, 1), overdue: sc(2, 1, 0), ...over,
});
const cards = (v: FigureView): Record<string, KpiCard> => Object.fromEntries(kpiCards(v).map((c) => [c.id, c]));

describe('KPI cards', () => {
  it('one card per id, in order', () => {
    expect(kpiCards(view()).map((c) => c.id)).toEqual([...kpiIds]);
  });

  it('counts with their relative change, rates with the change in points', () => {
    const c = cards(view());
    expect(c.cases).toMatchObject({ kind: 'count', value: 120, live: false, basis: 'previous' });
    expect(c.cases!.change).toBeCloseTo(0.2);
    expect(c.tickets!.change).toBeCloseTo(-0.2);
    expect(c.inspections).toMatchObject({ value: 9, change: null }); // base 0: no 环比
    expect(c.closure).toMatchObject({ kind: 'rate', value: 0.8 });
    expect(c.closure!.change).toBeCloseTo(0.05);
    expect(c.timely).toMatchObject({ value: 0.5, change: 0 });
    expect(c.smart!.value).toBeCloseTo(0.25);
    expect(c.smart!.change).toBeCloseTo(0.05);
    expect(c.satisfaction).toMatchObject({ value: 0.9, change: null }); // nothing rated before
    expect(c['hotline-ontime']).toMatchObject({ value: null, change: null }); // nothing due: no data, not 0 %
  });

  it('open and overdue are gauges with their breakdowns, never compared', () => {
    const c = cards(view());
    expect(c.open).toMatchObject({ value: 17, live: true, change: null, alert: false, breakdown: { case: 12, ticket: 5 } });
    expect(c.overdue).toMatchObject({ value: 3, live: true, change: null, alert: true, breakdown: { case: 2, ticket: 1, inspection: 0 } });
    expect(cards(view({ overdue: sc(0, 0, 0) })).overdue).toMatchObject({ value: 0, alert: false });
  });

  it('no change when the previous period is missing or not covered by the history', () => {
    for (const v of [view({ previous: null }), view({ comparable: false })]) {
      const c = kpiCards(v);
      expect(c.map((k) => k.change)).toEqual(kpiIds.map(() => null));
      expect(c.find((k) => k.id === 'cases')!.value).toBe(120);
    }
  });

  it('live: the value is today so far, the change compares today\'s whole hours with yesterday\'s', () => {
    const c = cards(view({
      mode: 'live', figures: figures({ 'case.new': 25 }), compared: figures({ 'case.new': 20 }), previous: figures({ 'case.new': 16 }),
    }));
    expect(c.cases).toMatchObject({ value: 25, change: 0.25, basis: 'yesterday' });
    // a replayed day: figures as of the replay clock, no comparison, gauges too
    const replayed = cards(view({ mode: 'replay', previous: null }));
    expect(replayed.cases).toMatchObject({ change: null, basis: 'replay' });
    expect(replayed.overdue).toMatchObject({ live: true, basis: 'replay' });
  });

  it('formats no data as "—", never as 0 % or 100 %', () => {
    expect(fmtRate(cards(view()).satisfaction!.value)).toBe('90.0%');
    expect(fmtRate(null)).toBe('—');
    expect(fmtChange(null)).toBe('—');
    expect(fmtChange(0.2)).toBe('+20%');
    expect(fmtPoints(0.021)).toBe('+2.1pt');
    expect(fmtPoints(-0.05)).toBe('−5.0pt');
  });
});

describe('trend', () => {
  it('sums the topic\'s streams per bucket, this period against the previous', () => {
    const all = trend(view(), 'overview', ['本期', '上期']);
    expect(all).toMatchObject({ labels: ['11-16', '11-17', '11-18'], today: [2, 4, 4], yesterday: [3, 3, 3], names: ['本期', '上期'] });
    expect(trend(view(), 'cases')).toMatchObject({ today: [1, 2, 3], yesterday: [2, 2, 2] });
    expect(trend(view(), 'hotline').today).toEqual([1, 1, 1]);
    expect(trend(view(), 'inspections')).toMatchObject({ today: [0, 1, 0], yesterday: [1, 1, 1] });
    expect(trend(view(), 'cases').names).toBeUndefined();
  });

  it('keeps hours still to come empty (null), not zero', () => {
    const t = trend(view({ series: { labels: ['00', '01', '02'], current: [sc(1, 0, 0), sc(0, 0, 0), null], previous: [] } }), 'cases');
    expect(t.today).toEqual([1, 0, null]);
    expect(t.yesterday).toEqual([]);
  });
});

describe('rankings, funnel and campaigns', () => {
  it('ranks the place\'s children by the topic\'s new items, every child listed', () => {
    const r = ranking(current, 'cases', (id) => geo.name(id) ?? id)!;
    expect(r.level).toBe('area');
    expect(r.metric).toBe('case');
    expect(r.items.map((i) => [i.id, i.value])).toEqual([['A2', 70], ['A1', 50], ['A3', 0], ['A4', 0]]);
    expect(r.items[0]!.name).toBe('新泾片区');
    const overview = ranking(current, 'overview', (id) => id)!;
    expect(overview.metric).toBe('case+ticket+inspection');
    expect(overview.items.map((i) => [i.id, i.value])).toEqual([['A1', 80], ['A2', 70], ['A3', 10], ['A4', 9]]);
    expect(ranking(current, 'hotline', (id) => id)!.items[0]).toMatchObject({ id: 'A1', value: 30 });
  });

  it('ranks a 片区\'s 居民区 and has nothing to rank at a grid', () => {
    const a1 = figures({ 'case.new@N03': 4, 'case.new@N01': 6, 'case.new@N09': 50 }, 'A1');
    const r = ranking(a1, 'cases', (id) => geo.name(id) ?? id)!;
    expect(r.level).toBe('neighbourhood');
    expect(r.items.slice(0, 2)).toEqual([{ id: 'N01', name: '淞五', value: 6 }, { id: 'N03', name: geo.name('N03'), value: 4 }]);
    expect(r.items.map((i) => i.id).sort()).toEqual(geo.neighbourhoodsOf('A1').sort()); // N09 is in A2
    expect(ranking(figures({ 'case.new@GC01': 3 }, 'GC01'), 'cases', (id) => id)).toBeNull();
  });

  it('funnel: 发现 → 派单 → 处置 → 结案 of the period\'s cohort', () => {
    expect(funnelStages(current, (s) => s.toUpperCase())).toEqual([
      { id: 'reported', name: 'REPORTED', value: 120 }, { id: 'dispatched', name: 'DISPATCHED', value: 110 },
      { id: 'handling', name: 'HANDLING', value: 100 }, { id: 'closed', name: 'CLOSED', value: 96 },
    ]);
  });

  it('campaigns in vocabulary order with their failures; breakdowns as named items', () => {
    expect(campaignRows(current, (id) => id)).toEqual([
      { id: 'sewage', name: 'sewage', done: 6, failed: 3 }, { id: 'civility', name: 'civility', done: 0, failed: 0 },
      { id: 'garbage', name: 'garbage', done: 3, failed: 0 }, { id: 'overheadLines', name: 'overheadLines', done: 0, failed: 0 },
    ]);
    const cats = byValue(items(current.breakdowns.category, (id) => `#${id}`));
    expect(cats.slice(0, 2)).toEqual([{ id: 'safety', name: '#safety', value: 80 }, { id: 'community', name: '#community', value: 40 }]);
    expect(cats).toHaveLength(current.breakdowns.category.length);
  });
});

describe('briefing tables from a range report', () => {
  const report: RangeReport = {
    place: 'town',
    period: { from: '2026-11-16T00:00:00+08:00', to: '2026-11-22T10:30:00+08:00' },
    previous: { from: '2026-11-09T00:00:00+08:00', to: '2026-11-15T10:00:00+08:00' },
    comparable: true,
    historyFrom: '2026-10-01T00:00:00+08:00',
    figures: current,
    previousFigures: previous,
    series: { bucket: 'day', points: [], previous: [] },
    now: { open: sc(12, 5, 1), overdue: sc(2, 1, 0) },
    tookMs: 3,
  };

  it('KPI rows with 环比, the same figures as the cards', () => {
    const rows = new Map(kpiRows(report, 'zh').map((r) => [r.id, r]));
    expect(rows.get('casesNew')).toMatchObject({ name: '新增案件', current: '120', previous: '100', change: '+20%', trend: 'up' });
    expect(rows.get('casesDue')).toMatchObject({ current: '100', change: '±0%', trend: 'flat' });
    expect(rows.get('closure')).toMatchObject({ current: '80.0%', previous: '75.0%', change: '+5.0pt', trend: 'up' });
    expect(rows.get('ticketsNew')).toMatchObject({ change: '−20%', trend: 'down' });
    expect(rows.get('satisfaction')).toMatchObject({ current: '90.0%', previous: '—', change: '—', trend: 'flat' });
    const notComparable = new Map(kpiRows({ ...report, comparable: false }, 'zh').map((r) => [r.id, r]));
    expect(notComparable.get('casesNew')).toMatchObject({ current: '120', previous: '—', change: '—' });
  });

  it('ranking tables with shares: every 片区, other rows only when non-zero', () => {
    const t = rankingTables(report, geo, 'zh');
    expect(t.children!.level).toBe('area');
    expect(t.children!.rows.map((r) => [r.id, r.value, r.share])).toEqual([['A2', 70, '58.3%'], ['A1', 50, '41.7%'], ['A3', 0, '0.0%'], ['A4', 0, '0.0%']]);
    expect(t.categories.map((r) => [r.id, r.name, r.share])).toEqual([['safety', '安全隐患', '66.7%'], ['community', '小区管理', '33.3%']]);
    expect(t.sources.map((r) => r.id)).toEqual(['smart']);
    expect(t.campaigns.map((r) => [r.id, r.value])).toEqual([['sewage', 6], ['garbage', 3]]);
    expect(rankingTables({ ...report, place: 'GC01', figures: figures({}, 'GC01') }, geo, 'zh').children).toBeNull();
  });
});
