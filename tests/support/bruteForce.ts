// docs/domain.md's figures counted straight from raw events, entity by entity, without counters or
// deltas: the independent reference the model is tested against.
import type { IngestEvent } from '#shared/events';
import type { CountId, RateId } from '#shared/model/definitions';
import { RATES } from '#shared/model/definitions';
import { inPlace, type PlaceTree } from '#shared/model/places';
import { hourOfIso } from '#shared/time';

/** Each entity's state: its highest version, or (asOf) its highest version that had occurred by then. */
export function statesOf(versions: readonly IngestEvent[], asOf = Infinity): IngestEvent[] {
  const best = new Map<string, IngestEvent>();
  for (const v of versions) {
    if (Date.parse(v.occurredAt) > asOf) continue;
    const key = `${v.kind}:${v.id}`;
    const cur = best.get(key);
    if (!cur || cur.version < v.version) best.set(key, v);
  }
  return [...best.values()];
}

const le = (a: string | undefined, b: string) => a !== undefined && Date.parse(a) <= Date.parse(b);
const rank: Record<string, number> = { reported: 0, accepted: 1, dispatched: 2, handling: 3, feedback: 4, verified: 5, closed: 6 };

export interface BruteFigures {
  counts: Record<CountId, number>;
  rates: Record<RateId, number | null>;
  /** new items (case, ticket, inspection) of each child of the place */
  children: Record<string, [number, number, number]>;
  open: [number, number, number];
}

/** Figures of hours [fromHour, toHour) at a place, counted entity by entity. */
export function bruteFigures(states: readonly IngestEvent[], fromHour: number, toHour: number, place: string, tree: PlaceTree): BruteFigures {
  const inP = (iso: string | undefined) => iso !== undefined && hourOfIso(iso) >= fromHour && hourOfIso(iso) < toHour;
  const at = (e: IngestEvent, p: string) => inPlace(p, tree.areaOf, e.location.neighbourhoodId, e.location.gridId);
  const here = states.filter((e) => at(e, place));
  const c = {} as Record<CountId, number>;
  for (const k of Object.keys(RATES).flatMap((r) => RATES[r as RateId])) c[k] = 0;
  for (const k of ['funnelDispatched', 'funnelHandling', 'funnelClosed'] as const) c[k] = 0;
  const open: [number, number, number] = [0, 0, 0];
  for (const e of here) {
    if (e.kind === 'case') {
      if (inP(e.reportedAt)) {
        c.casesNew++;
        if (e.source === 'smart') c.casesSmart++;
        if ((rank[e.status] ?? -1) >= 2) c.funnelDispatched++;
        if ((rank[e.status] ?? -1) >= 3) c.funnelHandling++;
        if (e.status === 'closed') c.funnelClosed++;
      }
      const closed = e.status === 'closed';
      const early = closed && le(e.closedAt, e.deadline);
      // 应结案: due in the period, or closed in it before the deadline; voided and returned ones are not due
      if (e.status !== 'voided' && e.status !== 'returned' && inP(early ? e.closedAt : e.deadline)) {
        c.casesDue++;
        if (closed) c.casesClosed++;
        if (early) c.casesOnTime++;
        if (closed && e.resolvedLevel === 'grid') c.casesInGrid++;
        if (le(e.handledAt, e.deadline)) c.casesTimely++;
        if (e.reworkCount > 0) c.casesReworked++;
      }
      if (rank[e.status] !== undefined && e.status !== 'closed') open[0]++;
    } else if (e.kind === 'ticket') {
      if (inP(e.receivedAt)) {
        c.ticketsNew++;
        if (e.repeatOf) c.ticketsRepeat++;
      }
      const closedOnTime = e.status === 'closed' && le(e.closedAt, e.dueAt);
      if (inP(closedOnTime ? e.closedAt : e.dueAt)) {
        c.ticketsDue++;
        if (closedOnTime) c.ticketsOnTime++;
      }
      const contacted = le(e.firstContactAt, e.firstContactDueAt);
      if (inP(contacted ? e.firstContactAt : e.firstContactDueAt)) {
        c.ticketsFcDue++;
        if (contacted) c.ticketsFcOnTime++;
      }
      if (e.satisfaction && inP(e.closedAt ?? e.repliedAt ?? e.receivedAt)) {
        c.ticketsRated++;
        if (e.satisfaction !== 'unsatisfied') c.ticketsSatisfied++;
      }
      if (e.status !== 'closed') open[1]++;
    } else {
      if (inP(e.inspectedAt)) {
        c.inspectionsDone++;
        if (e.outcome === 'rectify') c.inspectionsFailed++;
      }
      if (e.outcome === 'rectify' && e.rectifyDeadline) {
        const fixed = le(e.rectifiedAt, e.rectifyDeadline);
        if (inP(fixed ? e.rectifiedAt : e.rectifyDeadline)) {
          c.rectificationsDue++;
          if (fixed) c.rectificationsOnTime++;
        }
      }
      if (e.status === 'rectifying' || e.status === 'overdue') open[2]++;
    }
  }
  const rates = {} as Record<RateId, number | null>;
  for (const r of Object.keys(RATES) as RateId[]) {
    const [num, den] = RATES[r];
    rates[r] = c[den] > 0 ? c[num] / c[den] : null;
  }
  const children: BruteFigures['children'] = {};
  for (const child of tree.children(place)?.ids ?? []) {
    const mine = here.filter((e) => at(e, child));
    children[child] = [
      mine.filter((e) => e.kind === 'case' && inP(e.reportedAt)).length,
      mine.filter((e) => e.kind === 'ticket' && inP(e.receivedAt)).length,
      mine.filter((e) => e.kind === 'inspection' && inP(e.inspectedAt)).length,
    ];
  }
  return { counts: c, rates, children, open };
}
