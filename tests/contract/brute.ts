// Brute-force references for the contract tests: what the counters, gauges and lists must be,
// computed from the raw versions or from the stored deltas, without the store's tables.
import type { IngestEvent } from '#shared/events';
import { contributions, expandDelta, type GeoLookup } from '#shared/model/contributions';
import { GAUGE_HOUR } from '#shared/model/keys';
import { TOWN_PLACE } from '#shared/model/places';
import type { Gauges } from '#shared/protocol';
import { dueOf, isOpen } from '#shared/lifecycle';
import type { StoredEvent } from '../../server/src/store/types';

export type Sums = Map<string, number>;
const id = (hour: number, key: string) => `${hour}|${key}`;

export function add(sums: Sums, hour: number, key: string, n: number) {
  sums.set(id(hour, key), (sums.get(id(hour, key)) ?? 0) + n);
}

/** Non-zero sums as a sorted list of "hour|key=n", for readable diffs. */
export const listed = (sums: Sums) => [...sums].filter(([, n]) => n !== 0).map(([k, n]) => `${k}=${n}`).sort();

/** Counter rows of hours [from, to) and the gauges summed from the stored deltas. */
export function sumDeltas(events: readonly StoredEvent[], geo: GeoLookup, fromHour: number, toHour: number): Sums {
  const sums: Sums = new Map();
  for (const s of events)
    for (const [hour, key, n] of expandDelta(s.delta, s.event, geo)) if (hour === GAUGE_HOUR || (hour >= fromHour && hour < toHour)) add(sums, hour, key, n);
  return sums;
}

/** Each entity's highest version among those with occurredAt < beforeMs. */
export function statesBefore(versions: readonly IngestEvent[], beforeMs = Infinity): IngestEvent[] {
  const best = new Map<string, IngestEvent>();
  for (const v of versions) {
    if (Date.parse(v.occurredAt) >= beforeMs) continue;
    const key = `${v.kind}:${v.id}`;
    const cur = best.get(key);
    if (!cur || cur.version < v.version) best.set(key, v);
  }
  return [...best.values()];
}

/** The counters the states contribute, in hours [from, to) and the gauges. */
export function sumStates(states: readonly IngestEvent[], geo: GeoLookup, fromHour: number, toHour: number): Sums {
  const sums: Sums = new Map();
  for (const e of states)
    for (const [hour, key] of contributions(e, geo)) if (hour === GAUGE_HOUR || (hour >= fromHour && hour < toHour)) add(sums, hour, key, 1);
  return sums;
}

export function bruteGauges(states: readonly IngestEvent[], geo: GeoLookup, nowMs: number): Gauges {
  const overdue: Gauges['overdue'] = {};
  for (const e of states) {
    const due = dueOf(e);
    if (!isOpen(e) || !due || Date.parse(due) >= nowMs) continue;
    for (const p of [TOWN_PLACE, geo.areaOf(e.location.neighbourhoodId)!, e.location.neighbourhoodId, e.location.gridId])
      (overdue[p] ??= { case: 0, ticket: 0, inspection: 0 })[e.kind] += 1;
  }
  return { overdue };
}

/** Latest first by when they happened, then by seq. */
export const newestFirst = (a: StoredEvent, b: StoredEvent) =>
  Date.parse(b.event.occurredAt) - Date.parse(a.event.occurredAt) || b.seq - a.seq;
