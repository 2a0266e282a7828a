// The printable briefing's content from a RangeReport and the longest-overdue list: the KPI table
// with 环比, ranking tables with shares, and the overdue rows. Pure.
import { change, type KpiSet } from '../../../shared/src/kpi/formulas';
import { campaignLabels, categoryLabels, kindLabels, sourceLabels, topicLabels } from '../../../shared/src/labels';
import type { RangeReport } from '../../../shared/src/range';
import { campaigns, caseCategoryIds, caseSources, ticketTopics } from '../../../shared/src/vocab';
import type { EntityRow } from '../api';
import { fmtChange, fmtCount, fmtDayTime, fmtPoints, fmtRate } from '../format';
import { label, t, type MessageKey } from '../i18n';
import type { GeoIndex } from '../map/geoIndex';
import type { Lang } from '../params';
import { durationText } from '../stores/detailView';
import { rankedItems } from '../stores/rangeView';

export interface KpiRow {
  id: keyof KpiSet;
  name: string;
  current: string;
  previous: string;
  change: string;
  trend: 'up' | 'down' | 'flat';
}

const kpiRowSpec: Array<[keyof KpiSet, MessageKey, 'count' | 'rate']> = [
  ['casesNew', 'kpiRange.cases', 'count'],
  ['ticketsNew', 'kpiRange.tickets', 'count'],
  ['inspectionsDone', 'kpiRange.inspections', 'count'],
  ['closureRate', 'kpi.closure', 'rate'],
  ['timelyRate', 'kpi.timely', 'rate'],
  ['smartRate', 'kpi.smart', 'rate'],
  ['inGridRate', 'rate.inGrid', 'rate'],
  ['ticketOnTimeRate', 'kpi.hotline-ontime', 'rate'],
  ['satisfactionRate', 'kpi.satisfaction', 'rate'],
  ['firstContactRate', 'rate.firstContact', 'rate'],
  ['issueRate', 'rate.issue', 'rate'],
  ['rectifyRate', 'rate.rectify', 'rate'],
];

export function kpiRows(r: RangeReport, lang?: Lang): KpiRow[] {
  return kpiRowSpec.map(([id, key, kind]) => {
    const cur = r.kpis[id];
    const prev = r.previousKpis[id];
    const d = kind === 'count' ? change(cur, prev) : cur === null || prev === null ? null : cur - prev;
    return {
      id,
      name: t(key, undefined, lang),
      current: kind === 'count' ? fmtCount(cur) : fmtRate(cur),
      previous: kind === 'count' ? fmtCount(prev) : fmtRate(prev),
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

/** Rows with their share of the total; zero rows left out unless `all` (every 片区 is always listed). */
function withShares(items: Array<{ id: string; name: string; value: number }>, limit = Infinity, all = false): ShareRow[] {
  const total = items.reduce((s, i) => s + i.value, 0);
  return items
    .filter((i) => all || i.value > 0)
    .slice(0, limit)
    .map((i) => ({ ...i, share: total > 0 ? fmtRate(i.value / total) : '—' }));
}

export interface RankingTables {
  areas: ShareRow[];
  neighbourhoods: ShareRow[];
  categories: ShareRow[];
  sources: ShareRow[];
  topics: ShareRow[];
  campaigns: ShareRow[];
}

export function rankingTables(r: RangeReport, geo: GeoIndex, lang?: Lang): RankingTables {
  const named = (table: Record<string, { zh: string; en: string }>) => (id: string) => label(table, id, lang);
  const place = (id: string) => geo.name(id) ?? id;
  const nbs = geo.areas().flatMap((a) => geo.neighbourhoodsOf(a));
  return {
    areas: withShares(rankedItems(r.rankings.area, geo.areas(), place), Infinity, true),
    neighbourhoods: withShares(rankedItems(r.rankings.neighbourhood, nbs, place), 10),
    categories: withShares(rankedItems(r.rankings.category, caseCategoryIds, named(categoryLabels))),
    sources: withShares(rankedItems(r.rankings.source, caseSources, named(sourceLabels))),
    topics: withShares(rankedItems(r.rankings.topic, ticketTopics, named(topicLabels)), 10),
    campaigns: withShares(rankedItems(r.rankings.campaign, campaigns, named(campaignLabels))),
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
