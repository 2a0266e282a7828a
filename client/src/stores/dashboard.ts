// Everything the panels draw, from one FigureView of the model: the live day (today's counters from
// the stream, yesterday's from the range report), a range (the server's report) or a replayed day
// (its counters as of the replay clock). The feed follows topic, place and filters. Recomputed when
// the stream publishes (≤ 4×/s) or the minute turns, never per event.
import { defineStore } from 'pinia';
import { computed } from 'vue';
import { computeFigures } from '#shared/model/figures';
import type { Counters } from '#shared/model/counters';
import { NEW_METRICS } from '#shared/model/contributions';
import { GAUGES } from '#shared/model/definitions';
import { counterKey } from '#shared/model/keys';
import { inPlace, type PlaceLevel } from '#shared/model/places';
import type { EntitySummary } from '#shared/protocol';
import type { StreamCounts } from '#shared/range';
import { isOverdue } from '#shared/summary';
import { hourOf } from '#shared/time';
import {
  campaignLabels, caseStatusLabels, categoryLabels, outcomeLabels, sourceLabels, ticketTypeLabels, topicLabels,
} from '#shared/labels';
import { streamKinds, type StreamKind } from '#shared/vocab';
import { getLang, label, t } from '../i18n';
import type { Topic } from '../params';
import {
  byValue, campaignRows, funnelStages, items, kpiCards, ranking as rankChildren, topicStreams, trend as trendOf,
  type FigureView, type Item, type RateItem,
} from './figureViews';
import { matches } from '#shared/filters';
import { useFeedHistoryStore } from './feedHistory';
import { useFilterStore } from './filters';
import { useGeoStore } from './geo';
import { useRangeStore } from './range';
import { useReplayStore } from './replay';
import { useScreenStore } from './screen';
import { useStreamStore } from './stream';

export const topicKinds = topicStreams;

/** The polygons coloured per topic, and by which counter (gauge = open now, else new in the day). */
export const topicChoropleth: Record<Topic, { level: Exclude<PlaceLevel, 'town'>; key: string; gauge: boolean }> = {
  overview: { level: 'grid', key: GAUGES.case, gauge: true },
  cases: { level: 'grid', key: GAUGES.case, gauge: true },
  hotline: { level: 'neighbourhood', key: NEW_METRICS.ticket, gauge: false },
  inspections: { level: 'area', key: GAUGES.inspection, gauge: true },
};

/** More than any wall shows at once (the panel clips), few enough to re-render cheaply. */
export const FEED_SHOWN = 16;

const zero = (): StreamCounts => ({ case: 0, ticket: 0, inspection: 0 });
const hourLabel = (h: number) => String(h).padStart(2, '0');

