// What the panels draw, selected from one view of the model: the figures of the period and place
// shown, those of the previous period (环比), the new items by hour or day, and the point-in-time
// open and overdue counts. Live, ranges and replay all arrive here as a FigureView. Pure.
import type { Figures } from '#shared/model/figures';
import { change } from '#shared/model/figures';
import type { StreamCounts } from '#shared/range';
import type { StreamKind } from '#shared/vocab';
import type { Topic } from '../params';

export interface FigureView {
  mode: 'live' | 'range' | 'replay';
  place: string;
  figures: Figures;
  /** the previous period's figures; null when there is no comparison (replay, or not loaded yet) */
  previous: Figures | null;
  /** the previous period is covered by the stored history */
  comparable: boolean;
  /** what is compared with `previous` when it differs from `figures`: the live day's whole hours (see previousPeriod) */
  compared?: Figures;
  series: { labels: string[]; current: Array<StreamCounts | null>; previous: StreamCounts[] };
  open: StreamCounts;
  overdue: StreamCounts;
}

export interface Item {
  id: string;
  name: string;
  value: number;
}

export interface RateItem {
  id: string;
  name: string;
  value: number | null;
}

export interface HourlySeries {
  /** one value per bucket; null for hours still to come */
  today: Array<number | null>;
  yesterday: number[];
  labels?: string[];
  /** legend names of the two series; 今日 / 昨日 when absent */
  names?: [string, string];
}

export interface Ranking {
  /** level of the items: what a click on a bar selects */
  level: 'area' | 'neighbourhood' | 'grid';
  items: Item[];
  metric: string;
}

export interface CampaignRow {
  id: string;
  name: string;
  done: number;
  failed: number;
}

/** One table of topics: the streams each shows and the counter it ranks and trends by. */
export const topicStreams: Record<Topic, readonly StreamKind[]> = {
  overview: ['case', 'ticket', 'inspection'],
  cases: ['case'],
  hotline: ['ticket'],
  inspections: ['inspection'],
};

const sumOf = (c: StreamCounts, kinds: readonly StreamKind[]) => kinds.reduce((s, k) => s + c[k], 0);

export const kpiIds = ['cases', 'tickets', 'inspections', 'open', 'overdue', 'timely', 'closure', 'smart', 'hotline-ontime', 'satisfaction'] as const;
export type KpiId = (typeof kpiIds)[number];

export interface KpiCard {
  id: KpiId;
  kind: 'count' | 'rate';
  value: number | null;
  /** counts: relative change; rates: difference in points (0.02 = 2 pt); null = no comparison */
  change: number | null;
  /** gauges are "now" values (or as of the replay clock) without a comparison */
  live: boolean;
  alert: boolean;
  breakdown?: Record<string, number>;
  /** what the change compares with: the same time yesterday (live) or the previous period (a range, 环比) */
  basis?: 'yesterday' | 'previous' | 'replay';
}

const cardFigure = {
  cases: ['count', 'casesNew'],
  tickets: ['count', 'ticketsNew'],
  inspections: ['count', 'inspectionsDone'],
  timely: ['rate', 'timely'],
  closure: ['rate', 'closure'],
  smart: ['rate', 'smart'],
  'hotline-ontime': ['rate', 'ticketOnTime'],
  satisfaction: ['rate', 'satisfaction'],
} as const;

const pick = (f: Figures, [kind, id]: (typeof cardFigure)[keyof typeof cardFigure]): number | null =>
  kind === 'count' ? f.counts[id] : f.rates[id];

export function kpiCards(v: FigureView): KpiCard[] {
  const replay = v.mode === 'replay' ? { basis: 'replay' as const } : {};
  return kpiIds.map((id): KpiCard => {
    if (id === 'open')
      return { id, kind: 'count', value: v.open.case + v.open.ticket, change: null, live: true, alert: false, breakdown: { case: v.open.case, ticket: v.open.ticket }, ...replay };
    if (id === 'overdue') {
      const total = sumOf(v.overdue, ['case', 'ticket', 'inspection']);
      return { id, kind: 'count', value: total, change: null, live: true, alert: total > 0, breakdown: { ...v.overdue }, ...replay };
    }
    const spec = cardFigure[id];
    const value = pick(v.figures, spec);
    const before = v.previous ? pick(v.previous, spec) : null;
    return {
      id, kind: spec[0], value, change: change(pick(v.compared ?? v.figures, spec), before, spec[0], v.comparable && v.previous !== null),
      live: false, alert: false, basis: v.mode === 'range' ? 'previous' : v.mode === 'replay' ? 'replay' : 'yesterday',
    };
  });
}

export function trend(v: FigureView, topic: Topic, names?: [string, string]): HourlySeries {
  const kinds = topicStreams[topic];
  return {
    labels: v.series.labels,
    today: v.series.current.map((c) => (c ? sumOf(c, kinds) : null)),
    yesterday: v.series.previous.map((c) => sumOf(c, kinds)),
    ...(names ? { names } : {}),
  };
}

/** A breakdown as named items, in vocabulary order. */
export const items = (rows: ReadonlyArray<{ id: string; value: number }>, name: (id: string) => string): Item[] =>
  rows.map((r) => ({ id: r.id, name: name(r.id), value: r.value }));

export const byValue = (list: Item[]): Item[] => [...list].sort((a, b) => b.value - a.value || a.id.localeCompare(b.id));

/** The children of the place ranked by the topic's new items (片区 → 居民区 → 网格); null at a grid. */
export function ranking(f: Figures, topic: Topic, name: (id: string) => string): Ranking | null {
  if (!f.children) return null;
  const kinds = topicStreams[topic];
  return {
    level: f.children.level,
    metric: kinds.join('+'),
    items: byValue(f.children.items.map((c) => ({ id: c.id, name: name(c.id), value: sumOf(c, kinds) }))),
  };
}

/** 发现 → 派单 → 处置 → 结案 of the cases reported in the period (one cohort). */
export function funnelStages(f: Figures, name: (stage: string) => string): Item[] {
  const c = f.counts;
  return [
    { id: 'reported', name: name('reported'), value: c.casesNew },
    { id: 'dispatched', name: name('dispatched'), value: c.funnelDispatched },
    { id: 'handling', name: name('handling'), value: c.funnelHandling },
    { id: 'closed', name: name('closed'), value: c.funnelClosed },
  ];
}

export function campaignRows(f: Figures, name: (id: string) => string): CampaignRow[] {
  const failed = new Map(f.breakdowns.campaignFailed.map((r) => [r.id, r.value]));
  return f.breakdowns.campaign.map((r) => ({ id: r.id, name: name(r.id), done: r.value, failed: failed.get(r.id) ?? 0 }));
}
