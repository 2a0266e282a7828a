// The printable briefing's content from a RangeReport and the longest-overdue list: the KPI table
// with 环比, ranking tables with shares, and the overdue rows. Pure.
import type { CountId, RateId } from '#shared/model/definitions';
import { change } from '#shared/model/figures';
import { campaignLabels, categoryLabels, kindLabels, sourceLabels, topicLabels } from '#shared/labels';
import type { RangeReport } from '#shared/range';
import type { EntityRow } from '../api';
import { fmtChange, fmtCount, fmtDayTime, fmtPoints, fmtRate } from '../format';
import { label, t, type MessageKey } from '../i18n';
import type { GeoIndex } from '../stores/geoIndex';
import type { Lang } from '../params';
import { durationText } from '../stores/detailView';
import { byValue, items, ranking } from '../stores/figureViews';

export interface KpiRow {
  id: string;
  name: string;
  current: string;
  previous: string;
  change: string;
  trend: 'up' | 'down' | 'flat';
}

type Spec = ['count', CountId, MessageKey] | ['rate', RateId, MessageKey];
const kpiRowSpec: Spec[] = [
  ['count', 'casesNew', 'kpiRange.cases'],
  ['count', 'casesDue', 'rate.due'],
  ['rate', 'closure', 'kpi.closure'],
  ['rate', 'onTime', 'rate.onTime'],
  ['rate', 'timely', 'kpi.timely'],
  ['rate', 'rework', 'rate.rework'],
  ['rate', 'smart', 'kpi.smart'],
  ['rate', 'inGrid', 'rate.inGrid'],
  ['count', 'ticketsNew', 'kpiRange.tickets'],
  ['rate', 'ticketOnTime', 'kpi.hotline-ontime'],
  ['rate', 'satisfaction', 'kpi.satisfaction'],
  ['rate', 'firstContact', 'rate.firstContact'],
  ['rate', 'repeat', 'rate.repeat'],
  ['count', 'inspectionsDone', 'kpiRange.inspections'],
  ['rate', 'issue', 'rate.issue'],
  ['rate', 'rectify', 'rate.rectify'],
];

/** The KPI table with 环比: the same figures as the screen's cards, from the same report. */
export function kpiRows(r: RangeReport, lang?: Lang): KpiRow[] {
  return kpiRowSpec.map(([kind, id, key]) => {
    const cur = kind === 'count' ? r.figures.counts[id] : r.figures.rates[id];
    const prev = kind === 'count' ? r.previousFigures.counts[id] : r.previousFigures.rates[id];
    const d = change(cur, prev, kind, r.comparable);
    return {
      id,
      name: t(key, undefined, lang),
      current: kind === 'count' ? fmtCount(cur) : fmtRate(cur),
      previous: !r.comparable ? '—' : kind === 'count' ? fmtCount(prev) : fmtRate(prev),
      change: kind === 'count' ? fmtChange(d) : fmtPoints(d),
      trend: d === null || Math.abs(d) < 1e-9 ? 'flat' : d > 0 ? 'up' : 'down',
    };
  });
}

export interface ShareRow {
  id: string;
  name: string;
  value: number;
  /** "42.1%" of the table's total */
  share: string;
}

/** Rows with their share of the total; zero rows left out unless `all` (every child place is always listed). */
function withShares(list: Array<{ id: string; name: string; value: number }>, limit = Infinity, all = false): ShareRow[] {
  const total = list.reduce((s, i) => s + i.value, 0);
  return list
    .filter((i) => all || i.value > 0)
    .slice(0, limit)
    .map((i) => ({ ...i, share: total > 0 ? fmtRate(i.value / total) : '—' }));
}

export interface RankingTables {
  /** the place's children (片区, 居民区 or grids) by new cases; null at a grid */
  children: { level: 'area' | 'neighbourhood' | 'grid'; rows: ShareRow[] } | null;
  categories: ShareRow[];
  sources: ShareRow[];
  topics: ShareRow[];
  campaigns: ShareRow[];
}

export function rankingTables(r: RangeReport, geo: GeoIndex, lang?: Lang): RankingTables {
  const named = (table: Record<string, { zh: string; en: string }>) => (id: string) => label(table, id, lang);
  const b = r.figures.breakdowns;
  const children = ranking(r.figures, 'cases', (id) => geo.name(id) ?? id);
  return {
    children: children && { level: children.level, rows: withShares(children.items, 12, children.level === 'area') },
    categories: withShares(byValue(items(b.category, named(categoryLabels)))),
    sources: withShares(byValue(items(b.source, named(sourceLabels)))),
    topics: withShares(byValue(items(b.topic, named(topicLabels))), 10),
    campaigns: withShares(byValue(items(b.campaign, named(campaignLabels)))),
  };
}

export interface OverdueRow {
  key: string;
  id: string;
  kind: string;
  what: string;
  where: string;
  address: string;
  due: string;
  overdueFor: string;
}

export function overdueRows(rows: readonly EntityRow[], geo: GeoIndex | null, nowMs: number, lang?: Lang): OverdueRow[] {
  return rows.map((r) => {
    const table = r.kind === 'case' ? categoryLabels : r.kind === 'ticket' ? topicLabels : campaignLabels;
    return {
      key: `${r.kind}:${r.id}`,
      id: r.id,
      kind: label(kindLabels, r.kind, lang),
      what: label(table as Record<string, { zh: string; en: string }>, r.label, lang),
      where: geo?.name(r.neighbourhoodId) ?? r.neighbourhoodId,
      address: r.address,
      due: fmtDayTime(r.dueAt),
      overdueFor: r.dueAt ? durationText(nowMs - Date.parse(r.dueAt), lang) : '—',
    };
  });
}
