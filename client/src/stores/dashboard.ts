// Everything the panels draw, derived from the stream (rollups, gauges, entities, feed), the
// topic and the drill-down selection — or, for a time range other than 今日, from the server's
// RangeReport; the feed follows the filters, and in replay mode shows the replayed day.
// Recomputed when the stream publishes (≤ 4×/s) or the minute turns, never per event.
import { defineStore } from 'pinia';
import { computed } from 'vue';
import { isOverdue } from '../../../shared/src/summary';
import {
  campaignLabels, caseStatusLabels, categoryLabels, outcomeLabels, sourceLabels, ticketTypeLabels, topicLabels,
} from '../../../shared/src/labels';
import { campaigns, caseCategoryIds, caseSources, streamKinds, ticketTopics, ticketTypes, type StreamKind } from '../../../shared/src/vocab';
import { getLang, label, t } from '../i18n';
import type { ChoroplethLevel } from '../map/townMap';
import type { Topic } from '../params';
import {
  breakdown, campaignRows, childRanking, entityCounts, funnel, hotlineRates, hourly, inspectionRates, topicMetrics, type Item,
} from './chartData';
import { matches } from './filterModel';
import { useFilterStore } from './filters';
import { kpiCards, periods, scoped, todayAndYesterday, type OpenNow } from './kpiView';
import { useGeoStore } from './geo';
import { useRangeStore } from './range';
import {
  rangeChildRanking, rangeCounters, rangeHotlineRates, rangeInspectionRates, rangeKpiCards, rangeOutcomes, rangeTrend, rankedItems,
} from './rangeView';
import { useReplayStore } from './replay';
import { useScreenStore } from './screen';
import { useStreamStore } from './stream';

export const topicKinds: Record<Topic, readonly StreamKind[]> = {
  overview: streamKinds,
  cases: ['case'],
  hotline: ['ticket'],
  inspections: ['inspection'],
};

/** The polygons coloured per topic, and by which counter (gauge = open now, today = new today). */
export const topicChoropleth: Record<Topic, { level: ChoroplethLevel; key: string; dim: string; gauge: boolean }> = {
  overview: { level: 'grid', key: 'case.open', dim: 'grid', gauge: true },
  cases: { level: 'grid', key: 'case.open', dim: 'grid', gauge: true },
  hotline: { level: 'neighbourhood', key: 'ticket.new', dim: 'nb', gauge: false },
  inspections: { level: 'area', key: 'insp.rectifying', dim: 'area', gauge: true },
};

/** More than any wall shows at once (the panel clips), few enough to re-render cheaply. */
export const FEED_SHOWN = 16;

