// Where an entity stands in its lifecycle. Type-only imports: the screen's bundle gets these
// without the schema library.
import type { IngestEvent } from './events';

const caseOpen = new Set(['reported', 'accepted', 'dispatched', 'handling', 'feedback', 'verified']);
const ticketOpen = new Set(['received', 'assigned', 'contacted', 'replied']);

export function isOpen(e: IngestEvent): boolean {
  if (e.kind === 'case') return caseOpen.has(e.status);
  if (e.kind === 'ticket') return ticketOpen.has(e.status);
  return e.status === 'rectifying' || e.status === 'overdue';
}

/** The due time that makes an open entity overdue (超期), if it has one. */
export function dueOf(e: IngestEvent): string | undefined {
  if (e.kind === 'case') return e.deadline;
  if (e.kind === 'ticket') return e.dueAt;
  return e.rectifyDeadline;
}

/** The instant an entity was first reported (新增 counts by it). */
export function startedAt(e: IngestEvent): string {
  return e.kind === 'case' ? e.reportedAt : e.kind === 'ticket' ? e.receivedAt : e.inspectedAt;
}
