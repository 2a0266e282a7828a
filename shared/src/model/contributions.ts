// What one entity state contributes to the counters. The store and the screens keep counters by
// (hour, key); an entity moving from state A to state B changes them by contributions(B) −
// contributions(A): O(1) work per event, and out-of-order lifecycles stay exact. Every counter is
// kept at the four places of the event (town, 片区, 居民区, grid). Definitions: docs/domain.md.
import type { IngestEvent } from '../events';
import { isOpen } from '../lifecycle';
import { hourOfIso } from '../time';
import { GAUGE_HOUR, counterKey, type Contribution, type RollupDelta } from './keys';
import { placesOf } from './places';

export interface GeoLookup {
  areaOf(neighbourhoodId: string): string | undefined;
}

/** The counters that count new items, hour by hour (the trend) and by child place (rankings). */
export const NEW_METRICS = { case: 'case.new', ticket: 'ticket.new', inspection: 'insp.done' } as const;

const caseStageRank: Record<string, number> = {
  reported: 0, accepted: 1, dispatched: 2, handling: 3, feedback: 4, verified: 5, closed: 6, returned: -1, voided: -1,
};

const ms = Date.parse;
/**
 * The instant that places an item in the due cohort of a period (应结案 and its kin): the due time,
 * or the completion when it came on or before the due time (completed early = due then in practice).
 * One instant per item, so each item counts once and every period's numerator stays a subset.
 */
export function cohortInstant(due: string, done: string | undefined): string {
  return done !== undefined && ms(done) <= ms(due) ? done : due;
}
const byDue = (done: string | undefined, due: string) => done !== undefined && ms(done) <= ms(due);

/** Stands for "each of the event's four places" in a compact delta (see expandDelta). */
export const EACH_PLACE = '*';

/** The places of an event: town, 片区, 居民区, grid. */
export const eventPlaces = (e: IngestEvent, geo: GeoLookup) =>
  placesOf(geo.areaOf(e.location.neighbourhoodId) ?? 'A0', e.location.neighbourhoodId, e.location.gridId);

/**
 * The counters one state contributes to. `compact`: one key `metric@*` instead of the four places
 * (expandDelta restores them), which keeps stored and streamed deltas a quarter of the size.
 */
