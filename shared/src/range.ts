// Periods and places of a view: 今日 · 昨日 · 近7天 · 近30天 · custom, each compared with the previous
// period of equal length (环比), at the town or one 片区 / 居民区 / grid. Periods are counted by the
// hour: a period [from, to) covers the hours from `from` up to the one holding `to`.
// Pure and free of the schema library: the screen imports it (the query schema is in rangeSchema.ts).
import type { Figures } from './model/figures';
import type { StreamKind } from './vocab';
import { DAY_MS, HOUR_MS, shanghaiDayStart, shanghaiMidnight } from './time';

export const presets = ['today', 'yesterday', '7d', '30d'] as const;
export type Preset = (typeof presets)[number];
/** A custom range spans at most this many days. */
export const MAX_RANGE_DAYS = 366;

export type RangeQuery = { preset: Preset } | { from: string; to: string };

export interface Period {
  /** epoch ms, inclusive */
  from: number;
  /** epoch ms, exclusive (for a range reaching today: now) */
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

/**
 * The previous period of equal length (环比), over whole hours: for 今日 so far, yesterday from 00:00
 * up to the same whole hour. The hour under way is left out of the base, so a partly elapsed hour is
 * never compared with a full one (just after midnight there is no base: "no data", not −100 %).
 */
export function previousPeriod(p: Period): Period {
  const days = Math.max(1, Math.ceil((p.to - p.from) / DAY_MS));
  return { from: p.from - days * DAY_MS, to: Math.floor(p.to / HOUR_MS) * HOUR_MS - days * DAY_MS };
}

/** The hour buckets [fromHour, toHour) a period covers: the hour holding `to` counts; an empty period covers none. */
export function periodHours(p: Period): [number, number] {
  const from = Math.floor(p.from / HOUR_MS);
  return [from, p.to > p.from ? Math.ceil(p.to / HOUR_MS) : from];
}


export type StreamCounts = Record<StreamKind, number>;

/** GET /api/v1/range: every figure of a (period, place), with the previous period (schema: rangeSchema.ts). */
export interface RangeReport {
  /** 'town', or the id of a 片区, 居民区 or grid */
  place: string;
  period: { from: string; to: string };
  previous: { from: string; to: string };
  /** false when the previous period starts before the stored history: 环比 is then "no data" */
  comparable: boolean;
  /** start of the day of the oldest stored event; null when nothing is stored */
  historyFrom: string | null;
  figures: Figures;
  previousFigures: Figures;
  /** New items per hour (periods up to 2 days) or per day, this period and the previous one (for a day: the whole previous day). */
  series: { bucket: 'hour' | 'day'; points: Array<{ t: string } & StreamCounts>; previous: StreamCounts[] };
  /** Open and overdue (超期) at the place now: point-in-time figures (shown for ranges that reach now). */
  now: { open: StreamCounts; overdue: StreamCounts };
  /** server time spent */
  tookMs: number;
}