export const useDashboardStore = defineStore('dashboard', () => {
  const stream = useStreamStore();
  const screen = useScreenStore();
  const geo = useGeoStore();
  const range = useRangeStore();
  const replay = useReplayStore();
  const filters = useFilterStore();
  /** the report of a time range other than 今日; null on the live screen */
  const report = computed(() => range.report);

  const period = computed(() => {
    void stream.revision;
    void stream.minute;
    return periods(stream.serverNow());
  });
  const totals = computed(() => {
    void stream.revision;
    return todayAndYesterday(stream.data(), period.value);
  });
  const scopedToday = computed(() => scoped(totals.value.today, screen.scope));

  const openNow = computed<OpenNow>(() => {
    void stream.revision;
    const data = stream.data();
    const dim = screen.scope;
    const gauge = (k: string) => data.openNow.get(dim ? `${k}|${dim}` : k) ?? 0;
    const sel = screen.selection;
    let overdueScoped: number | null = null;
    if (sel.level === 'area') overdueScoped = data.gauges.overdueByArea[sel.id] ?? 0;
    else if (sel.level !== 'town' && geo.index) {
      const now = stream.serverNow();
      overdueScoped = 0;
      for (const e of data.entities.values()) if (isOverdue(e, now) && geo.index.contains(sel, e.neighbourhoodId, e.gridId)) overdueScoped++;
    }
    return { cases: gauge('case.open'), tickets: gauge('ticket.open'), overdue: data.gauges.overdue, overdueScoped };
  });

  const kpis = computed(() =>
    report.value
      ? rangeKpiCards(report.value, openNow.value, screen.scope !== null)
      : kpiCards(totals.value.today, totals.value.yesterday, screen.scope, openNow.value),
  );

  const trend = computed(() => {
    if (report.value) return rangeTrend(report.value, screen.topic, getLang());
    void stream.revision;
    return hourly(stream.data(), period.value, topicMetrics[screen.topic], screen.scope);
  });

  const named = (table: Record<string, { zh: string; en: string }>) => (id: string) => label(table, id, getLang());
  const today = () => totals.value.today;
  /** Today's counters, or the selected range's where its report carries them. */
  const counters = computed(() => (report.value ? rangeCounters(report.value) : today()));

  const sourceMix = computed(() =>
    (report.value ? rankedItems(report.value.rankings.source, caseSources, named(sourceLabels)) : breakdown(today(), 'case.new|src:', caseSources, named(sourceLabels)))
      .filter((i) => i.value > 0),
  );
  const categories = computed(() =>
    report.value
      ? rankedItems(report.value.rankings.category, caseCategoryIds, named(categoryLabels))
      : breakdown(today(), 'case.new|cat:', caseCategoryIds, named(categoryLabels)).sort((a, b) => b.value - a.value),
  );
  const hotlineTopics = computed(() =>
    report.value
      ? rankedItems(report.value.rankings.topic, ticketTopics, named(topicLabels))
      : breakdown(today(), 'ticket.new|topic:', ticketTopics, named(topicLabels)).sort((a, b) => b.value - a.value),
  );
  const ticketTypeMix = computed(() => breakdown(counters.value, 'ticket.new|type:', ticketTypes, named(ticketTypeLabels)).filter((i) => i.value > 0));
  const ranking = computed(() => {
    if (!geo.index) return null;
    return report.value ? rangeChildRanking(report.value, geo.index, screen.selection) : childRanking(today(), geo.index, screen.selection, screen.topic);
  });

  const funnelData = computed(() => {
    const names: Record<string, string> = {
      'case.new': label(caseStatusLabels, 'reported'),
      'case.reached.dispatched': label(caseStatusLabels, 'dispatched'),
      'case.reached.handling': label(caseStatusLabels, 'handling'),
      'case.reached.closed': label(caseStatusLabels, 'closed'),
    };
    return funnel(counters.value, names, screen.scope);
  });

  const hotlineName = (id: string) => (id === 'satisfaction' ? t('kpi.satisfaction') : id === 'onTime' ? t('kpi.hotline-ontime') : t('rate.firstContact'));
  const hotlineQuality = computed(() => (report.value ? rangeHotlineRates(report.value.kpis, hotlineName) : hotlineRates(today(), hotlineName)));
  const campaignData = computed(() => campaignRows(counters.value, campaigns, named(campaignLabels)));
  const outcomes = computed<Item[]>(() => {
    const r = report.value ? rangeOutcomes(report.value.kpis) : null;
    const done = today().get('insp.done') ?? 0;
    const failed = today().get('insp.failed') ?? 0;
    return [
      { id: 'pass', name: label(outcomeLabels, 'pass'), value: r ? r.pass : Math.round(done - failed) },
      { id: 'rectify', name: label(outcomeLabels, 'rectify'), value: r ? r.rectify : Math.round(failed) },
    ];
  });
  const inspectionName = (id: string) => t(id === 'issue' ? 'rate.issue' : 'rate.rectify');
  const inspectionQuality = computed(() => (report.value ? rangeInspectionRates(report.value.kpis, inspectionName) : inspectionRates(today(), inspectionName)));

  /** The live feed, or the replayed day's in replay mode; by topic, place and filters. */
  const feed = computed(() => {
    void stream.revision;
    void replay.revision;
    void stream.minute; // "overdue" is a matter of time
    const source = replay.active ? (replay.player?.feed ?? []) : stream.data().feed;
    const now = replay.active ? replay.clock : stream.serverNow();
    const kinds = topicKinds[screen.topic];
    const sel = screen.selection;
    const index = geo.index;
    const f = filters.filters;
    const out = [];
    for (const item of source) {
      if (!kinds.includes(item.kind)) continue;
      if (index && !index.contains(sel, item.neighbourhoodId, item.gridId)) continue;
      if (!matches(f, item, now)) continue;
      out.push(item);
      if (out.length >= FEED_SHOWN) break;
    }
    return out;
  });

  /** Choropleth shares (0..1 of the maximum) per polygon of the topic's level (in replay mode, at the replayed moment). */
  const choropleth = computed(() => {
    void stream.revision;
    const spec = topicChoropleth[screen.topic];
    let raw = new Map<string, number>();
    if (replay.active) {
      void replay.revision;
      raw = entityCounts(replay.player?.entities.values() ?? [], spec.key, (nb) => geo.index?.areaOfNeighbourhood(nb));
    } else {
      const source = spec.gauge ? stream.data().openNow : totals.value.today;
      const prefix = `${spec.key}|${spec.dim}:`;
      for (const [k, n] of source) if (k.startsWith(prefix)) raw.set(k.slice(prefix.length), n);
    }
    const max = Math.max(1, ...raw.values());
    const shares = new Map<string, number>();
    const ids = spec.level === 'grid' ? geo.index?.geo.grids.features.map((f) => f.properties.id)
      : spec.level === 'neighbourhood' ? geo.index?.geo.neighbourhoods.features.map((f) => f.properties.id)
      : geo.index?.areas();
    for (const id of ids ?? []) shares.set(id, Math.round(((raw.get(id) ?? 0) / max) * 100) / 100);
    return { level: spec.level, shares, max };
  });

  return {
    period, totals, scopedToday, kpis, trend, sourceMix, categories, hotlineTopics, ticketTypeMix, ranking, funnelData,
    hotlineQuality, campaignData, outcomes, inspectionQuality, feed, choropleth, report,
  };
});
