// A case or 12345 ticket as a GeoReport service request (docs/open311.md, "Requests"), masked like
// everything else that leaves the server. The id names the stream: ids are unique per stream only.
import type { CaseEvent, IngestEvent, TicketEvent } from '#shared/events';
import { caseStatusLabels, resolutionLabels, ticketStatusLabels } from '#shared/labels';
import { dueOf, isOpen, startedAt } from '#shared/lifecycle';
import type { ServiceRequest } from '#shared/open311';
import { maskEvent } from '#shared/privacy';
import { serviceOf } from './services';

export type RequestEntity = CaseEvent | TicketEvent;

/** The streams that are service requests (an inspection is the centre's own check). */
export const REQUEST_KINDS = ['case', 'ticket'] as const;
export const isRequestEntity = (e: IngestEvent): e is RequestEntity => e.kind === 'case' || e.kind === 'ticket';

export const requestIdOf = (e: { kind: string; id: string }) => `${e.kind}:${e.id}`;

/** `case:<id>` / `ticket:<id>` → the entity's key; undefined for anything else. */
export function parseRequestId(requestId: string): { kind: RequestEntity['kind']; id: string } | undefined {
  const i = requestId.indexOf(':');
  const kind = requestId.slice(0, i);
  const id = requestId.slice(i + 1);
  return (kind === 'case' || kind === 'ticket') && id.length > 0 ? { kind, id } : undefined;
}

/** 派单 dispatched, 结案 closed · 网格内解决, or a ticket's reply (答复) once it has one. */
function statusNotes(e: RequestEntity): string {
  if (e.kind === 'case') {
    const s = caseStatusLabels[e.status];
    const level = e.status === 'closed' && e.resolvedLevel ? ` · ${resolutionLabels[e.resolvedLevel].zh}` : '';
    return `${s.zh} ${e.status}${level}`;
  }
  const s = ticketStatusLabels[e.status];
  return `${s.zh} ${e.status}${e.reply ? ` · 答复：${e.reply}` : ''}`;
}

/** Its answers to its service's attributes (the `attributes` extension, docs/open311.md). */
const attributesOf = (e: RequestEntity) =>
  e.kind === 'case' ? [{ code: 'subcategory', name: '小类', value: e.subcategory }] : [{ code: 'ticket_type', name: '工单类型', value: e.ticketType }];

/**
 * The request of an entity's current state. `centre` answers for what no department has taken yet
 * (a case before 派单, every ticket: 12345 tickets are handled through the town's centre).
 * `extensions`: with its `attributes`.
 */
export function toServiceRequest(raw: RequestEntity, centre: string, extensions = false): ServiceRequest {
  const e = maskEvent(raw);
  const label = e.kind === 'case' ? e.category : e.topic;
  const service = serviceOf(e.kind, label);
  const open = isOpen(e);
  return {
    service_request_id: requestIdOf(e),
    status: open ? 'open' : 'closed',
    status_notes: statusNotes(e),
    service_name: service?.service_name ?? label,
    service_code: service?.service_code ?? `${e.kind}-${label}`,
    description: e.kind === 'case' ? e.description : e.summary,
    agency_responsible: (e.kind === 'case' && e.department) || centre,
    requested_datetime: startedAt(e),
    // "for requests with status=closed, the date the request was closed"
    updated_datetime: (!open && e.closedAt) || e.occurredAt,
    expected_datetime: dueOf(e) ?? null,
    address: e.address,
    lat: e.location.lat,
    long: e.location.lng,
    ...(extensions ? { attributes: attributesOf(e) } : {}),
  };
}
