// Time ranges for the briefing views (今日 · 昨日 · 近7天 · 近30天 · custom) and what the panels
// draw from a RangeReport: KPI cards with 环比 against the previous period of equal length, the
// trend against the previous period, and rankings. 今日 is the live screen itself. Pure.
import type { KpiSet } from '../../../shared/src/kpi/formulas';
import { change } from '../../../shared/src/kpi/formulas';
import type { Preset, RangeReport, RankItem } from '../../../shared/src/range';
import { DAY_MS, shanghaiDate, shanghaiMidnight } from '../../../shared/src/time';
import { t } from '../i18n';
import type { GeoIndex } from '../map/geoIndex';
import type { Lang, Topic } from '../params';
import type { HourlySeries, Item, RateItem, Ranking } from './chartData';
import { kpiIds, type KpiCard, type OpenNow } from './kpiView';
import type { Selection } from './screen';

// Not imported from shared/src/range.ts: that module carries the query schema (zod) for the server.
export const rangePresets = ['today', 'yesterday', '7d', '30d'] as const satisfies readonly Preset[];

export type RangeChoice = { preset: Preset } | { preset: 'custom'; from: string; to: string };
export const LIVE_RANGE: RangeChoice = { preset: 'today' };
export const isLiveRange = (c: RangeChoice): boolean => c.preset === 'today';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (d: string | null): d is string => d !== null && DATE.test(d) && Number.isFinite(shanghaiMidnight(d));

/** The query string of /api/v1/range for a choice. */
export const rangeQuery = (c: RangeChoice): string =>
  c.preset === 'custom' ? `from=${c.from}&to=${c.to}` : `preset=${c.preset}`;

export function readRange(q: URLSearchParams): RangeChoice {
  const from = q.get('from');
  const to = q.get('to');
  if (validDate(from) && validDate(to) && from <= to) return { preset: 'custom', from, to };
  const preset = q.get('range');
  return (rangePresets as readonly string[]).includes(preset ?? '') ? { preset: preset as Preset } : LIVE_RANGE;
}

export function writeRange(q: URLSearchParams, c: RangeChoice): void {
  q.delete('range');
  q.delete('from');
  q.delete('to');
  if (c.preset === 'custom') {
    q.set('from', c.from);
    q.set('to', c.to);
  } else if (c.preset !== 'today') q.set('range', c.preset);
}

export function rangeLabel(c: RangeChoice, lang?: Lang): string {
  if (c.preset === 'custom') return c.from === c.to ? c.from : t('range.customSpan', { from: c.from, to: c.to }, lang);
  return t(`range.${c.preset}`, undefined, lang);
}

/** "2026-11-16 – 2026-11-22" of a report period ({from, to} ISO, `to` exclusive); `short` drops the years. */
export function periodDates(p: { from: string; to: string }, short = false): string {
  const cut = (d: string) => (short ? d.slice(5) : d);
  const from = cut(shanghaiDate(Date.parse(p.from)));
  const to = cut(shanghaiDate(Date.parse(p.to) - 1));
  return from === to ? from : `${from} – ${to}`;
}

/** Does the period reach up to now (its figures keep changing)? */
export const reachesNow = (report: RangeReport, nowMs: number): boolean => Date.parse(report.period.to) > nowMs - 5 * 60_000;

const countFields = { cases: 'casesNew', tickets: 'ticketsNew', inspections: 'inspectionsDone' } as const;
const rateFields = {
  timely: 'timelyRate', closure: 'closureRate', smart: 'smartRate', 'hotline-ontime': 'ticketOnTimeRate', satisfaction: 'satisfactionRate',
} as const satisfies Record<string, keyof KpiSet>;

/**
 * KPI cards of a range: counts with their relative change (环比), rates with the difference in
 * points. "Open" and "overdue" stay the live gauges of now. The report is town-wide.
 */
export function rangeKpiCards(report: RangeReport, now: OpenNow, scoped: boolean): KpiCard[] {
  const { kpis: cur, previousKpis: prev } = report;
  return kpiIds.map((id): KpiCard => {
    if (id === 'open')
      return { id, kind: 'count', value: now.cases + now.tickets, change: null, live: true, unscoped: false, alert: false, breakdown: { case: now.cases, ticket: now.tickets } };
    if (id === 'overdue') {
      const total = now.overdue.case + now.overdue.ticket + now.overdue.inspection;
      return { id, kind: 'count', value: total, change: null, live: true, unscoped: false, alert: total > 0, breakdown: { ...now.overdue } };
    }
    const base = { id, live: false, unscoped: false, alert: false, basis: 'previous' as const, townWide: scoped };
    if (id in countFields) {
      const f = countFields[id as keyof typeof countFields];
      return { ...base, kind: 'count', value: cur[f], change: change(cur[f], prev[f]) };
    }
    const f = rateFields[id as keyof typeof rateFields];
    const v = cur[f];
    const p = prev[f];
    return { ...base, kind: 'rate', value: v, change: v === null || p === null ? null : v - p };
  });
}

