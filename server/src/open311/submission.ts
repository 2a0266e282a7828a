// POST requests.json: the body (form or JSON) parsed, placed and turned into one event with an id of
// its own (docs/open311.md, "POST requests.json"). The id is a digest of what was sent, the sending
// system and the day: a client that sends the same request again (a retry after a lost answer) gets
// the same id, and ingest answers `duplicate` instead of storing it twice.
import { createHash } from 'node:crypto';
import type { IngestEventInput } from '#shared/events';
import { postRequestSchema, type PostRequest } from '#shared/open311';
import { shanghaiDate } from '#shared/time';
import type { Town } from '../geo/town';
import { badRequest, invalidParameters, notFound } from './errors';
import { placePoint } from './place';
import { serviceByCode, serviceDefinition } from './services';
import { eventOfRequest } from './toEvent';

const ATTRIBUTE = /^attribute\[([^\]]+)\](\[\])?$/;

/** Form fields `attribute[code]=v` (and `attribute[code][]=v` for lists) gathered as `attribute: {code: v}`. */
export function gatherAttributes(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const attribute: Record<string, unknown> = typeof body.attribute === 'object' && body.attribute !== null ? { ...(body.attribute as object) } : {};
  for (const [k, v] of Object.entries(body)) {
    const m = ATTRIBUTE.exec(k);
    if (m) attribute[m[1]!] = v;
    else if (k !== 'attribute') out[k] = v;
  }
  return Object.keys(attribute).length || 'attribute' in body ? { ...out, attribute } : out;
}

export function parsePost(body: unknown): PostRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('body: expected form fields or one JSON object');
  const p = postRequestSchema.safeParse(gatherAttributes(body as Record<string, unknown>));
  if (!p.success) throw invalidParameters(p.error.issues);
  return p.data;
}

const digest = (parts: unknown[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12);

/** The event a posted request becomes; throws the GeoReport error naming what is wrong. */
export function postedEvent(town: Town, source: string, r: PostRequest, nowMs: number): IngestEventInput {
  const found = serviceByCode(r.service_code);
  if (!found) throw notFound(`service_code: no service ${r.service_code} (see services.json)`);
  const attributes = r.attribute ?? {};
  for (const a of serviceDefinition(r.service_code)!.attributes) {
    if (a.required && attributes[a.code] === undefined)
      throw badRequest(`attribute[${a.code}]: required, one of ${a.values?.map((v) => v.key).join(', ')}`);
  }
  if (r.lat === undefined || r.long === undefined)
    throw badRequest('lat/long: required; this server places a request by its coordinates (an address_string or address_id alone cannot be placed)');
  const place = placePoint(town, r.long, r.lat);
  if (!place) throw badRequest(`lat/long: ${r.lat}, ${r.long} is not inside ${town.geo.town.name} (WGS84 degrees, lat first)`);
  if (!r.description) throw badRequest('description: required: what is wrong, and where');
  if (found.target.kind === 'ticket' && !r.phone) throw badRequest("phone: required for a 12345 ticket (the caller's number, for 先行联系 and the satisfaction call)");
  const day = shanghaiDate(nowMs);
  const hash = digest([source, day, r.service_code, r.lat, r.long, r.address_string, r.description, r.phone, attributes]);
  return eventOfRequest({
    target: found.target,
    id: `${found.target.kind === 'case' ? 'CS' : 'RX'}-O311-${day.replaceAll('-', '')}-${hash}`,
    requestedAt: nowMs, place, address: r.address_string, description: r.description, phone: r.phone, attributes,
  });
}
