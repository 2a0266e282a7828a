// Who may use /open311/v2/ (docs/open311.md, "Keys"): reads take a screen token (Bearer, as the
// screen API) or an ingest key as `api_key`; posting takes an ingest key. One function each, so the
// API follows when Bearer parsing moves to a single hook.
import type { FastifyRequest } from 'fastify';
import { TOWN_PLACE } from '#shared/model/places';
import type { Principal } from '../config';
import { forbidden } from './errors';

export interface Keys {
  /** screen token → its holder (and the place it is bound to) */
  tokens: ReadonlyMap<string, Principal>;
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
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  const principal = bearer ? keys.tokens.get(bearer[1]!) : undefined;
  if (principal) return principal.place;
  const key = apiKeyOf(req);
  if (key !== undefined && keys.ingestKeys.has(key)) return TOWN_PLACE;
  throw forbidden(key === undefined && !bearer
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
