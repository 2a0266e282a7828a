// One entity's state → the compact summary drawn on map and feed. Used by the server's snapshot
// and by the client for live events, so both agree by construction.
import type { IngestEvent } from './events';
import { dueOf, isOpen, startedAt } from './lifecycle';
import type { EntitySummary } from './protocol';

const round = (v: number) => Math.round(v * 1e5) / 1e5;

export function summarize(e: IngestEvent): EntitySummary {
  const label = e.kind === 'case' ? e.category : e.kind === 'ticket' ? e.topic : e.campaign;
  const s: EntitySummary = {
    kind: e.kind,
    id: e.id,
    version: e.version,
    status: e.status,
    urgent: e.urgent,
    lng: round(e.location.lng),
    lat: round(e.location.lat),
    gridId: e.location.gridId,
    neighbourhoodId: e.location.neighbourhoodId,
    label,
    startedAt: startedAt(e),
    updatedAt: e.occurredAt,
    open: isOpen(e),
  };
  const due = dueOf(e);
  if (due) s.dueAt = due;
  return s;
}

/** Overdue (超期): open and past its due time at `nowMs`. */
export const isOverdue = (s: Pick<EntitySummary, 'open' | 'dueAt'>, nowMs: number): boolean =>
  s.open && s.dueAt !== undefined && Date.parse(s.dueAt) < nowMs;