type Counts = { cases: number; tickets: number; inspections: number };
const topicCount: Record<Topic, (p: Counts) => number> = {
  overview: (p) => p.cases + p.tickets + p.inspections,
  cases: (p) => p.cases,
  hotline: (p) => p.tickets,
  inspections: (p) => p.inspections,
};

/** The range's new events per hour or day against the previous period, for the topic's stream(s). */
export function rangeTrend(report: RangeReport, topic: Topic, lang?: Lang): HourlySeries {
  const { bucket, points, previous } = report.series;
  const count = topicCount[topic];
  // t is ISO with +08:00: hh for hours, mm-dd for days.
  const labels = points.map((p) => (bucket === 'hour' ? p.t.slice(11, 13) : p.t.slice(5, 10)));
  return {
    labels,
    today: points.map(count),
    yesterday: labels.map((_, i) => (previous[i] ? count(previous[i]) : 0)),
    names: [t('range.current', undefined, lang), t('range.previous', undefined, lang)],
    townWide: false,
  };
}

/** Every id of a vocabulary with its value in a ranking (0 when absent), largest first. */
export function rankedItems(items: readonly RankItem[], ids: readonly string[], name: (id: string) => string): Item[] {
  const values = new Map(items.map((i) => [i.id, i.value]));
  return ids.map((id) => ({ id, name: name(id), value: Math.round(values.get(id) ?? 0) })).sort((a, b) => b.value - a.value);
}

/** Children of the selection ranked by new cases over the range (片区 → 居民区 → 网格). */
export function rangeChildRanking(report: RangeReport, geo: GeoIndex, sel: Selection): Ranking {
  const { areaId, neighbourhoodId } = sel.path;
  const name = (id: string) => geo.name(id) ?? id;
  if (neighbourhoodId) return { level: 'grid', metric: 'case.new', townWide: false, items: rankedItems(report.rankings.grid, geo.gridsOf(neighbourhoodId), name) };
  if (areaId) return { level: 'neighbourhood', metric: 'case.new', townWide: false, items: rankedItems(report.rankings.neighbourhood, geo.neighbourhoodsOf(areaId), name) };
  return { level: 'area', metric: 'case.new', townWide: false, items: rankedItems(report.rankings.area, geo.areas(), name) };
}

export function rangeHotlineRates(k: KpiSet, name: (id: string) => string): RateItem[] {
  return [
    { id: 'satisfaction', name: name('satisfaction'), value: k.satisfactionRate },
    { id: 'onTime', name: name('onTime'), value: k.ticketOnTimeRate },
    { id: 'firstContact', name: name('firstContact'), value: k.firstContactRate },
  ];
}

export function rangeInspectionRates(k: KpiSet, name: (id: string) => string): RateItem[] {
  return [
    { id: 'issue', name: name('issue'), value: k.issueRate },
    { id: 'rectify', name: name('rectify'), value: k.rectifyRate },
  ];
}

/** 合格 vs 限期整改 over the range, from the inspections done and the issue rate. */
export function rangeOutcomes(k: KpiSet): { pass: number; rectify: number } {
  const failed = Math.round((k.issueRate ?? 0) * k.inspectionsDone);
  return { pass: k.inspectionsDone - failed, rectify: failed };
}

/** Days in a custom range (inclusive), for the custom picker's sanity check. */
export const spanDays = (from: string, to: string): number => Math.round((shanghaiMidnight(to) - shanghaiMidnight(from)) / DAY_MS) + 1;

/** The counters a range report carries, under the rollup keys the live charts read (funnel, ticket types, campaigns). */
export function rangeCounters(r: RangeReport): Map<string, number> {
  const m = new Map<string, number>([
    ['case.new', r.funnel.reported],
    ['case.reached.dispatched', r.funnel.dispatched],
    ['case.reached.handling', r.funnel.handling],
    ['case.reached.closed', r.funnel.closed],
  ]);
  for (const x of r.rankings.ticketType) m.set(`ticket.new|type:${x.id}`, x.value);
  for (const x of r.rankings.campaign) m.set(`insp.done|campaign:${x.id}`, x.value);
  for (const x of r.rankings.campaignFailed) m.set(`insp.failed|campaign:${x.id}`, x.value);
  return m;
}
