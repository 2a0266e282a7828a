// Who may use /open311/v2/ (docs/open311.md, "Keys"): reads take a screen token (Bearer, as the
// screen API, resolved once per request by http/auth.ts) or an ingest key as `api_key`; posting
// takes an ingest key.
import type { FastifyRequest } from 'fastify';
import { TOWN_PLACE } from '#shared/model/places';
import { forbidden } from './errors';

export interface Keys {
  /** ingest key → its source system */
  ingestKeys: ReadonlyMap<string, string>;
}

function apiKeyOf(req: FastifyRequest): string | undefined {
  const fromBody = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>).api_key : undefined;
  const key = fromBody ?? (req.query as Record<string, unknown>).api_key;
  return typeof key === 'string' && key !== '' ? key : undefined;
}

/** The place a reader may see: a screen token's (the town when unbound), the town for an ingest key; else 403. */
export function readerPlace(req: FastifyRequest, keys: Keys): string {
  if (req.principal) return req.principal.place;
  const key = apiKeyOf(req);
  if (key !== undefined && keys.ingestKeys.has(key)) return TOWN_PLACE;
  throw forbidden(key === undefined && req.headers.authorization === undefined
    ? 'api_key: required (an ingest key), or a screen token as Authorization: Bearer <token>'
    : 'api_key: not a valid key (nor is the Bearer token a screen token)');
}

/** The source system whose ingest key (`api_key`) posts; else 403. */
export function postingSource(req: FastifyRequest, keys: Keys): string {
  const key = apiKeyOf(req);
  const source = key === undefined ? undefined : keys.ingestKeys.get(key);
  if (source === undefined) throw forbidden(key === undefined ? 'api_key: required to post (an ingest key)' : 'api_key: not a valid ingest key');
  return source;
}
