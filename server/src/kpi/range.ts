// Every figure of a (period, place) from the hourly counters (never from the raw history), with the
// previous period of equal length for 环比. The figures themselves are computed by the shared model.
import { NEW_METRICS } from '#shared/model/contributions';
import { GAUGES } from '#shared/model/definitions';
import { computeFigures } from '#shared/model/figures';
import { GAUGE_HOUR, counterKey } from '#shared/model/keys';
import type { PlaceTree } from '#shared/model/places';
import { periodHours, previousPeriod, type Period, type RangeReport, type StreamCounts } from '#shared/range';
import { DAY_MS, HOUR_MS, toShanghaiIso } from '#shared/time';
import type { ReadModel } from '../store/types';

const streams = ['case', 'ticket', 'inspection'] as const;
const zero = (): StreamCounts => ({ case: 0, ticket: 0, inspection: 0 });

/** New items per bucket of a period at a place. */
async function series(store: ReadModel, place: string, p: Period, bucketMs: number): Promise<StreamCounts[]> {
  const [from, to] = periodHours(p);
  const n = Math.max(1, Math.ceil((to * HOUR_MS - p.from) / bucketMs));
  const points = Array.from({ length: n }, zero);
  const kindOf = new Map(streams.map((k) => [NEW_METRICS[k] as string, k]));
  for (const [hour, key, count] of await store.newSeries(place, from, to)) {
    const pt = points[Math.floor((hour * HOUR_MS - p.from) / bucketMs)];
    const kind = kindOf.get(key);
    if (pt && kind) pt[kind] += count;
  }
  return points;
}

async function figuresOf(store: ReadModel, places: PlaceTree, place: string, p: Period) {
  const children = places.children(place);
  const scope = children?.by === 'place' ? [place, ...children.ids] : [place];
  const totals = await store.totals(scope, ...periodHours(p));
  return computeFigures((key) => totals.get(key) ?? 0, place, children);
}

export interface RangeDeps {
  store: ReadModel;
  places: PlaceTree;
}

export async function rangeReport({ store, places }: RangeDeps, place: string, period: Period, nowMs: number): Promise<RangeReport> {
  const t0 = performance.now();
  const prev = previousPeriod(period);
  const bucketMs = period.to - period.from <= 2 * DAY_MS ? HOUR_MS : DAY_MS;
  const [historyFrom, open, gauges, figures, previousFigures, points, previousPoints] = await Promise.all([
    store.oldestOccurrence(),
    store.totals([place], GAUGE_HOUR, GAUGE_HOUR + 1),
    store.gauges(nowMs),
    figuresOf(store, places, place, period),
    figuresOf(store, places, place, prev),
    series(store, place, period, bucketMs),
    // A day by the hour compares with the whole previous day (the trend's yesterday line), the
    // figures with its whole hours up to the same time (previousPeriod).
    series(store, place, period.to - period.from <= DAY_MS ? { from: prev.from, to: prev.from + DAY_MS } : prev, bucketMs),
  ]);
  return {
    place,
    period: { from: toShanghaiIso(period.from), to: toShanghaiIso(period.to) },
    previous: { from: toShanghaiIso(prev.from), to: toShanghaiIso(prev.to) },
    comparable: historyFrom !== null && prev.from >= historyFrom,
    historyFrom: historyFrom === null ? null : toShanghaiIso(historyFrom),
    figures,
    previousFigures,
    series: {
      bucket: bucketMs === HOUR_MS ? 'hour' : 'day',
      points: points.map((pt, i) => ({ t: toShanghaiIso(period.from + i * bucketMs), ...pt })),
      previous: previousPoints,
    },
    now: {
      open: { case: open.get(counterKey(GAUGES.case, place)) ?? 0, ticket: open.get(counterKey(GAUGES.ticket, place)) ?? 0, inspection: open.get(counterKey(GAUGES.inspection, place)) ?? 0 },
      overdue: gauges.overdue[place] ?? zero(),
    },
    tookMs: Math.round((performance.now() - t0) * 10) / 10,
  };
}