export function contributions(e: IngestEvent, geo: GeoLookup, compact = false): Contribution[] {
  const out: Contribution[] = [];
  const { neighbourhoodId: nb, gridId: grid } = e.location;
  const places = compact ? [EACH_PLACE] : eventPlaces(e, geo);
  /** metric (and its breakdowns) at every place */
  const add = (hour: number, metric: string, ...dims: string[]) => {
    for (const p of places) {
      out.push([hour, counterKey(metric, p)]);
      for (const d of dims) out.push([hour, counterKey(`${metric}|${d}`, p)]);
    }
  };
  /** a new-items counter, also broken down by grid within the 居民区 (its ranking) */
  const addNew = (hour: number, metric: string, ...dims: string[]) => {
    add(hour, metric, ...dims);
    out.push([hour, counterKey(`${metric}|grid:${grid}`, nb)]);
  };

  if (e.kind === 'case') {
    const h = hourOfIso(e.reportedAt);
    addNew(h, 'case.new', `src:${e.source}`, `cat:${e.category}`);
    const rank = caseStageRank[e.status] ?? -1;
    if (rank >= 2) add(h, 'case.reached.dispatched');
    if (rank >= 3) add(h, 'case.reached.handling');
    if (rank >= 6) add(h, 'case.reached.closed');
    if (e.status !== 'voided' && e.status !== 'returned') {
      // 应结案: voided (作废) and returned-to-source (退回) cases are not the centre's to close.
      const closedAt = e.status === 'closed' ? e.closedAt : undefined;
      const d = hourOfIso(cohortInstant(e.deadline, closedAt));
      add(d, 'case.due');
      if (closedAt !== undefined) {
        add(d, 'case.closed');
        if (byDue(closedAt, e.deadline)) add(d, 'case.onTime');
        if (e.resolvedLevel === 'grid') add(d, 'case.inGrid');
      }
      if (byDue(e.handledAt, e.deadline)) add(d, 'case.timely');
      if (e.reworkCount > 0) add(d, 'case.reworked');
    }
    if (isOpen(e)) add(GAUGE_HOUR, 'case.open');
  } else if (e.kind === 'ticket') {
    const h = hourOfIso(e.receivedAt);
    addNew(h, 'ticket.new', `type:${e.ticketType}`, `topic:${e.topic}`);
    if (e.repeatOf) add(h, 'ticket.repeat');
    const closedAt = e.status === 'closed' ? e.closedAt : undefined;
    const d = hourOfIso(cohortInstant(e.dueAt, closedAt));
    add(d, 'ticket.due');
    if (byDue(closedAt, e.dueAt)) add(d, 'ticket.onTime');
    const fc = hourOfIso(cohortInstant(e.firstContactDueAt, e.firstContactAt));
    add(fc, 'ticket.fcDue');
    if (byDue(e.firstContactAt, e.firstContactDueAt)) add(fc, 'ticket.fcOnTime');
    if (e.satisfaction) {
      const r = hourOfIso(e.closedAt ?? e.repliedAt ?? e.receivedAt);
      add(r, 'ticket.rated');
      if (e.satisfaction === 'satisfied' || e.satisfaction === 'basic') add(r, 'ticket.satisfied');
    }
    if (isOpen(e)) add(GAUGE_HOUR, 'ticket.open');
  } else {
    const h = hourOfIso(e.inspectedAt);
    addNew(h, 'insp.done', `campaign:${e.campaign}`);
    if (e.outcome === 'rectify') {
      add(h, 'insp.failed', `campaign:${e.campaign}`);
      if (e.rectifyDeadline) {
        const d = hourOfIso(cohortInstant(e.rectifyDeadline, e.rectifiedAt));
        add(d, 'insp.rectDue');
        if (byDue(e.rectifiedAt, e.rectifyDeadline)) add(d, 'insp.rectOnTime');
      }
    }
    if (e.status === 'rectifying' || e.status === 'overdue') add(GAUGE_HOUR, 'insp.rectifying');
  }
  return out;
}

const samePlaces = (a: IngestEvent, b: IngestEvent) =>
  a.location.neighbourhoodId === b.location.neighbourhoodId && a.location.gridId === b.location.gridId;

/**
 * The counter change of an entity moving from `before` (undefined: new entity) to `after`, compact
 * (`@*` keys) unless the entity moved to other places.
 */
export function rollupDelta(before: IngestEvent | undefined, after: IngestEvent, geo: GeoLookup): RollupDelta {
  const compact = !before || samePlaces(before, after);
  const counts = new Map<string, [number, string, number]>();
  const bump = ([hour, key]: Contribution, n: number) => {
    const id = `${hour}\u0000${key}`;
    const cur = counts.get(id);
    if (cur) cur[2] += n;
    else counts.set(id, [hour, key, n]);
  };
  if (before) for (const c of contributions(before, geo, compact)) bump(c, -1);
  for (const c of contributions(after, geo, compact)) bump(c, +1);
  return [...counts.values()].filter((d) => d[2] !== 0);
}

const EACH_SUFFIX = `@${EACH_PLACE}`;

/** A delta with every `@*` key written out at the event's four places. */
export function expandDelta(delta: RollupDelta, e: IngestEvent, geo: GeoLookup): RollupDelta {
  if (!delta.some(([, key]) => key.endsWith(EACH_SUFFIX))) return delta;
  const places = eventPlaces(e, geo);
  const out: RollupDelta = [];
  for (const [hour, key, n] of delta) {
    if (!key.endsWith(EACH_SUFFIX)) out.push([hour, key, n]);
    else for (const p of places) out.push([hour, counterKey(key.slice(0, -EACH_SUFFIX.length), p), n]);
  }
  return out;
}