export const useDashboardStore = defineStore('dashboard', () => {
  const stream = useStreamStore();
  const screen = useScreenStore();
  const geo = useGeoStore();
  const range = useRangeStore();
  const replay = useReplayStore();
  const filters = useFilterStore();
  const history = useFeedHistoryStore();
  const place = computed(() => screen.selection.id);
  const areaOf = (nb: string) => geo.index?.areaOfNeighbourhood(nb);

  /** One day of counters (live or replayed) as of `nowMs`, at the place. */
  function dayView(counters: Counters, nowMs: number, overdue: StreamCounts): Omit<FigureView, 'mode' | 'previous' | 'comparable'> {
    const p = place.value;
    const from = counters.fromHour;
    const hourNow = hourOf(nowMs);
    const totals = counters.sum(from, hourNow + 1);
    const children = geo.index?.places.children(p) ?? null;
    const wholeHours = counters.sum(from, hourNow);
    const gauges = counters.gauges();
    const current: Array<StreamCounts | null> = [];
    for (let h = from; h < from + 24; h++) {
      if (h > hourNow) current.push(null);
      else current.push({ case: counters.at(h, counterKey(NEW_METRICS.case, p)), ticket: counters.at(h, counterKey(NEW_METRICS.ticket, p)), inspection: counters.at(h, counterKey(NEW_METRICS.inspection, p)) });
    }
    const open = zero();
    for (const k of streamKinds) open[k] = gauges.get(counterKey(GAUGES[k], p)) ?? 0;
    return {
      place: p,
      figures: computeFigures((key) => totals.get(key) ?? 0, p, children),
      compared: computeFigures((key) => wholeHours.get(key) ?? 0, p, children),
      series: { labels: Array.from({ length: 24 }, (_, i) => hourLabel(i)), current, previous: [] },
      open,
      overdue,
    };
  }

  const view = computed<FigureView | null>(() => {
    void stream.minute;
    if (!geo.index) return null;
    const p = place.value;
    if (replay.active && replay.player) {
      const player = replay.player;
      const overdue = zero();
      for (const e of player.entities.values() as Iterable<EntitySummary>)
        if (isOverdue(e, replay.clock) && inPlace(p, areaOf, e.neighbourhoodId, e.gridId)) overdue[e.kind as StreamKind]++;
      const d = dayView(player.counters, replay.clock, overdue);
      return { mode: 'replay', ...d, previous: null, comparable: false };
    }
    const r = range.latest && range.latest.place === p ? range.latest : null;
    if (range.report) {
      if (!r) return null;
      const bucketLabel = (iso: string) => (r.series.bucket === 'hour' ? iso.slice(11, 13) : iso.slice(5, 10));
      return {
        mode: 'range', place: p, figures: r.figures, previous: r.previousFigures, comparable: r.comparable,
        series: { labels: r.series.points.map((x) => bucketLabel(x.t)), current: r.series.points, previous: r.series.previous },
        open: r.now.open, overdue: r.now.overdue,
      };
    }
    const data = stream.data;
    const d = dayView(data.counters, stream.serverNow(), data.gauges.overdue[p] ?? zero());
    // Yesterday up to the same hour, from the server (the screen keeps today only).
    return { mode: 'live', ...d, series: { ...d.series, previous: r?.series.previous ?? [] }, previous: r?.previousFigures ?? null, comparable: r?.comparable ?? false };
  });

  const named = (table: Record<string, { zh: string; en: string }>) => (id: string) => label(table, id, getLang());
  const figures = computed(() => view.value?.figures ?? null);
  const empty = <T>(f: () => T, fallback: T) => computed(() => (figures.value ? f() : fallback));

  const kpis = computed(() => (view.value ? kpiCards(view.value) : []));
  const trend = computed(() => {
    const v = view.value;
    if (!v) return { today: [], yesterday: [] };
    const names: [string, string] | undefined = v.mode === 'range' ? [t('range.current'), t('range.previous')] : undefined;
    return trendOf(v, screen.topic, names);
  });
  const sourceMix = empty(() => items(figures.value!.breakdowns.source, named(sourceLabels)).filter((i) => i.value > 0), [] as Item[]);
  const categories = empty(() => byValue(items(figures.value!.breakdowns.category, named(categoryLabels))), [] as Item[]);
  const hotlineTopics = empty(() => byValue(items(figures.value!.breakdowns.topic, named(topicLabels))), [] as Item[]);
  const ticketTypeMix = empty(() => items(figures.value!.breakdowns.ticketType, named(ticketTypeLabels)).filter((i) => i.value > 0), [] as Item[]);
  const ranking = computed(() => (figures.value ? rankChildren(figures.value, screen.topic, (id) => geo.index?.name(id) ?? id) : null));
  const funnelData = computed(() => ({
    stages: figures.value ? funnelStages(figures.value, (s) => label(caseStatusLabels, s)) : [],
  }));
  const hotlineQuality = computed<RateItem[]>(() => {
    const r = figures.value?.rates;
    return [
      { id: 'satisfaction', name: t('kpi.satisfaction'), value: r?.satisfaction ?? null },
      { id: 'onTime', name: t('kpi.hotline-ontime'), value: r?.ticketOnTime ?? null },
      { id: 'firstContact', name: t('rate.firstContact'), value: r?.firstContact ?? null },
    ];
  });
  const campaignData = empty(() => campaignRows(figures.value!, named(campaignLabels)), []);
  const outcomes = computed<Item[]>(() => {
    const c = figures.value?.counts;
    const done = c?.inspectionsDone ?? 0;
    const failed = c?.inspectionsFailed ?? 0;
    return [
      { id: 'pass', name: label(outcomeLabels, 'pass'), value: done - failed },
      { id: 'rectify', name: label(outcomeLabels, 'rectify'), value: failed },
    ];
  });
  const inspectionQuality = computed<RateItem[]>(() => [
    { id: 'issue', name: t('rate.issue'), value: figures.value?.rates.issue ?? null },
    { id: 'rectify', name: t('rate.rectify'), value: figures.value?.rates.rectify ?? null },
  ]);
  /** rectifications under way at the place, now (or as of the replay clock) */
  const rectifying = computed(() => view.value?.open.inspection ?? 0);

  /**
   * The live feed, or the replayed day's in replay mode; by topic, place and filters. Live, the
   * server's latest matching events fill in below what the screen's own buffer holds.
   */
  const feed = computed(() => {
    void stream.minute; // "overdue" is a matter of time
    const local = replay.active ? (replay.player?.feed ?? []) : stream.data.feed;
    // The server's lines (newest first by when they happened) go below what the buffer holds.
    const oldest = local.length ? Math.min(...local.map((i) => i.occurredAtMs)) : undefined;
    const older = replay.active ? [] : history.items.filter((i) => oldest === undefined || i.occurredAtMs < oldest);
    const source = older.length ? [...local, ...older] : local;
    const now = replay.active ? replay.clock : stream.serverNow();
    const kinds = topicKinds[screen.topic];
    const f = filters.filters;
    const out = [];
    for (const item of source) {
      if (!kinds.includes(item.kind)) continue;
      if (!inPlace(place.value, areaOf, item.neighbourhoodId, item.gridId)) continue;
      if (!matches(f, item, now)) continue;
      out.push(item);
      if (out.length >= FEED_SHOWN) break;
    }
    return out;
  });

  /** Choropleth shares (0..1 of the maximum) per polygon of the topic's level, live or as of the replay clock. */
  const choropleth = computed(() => {
    void stream.minute;
    const spec = topicChoropleth[screen.topic];
    const counters = replay.active && replay.player ? replay.player.counters : stream.data.counters;
    const nowMs = replay.active ? replay.clock : stream.serverNow();
    const source = spec.gauge ? counters.gauges() : counters.sum(counters.fromHour, hourOf(nowMs) + 1);
    const index = geo.index;
    const ids = !index ? [] : spec.level === 'grid' ? index.geo.grids.features.map((f) => f.properties.id)
      : spec.level === 'neighbourhood' ? index.geo.neighbourhoods.features.map((f) => f.properties.id) : index.areas();
    const raw = new Map(ids.map((id) => [id, source.get(counterKey(spec.key, id)) ?? 0]));
    const max = Math.max(1, ...raw.values());
    const shares = new Map<string, number>();
    for (const [id, n] of raw) shares.set(id, Math.round((n / max) * 100) / 100);
    return { level: spec.level, shares, max };
  });

  const report = computed(() => range.report);
  return {
    view, kpis, trend, sourceMix, categories, hotlineTopics, ticketTypeMix, ranking, funnelData,
    hotlineQuality, campaignData, outcomes, inspectionQuality, rectifying, feed, choropleth, report,
  };
});
