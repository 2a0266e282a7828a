// Search is limited per screen token (docs/privacy.md, "Search"): it matches masked text only, and the
// limit keeps anyone from walking the id space or the address book at machine speed. A person typing
// searches a few times a minute (the search box waits for the keys to pause).
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { createHash } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { apiErrorSchema } from '#shared/http';

export const SEARCH_PER_MINUTE = 30;

/** The screen token of a request (the route requires one), else its address; hashed, so no counter's key is a secret. */
const keyOf = (req: FastifyRequest) =>
  createHash('sha256').update(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? req.ip).digest('base64url').slice(0, 22);

/**
 * Adds the limiter to the screen API's plugin: routes opt in with `config: searchRateLimit`. It runs
 * after the token is checked (a request without one is 401 and not counted). Counters are kept in
 * `store` (Redis, shared by the cluster: searchLimitStore.ts) or else in this node's memory, for at
 * most 5,000 tokens (least recently used dropped).
 */
export async function registerSearchLimit(api: FastifyInstance, store?: FastifyRateLimitStoreCtor) {
  await api.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    keyGenerator: keyOf,
    ...(store ? { store } : {}),
    errorResponseBuilder: (_req, ctx) =>
      Object.assign(new Error(`at most ${ctx.max} searches a minute per screen token: retry in ${Math.ceil(ctx.ttl / 1000)} s`), { statusCode: ctx.statusCode }),
  });
  // 429 answered here with the API's error shape; anything else goes on to the app's handler.
  api.setErrorHandler((err: FastifyError, _req, reply) => {
    if (err.statusCode !== 429) throw err;
    return reply.code(429).send({ error: 'rate_limited', message: err.message });
  });
}

export const searchRateLimit = { rateLimit: { max: SEARCH_PER_MINUTE, timeWindow: 60_000 } };

export const rateLimitedSchema = apiErrorSchema(['rate_limited'])
  .describe(`more than ${SEARCH_PER_MINUTE} searches in a minute with this token: Retry-After says when to try again`);
