// Pure KPI arithmetic for the cards and charts: today so far vs yesterday at the same time,
// optionally scoped to a 片区 / 居民区 / 网格 through the rollup dimensions that exist there.
import { computeKpis, change, type KpiSet } from '../../../shared/src/kpi/formulas';
import { HOUR_MS, hourOf, shanghaiDayStart } from '../../../shared/src/time';
import type { StreamData } from './streamData';

export interface Periods {
  /** first hour bucket of today (Shanghai) */
  todayFrom: number;
  /** current hour bucket (today's range is [todayFrom, hourNow]) */
  hourNow: number;
  /** share of the current hour elapsed, 0..1 */
  partial: number;
}

export function periods(nowMs: number): Periods {
  const hourNow = hourOf(nowMs);
  return { todayFrom: hourOf(shanghaiDayStart(nowMs)), hourNow, partial: (nowMs - hourNow * HOUR_MS) / HOUR_MS };
}

/**
 * Today so far and yesterday up to the same time of day. Today is whole hours up to now; yesterday
 * is whole hours before the same hour plus a pro-rata share of it (events within an hour are not
 * timed finer than the hour buckets).
 */
export function todayAndYesterday(data: StreamData, p: Periods): { today: Map<string, number>; yesterday: Map<string, number> } {
  return {
    today: data.sum(p.todayFrom, p.hourNow + 1),
    yesterday: data.sum(p.todayFrom - 24, p.hourNow - 24, p.partial),
  };
}

/** Metrics that carry each scope dimension (see shared/src/kpi/contributions.ts). */
const scopedMetrics: Record<string, ReadonlySet<string>> = {
  area: new Set(['case.new', 'case.closed', 'case.timely', 'ticket.new', 'insp.done', 'case.open', 'ticket.open', 'insp.rectifying']),
  nb: new Set(['case.new', 'case.closed', 'ticket.new', 'case.open']),
  grid: new Set(['case.new', 'case.open']),
};

/** Does the rollup break `metric` down by the dimension of `dim` (e.g. "nb:N07")? */
export function hasScope(metric: string, dim: string | null): boolean {
  if (dim === null) return true;
  return scopedMetrics[dim.slice(0, dim.indexOf(':'))]?.has(metric) ?? false;
}

/** Counters of one scope, keyed by plain metric: "case.new|nb:N07" → "case.new". Town: unchanged. */
export function scoped(totals: ReadonlyMap<string, number>, dim: string | null): Map<string, number> {
  if (dim === null) return new Map(totals);
  const out = new Map<string, number>();
  const suffix = `|${dim}`;
  for (const [k, n] of totals) if (k.endsWith(suffix)) out.set(k.slice(0, -suffix.length), n);
  return out;
}

export const kpiIds = ['cases', 'tickets', 'inspections', 'open', 'overdue', 'timely', 'closure', 'smart', 'hotline-ontime', 'satisfaction'] as const;
export type KpiId = (typeof kpiIds)[number];

export interface KpiCard {
  id: KpiId;
  kind: 'count' | 'rate';
  value: number | null;
  /** counts: relative change; rates: difference in points (0.02 = 2 pt); null = no comparison */
  change: number | null;
  /** gauges are "now" values without a yesterday */
  live: boolean;
  /** the figure is not broken down at the selected level */
  unscoped: boolean;
  alert: boolean;
  breakdown?: Record<string, number>;
  /** what the change compares with: the same time yesterday (live) or the previous period (a range, 环比) */
  basis?: 'yesterday' | 'previous';
  /** a range figure shown town-wide while a place is selected (range reports are town-wide) */
  townWide?: boolean;
}

const needs: Record<Exclude<KpiId, 'open' | 'overdue'>, { field: keyof KpiSet; metrics: string[]; kind: 'count' | 'rate' }> = {
  cases: { field: 'casesNew', metrics: ['case.new'], kind: 'count' },
  tickets: { field: 'ticketsNew', metrics: ['ticket.new'], kind: 'count' },
  inspections: { field: 'inspectionsDone', metrics: ['insp.done'], kind: 'count' },
  timely: { field: 'timelyRate', metrics: ['case.timely', 'case.closed'], kind: 'rate' },
  closure: { field: 'closureRate', metrics: ['case.closed', 'case.new'], kind: 'rate' },
  smart: { field: 'smartRate', metrics: ['case.new|src:smart', 'case.new'], kind: 'rate' },
  'hotline-ontime': { field: 'ticketOnTimeRate', metrics: ['ticket.onTime', 'ticket.closed'], kind: 'rate' },
  satisfaction: { field: 'satisfactionRate', metrics: ['ticket.satisfied', 'ticket.rated'], kind: 'rate' },
};

export interface OpenNow {
  cases: number;
  tickets: number;
  overdue: { case: number; ticket: number; inspection: number };
  /** overdue within the scope when it can be counted there, else null */
  overdueScoped: number | null;
}

export function kpiCards(today: ReadonlyMap<string, number>, yesterday: ReadonlyMap<string, number>, dim: string | null, now: OpenNow): KpiCard[] {
  const t = computeKpis(scoped(today, dim));
  const y = computeKpis(scoped(yesterday, dim));
  const cards: KpiCard[] = [];
  for (const id of kpiIds) {
    if (id === 'open') {
      const ticketsScoped = hasScope('ticket.open', dim);
      cards.push({
        id, kind: 'count', value: now.cases + (ticketsScoped ? now.tickets : 0), change: null, live: true, unscoped: false, alert: false,
        breakdown: { case: now.cases, ticket: ticketsScoped ? now.tickets : 0 },
      });
      continue;
    }
    if (id === 'overdue') {
      const total = dim === null ? now.overdue.case + now.overdue.ticket + now.overdue.inspection : now.overdueScoped;
      cards.push({
        id, kind: 'count', value: total, change: null, live: true, unscoped: total === null, alert: (total ?? 0) > 0,
        ...(dim === null ? { breakdown: { ...now.overdue } } : {}),
      });
      continue;
    }
    const spec = needs[id];
    const available = spec.metrics.every((m) => hasScope(m, dim));
    const value = available ? (t[spec.field] as number | null) : null;
    const before = available ? (y[spec.field] as number | null) : null;
    const diff = spec.kind === 'rate' ? (value === null || before === null ? null : value - before) : change(value, before);
    cards.push({ id, kind: spec.kind, value, change: diff, live: false, unscoped: !available, alert: false });
  }
  return cards;
}
