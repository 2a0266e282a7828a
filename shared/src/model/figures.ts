// Every figure of one (period, place) from the summed counters: the one implementation behind the
// live screen, ranges, replay, drill-down and the briefing (docs/domain.md).
import type { StreamKind } from '../vocab';
import { BREAKDOWNS, COUNTS, RATES, type BreakdownId, type CountId, type RateId } from './definitions';
import { NEW_METRICS } from './contributions';
import type { Children, PlaceLevel } from './places';
import { counterKey } from './keys';

export interface ChildFigures {
  id: string;
  case: number;
  ticket: number;
  inspection: number;
}

export interface Figures {
  counts: Record<CountId, number>;
  /** 0..1, or null where the denominator is 0 ("no data") */
  rates: Record<RateId, number | null>;
  /** every id of the vocabulary, in vocabulary order */
  breakdowns: Record<BreakdownId, Array<{ id: string; value: number }>>;
  /** the place's children with their new items; they add up to the place's own */
  children: { level: Exclude<PlaceLevel, 'town'>; items: ChildFigures[] } | null;
}

/** Summed counters of one period: the count under a full key (metric and place), 0 when absent. */
export type CounterLookup = (key: string) => number;

export const ratio = (numerator: number, denominator: number): number | null => (denominator > 0 ? numerator / denominator : null);

export function computeFigures(get: CounterLookup, place: string, children: Children | null): Figures {
  const at = (metric: string) => get(counterKey(metric, place));
  const counts = {} as Record<CountId, number>;
  for (const id of Object.keys(COUNTS) as CountId[]) counts[id] = at(COUNTS[id]);
  const rates = {} as Record<RateId, number | null>;
  for (const id of Object.keys(RATES) as RateId[]) {
    const [num, den] = RATES[id];
    rates[id] = ratio(counts[num], counts[den]);
  }
  const breakdowns = {} as Figures['breakdowns'];
  for (const id of Object.keys(BREAKDOWNS) as BreakdownId[]) {
    const [prefix, vocab] = BREAKDOWNS[id];
    breakdowns[id] = vocab.map((v) => ({ id: v, value: at(prefix + v) }));
  }
  const childValue = (child: string, kind: StreamKind) =>
    children?.by === 'dim' ? at(`${NEW_METRICS[kind]}|grid:${child}`) : get(counterKey(NEW_METRICS[kind], child));
  return {
    counts,
    rates,
    breakdowns,
    children: children && {
      level: children.level,
      items: children.ids.map((id) => ({ id, case: childValue(id, 'case'), ticket: childValue(id, 'ticket'), inspection: childValue(id, 'inspection') })),
    },
  };
}

/**
 * 环比: relative change of a count, or the difference in points of a rate (0.02 = 2 pt). Null
 * ("no data") when the previous period is not covered by the history, or its value is null or a 0
 * base of a count.
 */
export function change(current: number | null, previous: number | null, kind: 'count' | 'rate', comparable = true): number | null {
  if (!comparable || current === null || previous === null) return null;
  if (kind === 'rate') return current - previous;
  return previous === 0 ? null : (current - previous) / previous;
}

/** Sum counter rows whose hour lies in [fromHour, toHour) into one total per key. */
export function sumRows(rows: Iterable<readonly [number, string, number]>, fromHour: number, toHour: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [hour, key, count] of rows) {
    if (hour < fromHour || hour >= toHour) continue;
    out.set(key, (out.get(key) ?? 0) + count);
  }
  return out;
}
