// Counter keys: `metric`, `metric|dim:value`, each at a place: `case.new|src:smart@A2`. The town
// carries no suffix. Hours bucket them (docs/domain.md, "The counter model").
import { TOWN_PLACE } from './places';

/** Bucket for point-in-time gauges (open now), which belong to no hour. */
export const GAUGE_HOUR = 0;

export type Contribution = readonly [hour: number, key: string];
/** A change of counters: [hour, key, +n/−n]. Streamed with each event so screens stay exact. */
export type RollupDelta = Array<[hour: number, key: string, n: number]>;

export const counterKey = (metric: string, place: string): string => (place === TOWN_PLACE ? metric : `${metric}@${place}`);

/** `case.new|src:smart@A2` → ['case.new|src:smart', 'A2']; the town's keys → [key, 'town']. */
export function splitKey(key: string): [metric: string, place: string] {
  const at = key.lastIndexOf('@');
  return at < 0 ? [key, TOWN_PLACE] : [key.slice(0, at), key.slice(at + 1)];
}
