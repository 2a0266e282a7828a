// Pure selectors from rollups to the data each chart draws. Names come from the geography and the
// shared label tables; scoping follows the dimensions the rollups carry (see kpiView.hasScope).
import { computeKpis } from '../../../shared/src/kpi/formulas';
import type { EntitySummary } from '../../../shared/src/protocol';
import type { GeoIndex } from '../map/geoIndex';
import type { Topic } from '../params';
import { hasScope, scoped, type Periods } from './kpiView';
import type { Selection } from './screen';
import type { StreamData } from './streamData';

export interface Item {
  id: string;
  name: string;
  value: number;
}

export interface HourlySeries {
  /** 24 values; null for hours still to come (a range: one per bucket) */
  today: Array<number | null>;
  yesterday: number[];
  /** x-axis labels; the hours 00–23 when absent */
  labels?: string[];
  /** legend names of the two series; 今日 / 昨日 when absent */
  names?: [string, string];
  /** the series are town-wide because the metric has no breakdown at the selected level */
  townWide: boolean;
}

/** The "new" metric each topic counts. */
export const topicMetrics: Record<Topic, string[]> = {
  overview: ['case.new', 'ticket.new', 'insp.done'],
  cases: ['case.new'],
  hotline: ['ticket.new'],
  inspections: ['insp.done'],
};

/** Hour-by-hour breakdowns exist for the town and its 片区 only (a snapshot sums the finer ones over today). */
const hourlyScope = (dim: string | null) => dim === null || dim.startsWith('area:');

export function hourly(data: StreamData, p: Periods, metrics: string[], dim: string | null): HourlySeries {
  const usable = hourlyScope(dim) ? metrics.filter((m) => hasScope(m, dim)) : [];
  const townWide = usable.length === 0;
  const keys = townWide ? metrics : usable.map((m) => (dim ? `${m}|${dim}` : m));
  const at = (hour: number) => keys.reduce((s, k) => s + data.count(hour, k), 0);
  const today: Array<number | null> = [];
  const yesterday: number[] = [];
  for (let h = 0; h < 24; h++) {
    const hour = p.todayFrom + h;
    today.push(hour <= p.hourNow ? at(hour) : null);
    yesterday.push(at(hour - 24));
  }
  return { today, yesterday, townWide };
}

/** Counters "prefix<id>" as items, e.g. breakdown(t, 'case.new|src:', sources, name). */
export function breakdown(totals: ReadonlyMap<string, number>, prefix: string, ids: readonly string[], name: (id: string) => string): Item[] {
  return ids.map((id) => ({ id, name: name(id), value: Math.round(totals.get(prefix + id) ?? 0) }));
}

export const topN = (items: Item[], n: number): Item[] => [...items].sort((a, b) => b.value - a.value).slice(0, n);

export interface Ranking {
  /** level of the items: what a click on a bar selects */
  level: 'area' | 'neighbourhood' | 'grid';
  items: Item[];
  metric: string;
  townWide: boolean;
}

const rankingMetric: Record<Topic, string> = { overview: 'case.new', cases: 'case.new', hotline: 'ticket.new', inspections: 'insp.done' };

/**
 * The children of the selection ranked by the topic's metric (片区 → 居民区 → 网格). Where the metric
 * has no breakdown at that depth, the nearest coarser level is ranked instead and marked.
 */
export function childRanking(today: ReadonlyMap<string, number>, geo: GeoIndex, sel: Selection, topic: Topic): Ranking {
  const metric = rankingMetric[topic];
  const { areaId, neighbourhoodId } = sel.path;
  const wanted: Ranking['level'] = sel.level === 'town' ? 'area' : sel.level === 'area' ? 'neighbourhood' : 'grid';
  const rank = (level: Ranking['level'], dim: string, ids: string[]): Ranking => ({
    level, metric, townWide: level !== wanted,
    items: ids
      .map((id) => ({ id, name: geo.name(id) ?? id, value: Math.round(today.get(`${metric}|${dim}:${id}`) ?? 0) }))
      .sort((a, b) => b.value - a.value),
  });
  if (neighbourhoodId && hasScope(metric, 'grid:x')) return rank('grid', 'grid', geo.gridsOf(neighbourhoodId));
  if (areaId && hasScope(metric, 'nb:x')) return rank('neighbourhood', 'nb', geo.neighbourhoodsOf(areaId));
  return rank('area', 'area', geo.areas());
}

export interface FunnelData {
  stages: Item[];
  townWide: boolean;
}

/** 发现 → 派单 → 处置 → 结案 of cases reported today (bucketed by report hour). */
export function funnel(today: ReadonlyMap<string, number>, names: Record<string, string>, dim: string | null): FunnelData {
  const keys = ['case.new', 'case.reached.dispatched', 'case.reached.handling', 'case.reached.closed'];
  return {
    stages: keys.map((k) => ({ id: k, name: names[k] ?? k, value: Math.round(today.get(k) ?? 0) })),
    townWide: dim !== null,
  };
}

export interface RateItem {
  id: string;
  name: string;
  value: number | null;
}

export function hotlineRates(today: ReadonlyMap<string, number>, name: (id: string) => string): RateItem[] {
  const k = computeKpis(today);
  return [
    { id: 'satisfaction', name: name('satisfaction'), value: k.satisfactionRate },
    { id: 'onTime', name: name('onTime'), value: k.ticketOnTimeRate },
    { id: 'firstContact', name: name('firstContact'), value: k.firstContactRate },
  ];
}

export function inspectionRates(today: ReadonlyMap<string, number>, name: (id: string) => string): RateItem[] {
  const k = computeKpis(today);
  return [
    { id: 'issue', name: name('issue'), value: k.issueRate },
    { id: 'rectify', name: name('rectify'), value: k.rectifyRate },
  ];
}

export interface CampaignRow {
  id: string;
  name: string;
  done: number;
  failed: number;
}

export function campaignRows(today: ReadonlyMap<string, number>, ids: readonly string[], name: (id: string) => string): CampaignRow[] {
  return ids.map((id) => ({
    id, name: name(id),
    done: Math.round(today.get(`insp.done|campaign:${id}`) ?? 0),
    failed: Math.round(today.get(`insp.failed|campaign:${id}`) ?? 0),
  }));
}

/** Scoped totals for charts that can follow the selection. */
export { scoped };

/**
 * Choropleth counts from entity states (replay mode: the map shows the replayed moment, not now):
 * open cases per grid, tickets per 居民区, rectifying inspections per 片区 — the same counters
 * the live choropleth reads from the gauges and today's rollups.
 */
export function entityCounts(entities: Iterable<EntitySummary>, key: string, areaOf: (nb: string) => string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  const add = (id: string | undefined) => id && out.set(id, (out.get(id) ?? 0) + 1);
  for (const e of entities) {
    if (key === 'case.open' && e.kind === 'case' && e.open) add(e.gridId);
    else if (key === 'ticket.new' && e.kind === 'ticket') add(e.neighbourhoodId);
    else if (key === 'insp.rectifying' && e.kind === 'inspection' && e.status === 'rectifying') add(areaOf(e.neighbourhoodId));
  }
  return out;
}
