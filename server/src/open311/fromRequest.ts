// One request of an Open311 requests.json dump as our event (docs/open311.md, "Importing a dump"): the
// same mapping as POST requests.json (toEvent.ts, place.ts), with the dump's own times and status.
// An open request is version 1 of its case or ticket, a closed one version 2 (closed at its
// updated_datetime), so a later dump that closes a request moves it and reading one again stores
// nothing twice. Anything that cannot become an event is a reason naming the field.
import type { IngestEventInput } from '#shared/events';
import { requestDumpSchema } from '#shared/open311';
import type { Town } from '../geo/town';
import { placePoint } from './place';
import { serviceByCode } from './services';
import { eventOfRequest } from './toEvent';
import { parseRequestId } from './toRequest';

export type FromRequest = { ok: true; event: IngestEventInput } | { ok: false; error: string };

const fail = (error: string): FromRequest => ({ ok: false, error });

export function eventFromRequest(input: unknown, town: Town): FromRequest {
  const p = requestDumpSchema.safeParse(input);
  if (!p.success) {
    const issue = p.error.issues[0]!;
    return fail(`${issue.path.map(String).join('.') || 'request'}: ${issue.path.length ? issue.message : 'expected a service request object'}`);
  }
  const r = p.data;
  const found = serviceByCode(r.service_code);
  if (!found) return fail(`service_code: no service ${r.service_code} here (GET /open311/v2/services.json lists them)`);
  const { kind } = found.target;
  // our own ids read `case:<id>`; another system's are taken as they are
  const ours = parseRequestId(r.service_request_id);
  if (ours && ours.kind !== kind) return fail(`service_request_id: ${r.service_request_id} is a ${ours.kind}, but ${r.service_code} is a ${kind} service`);
  if (r.lat == null || r.long == null) return fail('lat/long: required; a request is placed by its coordinates');
  const place = placePoint(town, r.long, r.lat);
  if (!place) return fail(`lat/long: ${r.lat}, ${r.long} is not inside ${town.geo.town.name}`);
  if (!r.description) return fail('description: required (a case or ticket says what is wrong)');
  if (kind === 'ticket' && !r.phone) return fail("phone: a 12345 ticket needs the caller's phone, which GeoReport answers leave out (a 12345 export adds it as `phone`)");
  if (r.status === 'closed' && !r.updated_datetime) return fail('updated_datetime: required for a closed request (when it was closed)');
  return {
    ok: true,
    event: eventOfRequest({
      target: found.target,
      id: ours?.id ?? r.service_request_id,
      requestedAt: Date.parse(r.requested_datetime),
      place,
      ...(r.address ? { address: r.address } : {}),
      description: r.description,
      ...(r.phone ? { phone: r.phone } : {}),
      attributes: Object.fromEntries((r.attributes ?? []).map((a) => [a.code, a.value])),
      ...(r.expected_datetime ? { expectedAt: Date.parse(r.expected_datetime) } : {}),
      ...(r.status === 'closed' ? { closedAt: Date.parse(r.updated_datetime!) } : {}),
    }),
  };
}
