// KPIs, rankings and series of a time range, recomputed from the hourly rollups (never from the
// raw history), with the previous period of equal length for 环比.
import { computeKpis } from '../../../shared/src/kpi/formulas';
import { previousPeriod, type Period, type RangeReport, type RankItem } from '../../../shared/src/range';
import { DAY_MS, HOUR_MS, toShanghaiIso } from '../../../shared/src/time';
import type { QueryStore } from '../store/types';

/** Hours [from, to) covering a period: the hour holding `to` counts (events exist only up to now). */
const hours = (p: Period) => [Math.floor(p.from / HOUR_MS), Math.ceil(p.to / HOUR_MS)] as const;

function rank(totals: Map<string, number>, prefix: string): RankItem[] {
  const out: RankItem[] = [];
  for (const [key, value] of totals) if (key.startsWith(prefix) && value > 0) out.push({ id: key.slice(prefix.length), value });
  return out.sort((a, b) => b.value - a.value || a.id.localeCompare(b.id));
}

function series(store: QueryStore, p: Period, bucketMs: number) {
  const [from, to] = hours(p);
  const n = Math.max(1, Math.ceil((to * HOUR_MS - p.from) / bucketMs));
  const points = Array.from({ length: n }, () => ({ cases: 0, tickets: 0, inspections: 0 }));
  for (const [hour, key, count] of store.newSeries(from, to)) {
    const i = Math.floor((hour * HOUR_MS - p.from) / bucketMs);
    const pt = points[i];
    if (!pt) continue;
    if (key === 'case.new') pt.cases += count;
    else if (key === 'ticket.new') pt.tickets += count;
    else pt.inspections += count;
  }
  return points;
}

export function rangeReport(store: QueryStore, period: Period): RangeReport {
  const t0 = performance.now();
  const prev = previousPeriod(period);
  const totals = store.totals(...hours(period));
  const prevTotals = store.totals(...hours(prev));
  const bucket = period.to - period.from <= 2 * DAY_MS ? 'hour' : 'day';
  const bucketMs = bucket === 'hour' ? HOUR_MS : DAY_MS;
  const points = series(store, period, bucketMs);
  return {
    period: { from: toShanghaiIso(period.from), to: toShanghaiIso(period.to) },
    previous: { from: toShanghaiIso(prev.from), to: toShanghaiIso(prev.to) },
    kpis: computeKpis(totals),
    previousKpis: computeKpis(prevTotals),
    rankings: {
      area: rank(totals, 'case.new|area:'),
      neighbourhood: rank(totals, 'case.new|nb:'),
      grid: rank(totals, 'case.new|grid:'),
      category: rank(totals, 'case.new|cat:'),
      source: rank(totals, 'case.new|src:'),
      topic: rank(totals, 'ticket.new|topic:'),
      ticketType: rank(totals, 'ticket.new|type:'),
      campaign: rank(totals, 'insp.done|campaign:'),
      campaignFailed: rank(totals, 'insp.failed|campaign:'),
    },
    funnel: {
      reported: totals.get('case.new') ?? 0,
      dispatched: totals.get('case.reached.dispatched') ?? 0,
      handling: totals.get('case.reached.handling') ?? 0,
      closed: totals.get('case.reached.closed') ?? 0,
    },
    series: {
      bucket,
      points: points.map((p, i) => ({ t: toShanghaiIso(period.from + i * bucketMs), ...p })),
      previous: series(store, prev, bucketMs),
    },
    tookMs: Math.round((performance.now() - t0) * 10) / 10,
  };
}
