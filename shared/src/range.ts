// Time ranges for briefings: 今日 · 昨日 · 近7天 · 近30天 · custom, each compared with the previous
// period of equal length (环比). Dates are Shanghai calendar days; a range is [from, to).
import { z } from 'zod';
import type { KpiSet } from './kpi/formulas';
import { DAY_MS, shanghaiDate, shanghaiDayStart, shanghaiMidnight } from './time';

export const presets = ['today', 'yesterday', '7d', '30d'] as const;
export type Preset = (typeof presets)[number];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date yyyy-mm-dd');
export const rangeQuerySchema = z.union([
  z.object({ preset: z.enum(presets) }),
  z.object({ from: day, to: day }).refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['to'] })
    .refine((r) => shanghaiMidnight(r.to) - shanghaiMidnight(r.from) <= 366 * DAY_MS, { message: 'a range spans at most 366 days', path: ['to'] }),
]);
export type RangeQuery = z.infer<typeof rangeQuerySchema>;

export interface Period {
  /** epoch ms, inclusive */
  from: number;
  /** epoch ms, exclusive (for today: now) */
  to: number;
}

/** The period of a query at `nowMs`; custom `to` is inclusive as a date (the whole day). */
export function resolveRange(q: RangeQuery, nowMs: number): Period {
  const today = shanghaiDayStart(nowMs);
  if ('preset' in q) {
    switch (q.preset) {
      case 'today': return { from: today, to: nowMs };
      case 'yesterday': return { from: today - DAY_MS, to: today };
      case '7d': return { from: today - 6 * DAY_MS, to: nowMs };
      case '30d': return { from: today - 29 * DAY_MS, to: nowMs };
    }
  }
  return { from: shanghaiMidnight(q.from), to: Math.min(nowMs, shanghaiMidnight(q.to) + DAY_MS) };
}

/** The previous period of equal length (环比): for 今日 so far, yesterday up to the same time. */
export const previousPeriod = (p: Period): Period => {
  const len = p.to - p.from;
  const days = Math.ceil(len / DAY_MS);
  return { from: p.from - days * DAY_MS, to: p.from - days * DAY_MS + len };
};

export const describePeriod = (p: Period) => `${shanghaiDate(p.from)} – ${shanghaiDate(p.to - 1)}`;

export interface RankItem {
  id: string;
  value: number;
}

export interface RangeReport {
  period: { from: string; to: string };
  previous: { from: string; to: string };
  kpis: KpiSet;
  previousKpis: KpiSet;
  /** New items by dimension, largest first; every member with a count (none is cut off). */
  rankings: {
    area: RankItem[];
    neighbourhood: RankItem[];
    grid: RankItem[];
    category: RankItem[];
    source: RankItem[];
    topic: RankItem[];
    ticketType: RankItem[];
    campaign: RankItem[];
    /** inspections that ended in 限期整改, by campaign */
    campaignFailed: RankItem[];
  };
  /** Cases reported in the period that reached each stage (发现→派单→处置→结案). */
  funnel: { reported: number; dispatched: number; handling: number; closed: number };
  /** New cases/tickets/inspections per hour (ranges ≤ 2 days) or per day, for this and the previous period. */
  series: { bucket: 'hour' | 'day'; points: Array<{ t: string; cases: number; tickets: number; inspections: number }>; previous: Array<{ cases: number; tickets: number; inspections: number }> };
  /** Server time spent, for the briefing's footer and the benchmark. */
  tookMs: number;
}
