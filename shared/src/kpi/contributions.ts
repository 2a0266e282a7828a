// What one entity state contributes to the rollups. The store and the screens keep counters
// keyed by (hour bucket, key); an entity moving from state A to state B changes them by
// contributions(B) − contributions(A): O(1) work per event, and corrections or out-of-order
// lifecycles stay exact. Keys read `metric` or `metric|dim:value`.
import type { IngestEvent } from '../events';
import { isOpen } from '../lifecycle';
import { hourOfIso } from '../time';

export { dueOf, isOpen } from '../lifecycle';

/** Bucket for point-in-time gauges (open now), which belong to no hour. */
export const GAUGE_HOUR = 0;

export type Contribution = readonly [hour: number, key: string];
/** A rollup change: [hour, key, +n/−n]. Streamed with each event so screens stay exact. */
export type RollupDelta = Array<[hour: number, key: string, n: number]>;

export interface GeoLookup {
  areaOf(neighbourhoodId: string): string | undefined;
}

const caseStageRank: Record<string, number> = {
  reported: 0, accepted: 1, dispatched: 2, handling: 3, feedback: 4, verified: 5, closed: 6, returned: -1, voided: -1,
};

export function contributions(e: IngestEvent, geo: GeoLookup): Contribution[] {
  const out: Contribution[] = [];
  const area = geo.areaOf(e.location.neighbourhoodId) ?? 'A?';
  const nb = e.location.neighbourhoodId;
  const add = (hour: number, metric: string, ...dims: string[]) => {
    out.push([hour, metric]);
    for (const d of dims) out.push([hour, `${metric}|${d}`]);
  };
  if (e.kind === 'case') {
    const h = hourOfIso(e.reportedAt);
    add(h, 'case.new', `src:${e.source}`, `cat:${e.category}`, `area:${area}`, `nb:${nb}`, `grid:${e.location.gridId}`);
    if (e.urgent) add(h, 'case.urgent');
    const rank = caseStageRank[e.status] ?? -1;
    if (rank >= 2) add(h, 'case.reached.dispatched');
    if (rank >= 3) add(h, 'case.reached.handling');
    if (e.status === 'closed' && e.closedAt) {
      const c = hourOfIso(e.closedAt);
      add(c, 'case.closed', `area:${area}`, `nb:${nb}`);
      add(h, 'case.reached.closed');
      if (Date.parse(e.closedAt) <= Date.parse(e.deadline)) add(c, 'case.timely', `area:${area}`);
      if (e.resolvedLevel === 'grid') add(c, 'case.inGrid');
    }
    if (isOpen(e)) add(GAUGE_HOUR, 'case.open', `area:${area}`, `nb:${nb}`, `grid:${e.location.gridId}`);
  } else if (e.kind === 'ticket') {
    const h = hourOfIso(e.receivedAt);
    add(h, 'ticket.new', `type:${e.ticketType}`, `topic:${e.topic}`, `area:${area}`, `nb:${nb}`);
    add(hourOfIso(e.firstContactDueAt), 'ticket.fcDue');
    if (e.firstContactAt && Date.parse(e.firstContactAt) <= Date.parse(e.firstContactDueAt))
      add(hourOfIso(e.firstContactDueAt), 'ticket.fcOnTime');
    if (e.status === 'closed' && e.closedAt) {
      const c = hourOfIso(e.closedAt);
      add(c, 'ticket.closed');
      if (Date.parse(e.closedAt) <= Date.parse(e.dueAt)) add(c, 'ticket.onTime');
      if (e.satisfaction) add(c, 'ticket.rated');
      if (e.satisfaction === 'satisfied' || e.satisfaction === 'basic') add(c, 'ticket.satisfied');
    }
    if (isOpen(e)) add(GAUGE_HOUR, 'ticket.open', `area:${area}`);
  } else {
    const h = hourOfIso(e.inspectedAt);
    add(h, 'insp.done', `campaign:${e.campaign}`, `area:${area}`);
    if (e.outcome === 'rectify') {
      add(h, 'insp.failed', `campaign:${e.campaign}`);
      if (e.rectifyDeadline) {
        const d = hourOfIso(e.rectifyDeadline);
        add(d, 'insp.rectDue');
        if (e.rectifiedAt && Date.parse(e.rectifiedAt) <= Date.parse(e.rectifyDeadline)) add(d, 'insp.rectOnTime');
      }
    }
    if (e.status === 'rectifying' || e.status === 'overdue') add(GAUGE_HOUR, 'insp.rectifying', `area:${area}`);
  }
  return out;
}

/** The rollup change of an entity moving from `before` (undefined: new entity) to `after`. */
export function rollupDelta(before: IngestEvent | undefined, after: IngestEvent, geo: GeoLookup): RollupDelta {
  const counts = new Map<string, [number, string, number]>();
  const bump = ([hour, key]: Contribution, n: number) => {
    const id = `${hour}\u0000${key}`;
    const cur = counts.get(id);
    if (cur) cur[2] += n;
    else counts.set(id, [hour, key, n]);
  };
  if (before) for (const c of contributions(before, geo)) bump(c, -1);
  for (const c of contributions(after, geo)) bump(c, +1);
  return [...counts.values()].filter((d) => d[2] !== 0);
}
