// Realistic ingest events for benchmarks: the simulator's plan at city scale (×100), ids unique per day.
import type { IngestEventInput } from '#shared/events';
import { DAY_MS, shanghaiDayStart } from '#shared/time';
import { loadTown } from '../server/src/geo/town';
import { planDay } from '../server/src/sim/plan';

export const town = loadTown();

/** At least `n` events, from consecutive past days of the ×100 plan, oldest first; each version once. */
export function cityEvents(n: number, seed = 11): IngestEventInput[] {
  const out: IngestEventInput[] = [];
  const today = shanghaiDayStart(Date.now());
  for (let d = 1; out.length < n && d < 60; d++)
    for (const e of planDay(town, { seed, scale: 100 }, today - d * DAY_MS)) if (Date.parse(e.occurredAt) < Date.now()) out.push(e);
  return out.slice(0, n);
}

export const chunks = <T>(xs: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));
