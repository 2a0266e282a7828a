// A GeoReport request as one of our events (docs/open311.md, "What a posted request becomes"): a case
// category's request is a case reported (发现) through 12345 (source `hotline`, 12345转办), a 12345
// topic's is a ticket received (受理). Used by POST requests.json and by the import tool's Open311
// reader; ingest validates the result like any event.
import type { IngestEventInput } from '#shared/events';
import { toShanghaiIso, DAY_MS, HOUR_MS } from '#shared/time';
import type { Placed } from './place';
import { DEFAULT_TICKET_TYPE, type ServiceTarget } from './services';

/** 处置时限 of a case taken in from the public, until the centre sets its own at 立案. */
export const CASE_DEADLINE_MS = 24 * HOUR_MS;

/** 12345 time limits by ticket type, as the hotline sets them (docs/open311.md). */
const TICKET_DUE_MS: Record<string, number> = { consult: 15 * DAY_MS, suggestion: 15 * DAY_MS, help: 5 * DAY_MS, complaint: 5 * DAY_MS, report: 5 * DAY_MS };
const FIRST_CONTACT_MS: Record<string, number> = { complaint: 2 * HOUR_MS, help: 2 * HOUR_MS };

export interface RequestFields {
  target: ServiceTarget;
  id: string;
  /** when the request was made (ms) */
  requestedAt: number;
  place: Placed;
  /** the request's own address, else the place's names */
  address?: string;
  description?: string;
  phone?: string;
  /** `subcategory` (cases, required), `ticket_type` (tickets) */
  attributes: Readonly<Record<string, string | readonly string[]>>;
  /** the request's expected_datetime (ms), else the time limit above */
  expectedAt?: number;
  /** when it was closed (ms): the event is then version 2, closed */
  closedAt?: number;
}

const one = (v: string | readonly string[] | undefined) => (Array.isArray(v) ? v[0] : v) as string | undefined;

export function eventOfRequest(f: RequestFields): IngestEventInput {
  const at = toShanghaiIso(f.requestedAt);
  const { address, ...location } = f.place;
  const closed = f.closedAt === undefined ? {} : { version: 2, occurredAt: toShanghaiIso(f.closedAt), status: 'closed', closedAt: toShanghaiIso(f.closedAt) };
  const common = { id: f.id, version: 1, occurredAt: at, urgent: false, address: f.address ?? address, location };
  if (f.target.kind === 'case') {
    return {
      kind: 'case', ...common, status: 'reported', source: 'hotline', category: f.target.label,
      subcategory: one(f.attributes.subcategory), description: f.description, reportedAt: at,
      deadline: toShanghaiIso(f.expectedAt ?? f.requestedAt + CASE_DEADLINE_MS),
      ...(f.phone ? { reporterPhone: f.phone } : {}), ...closed,
    } as IngestEventInput;
  }
  const ticketType = one(f.attributes.ticket_type) ?? DEFAULT_TICKET_TYPE;
  return {
    kind: 'ticket', ...common, status: 'received', ticketType, topic: f.target.label, summary: f.description, callerPhone: f.phone,
    receivedAt: at, dueAt: toShanghaiIso(f.expectedAt ?? f.requestedAt + (TICKET_DUE_MS[ticketType] ?? 5 * DAY_MS)),
    firstContactDueAt: toShanghaiIso(f.requestedAt + (FIRST_CONTACT_MS[ticketType] ?? DAY_MS)), ...closed,
  } as IngestEventInput;
}

/**
 * Our field paths as the GeoReport parameters a client sent: a rejection names what the client can
 * change (e.g. `summary` → `description`, `callerPhone` → `phone`).
 */
export function requestParam(path: string): string {
  if (path === 'description' || path === 'summary') return 'description';
  if (path === 'reporterPhone' || path === 'callerPhone') return 'phone';
  if (path === 'address') return 'address_string';
  if (path === 'subcategory') return 'attribute[subcategory]';
  if (path === 'ticketType') return 'attribute[ticket_type]';
  if (path === 'location' || path.startsWith('location.')) return 'lat/long';
  if (path === 'deadline' || path === 'dueAt') return 'expected_datetime';
  return path;
}
