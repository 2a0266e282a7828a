// Read-model arithmetic shared by the backends: which entities a snapshot shows first, and the
// gauges from overdue counts per (stream, 片区, 居民区, grid).
import { TOWN_PLACE } from '#shared/model/places';
import type { EntitySummary, Gauges } from '#shared/protocol';
import type { StreamCounts } from '#shared/range';

type Keyed = { key: string; summary: EntitySummary };

/**
 * The ones an officer must see first (longest overdue, then urgent open: a quarter of the limit
 * each), then the freshest, each entity once. `lists(share)` gives the three lists in that order.
 */
export async function mergeRelevant(limit: number, lists: (share: number) => Keyed[][] | Promise<Keyed[][]>): Promise<EntitySummary[]> {
  const share = Math.ceil(limit / 4);
  const [overdue = [], urgent = [], fresh = []] = await lists(share);
  const seen = new Set<string>();
  const out: EntitySummary[] = [];
  const take = (rows: Keyed[], cap: number) => {
    for (const { key, summary } of rows) {
      if (out.length >= cap) return;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(summary);
    }
  };
  take(overdue, share);
  take(urgent, 2 * share);
  take(fresh, limit);
  return out;
}

/** Overdue counts per place: each row counts at the town and at its 片区, 居民区 and grid. */
export function gaugesOf(rows: Iterable<{ kind: keyof StreamCounts; area: string; nb: string; grid: string; n: number }>): Gauges {
  const overdue: Gauges['overdue'] = {};
  for (const r of rows)
    for (const place of [TOWN_PLACE, r.area, r.nb, r.grid]) (overdue[place] ??= { case: 0, ticket: 0, inspection: 0 })[r.kind] += Number(r.n);
  return { overdue };
}
