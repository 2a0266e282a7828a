// GeoReport errors: an array of {code, description}, code = the HTTP status (docs/open311.md,
// "Errors"). 400 for a request that cannot be done, 403 for a missing or wrong key, 404 for what
// does not exist; every description names the parameter at fault.
import type { FastifyError, FastifyReply } from 'fastify';
import type { Open311Error } from '#shared/open311';
import { OverloadedError, StoreUnavailableError, refusedOutcome } from '../store/errors';

export class Open311Failure extends Error {
  constructor(readonly status: number, readonly errors: Open311Error[], readonly retryAfter?: number) {
    super(errors.map((e) => e.description).join('; '));
  }
}

export const failure = (status: number, ...descriptions: string[]) => new Open311Failure(status, descriptions.map((description) => ({ code: status, description })));
export const badRequest = (...descriptions: string[]) => failure(400, ...descriptions);
export const forbidden = (description: string) => failure(403, description);
export const notFound = (description: string) => failure(404, description);

/** zod issues as GeoReport errors, each naming its parameter. */
export function invalidParameters(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): Open311Failure {
  return badRequest(...issues.slice(0, 20).map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`));
}

/**
 * The plugin's error handler: whatever fails inside /open311/v2/ is answered as a GeoReport error
 * array. An unexpected failure while the database does not answer (`ping`) is a 503 to retry, as
 * the store's own refusals are.
 */
export async function answerError(err: unknown, reply: FastifyReply, ping: () => Promise<boolean>) {
  const fail =
    err instanceof Open311Failure ? err
    : err instanceof OverloadedError ? unavailable('overloaded', 1)
    : err instanceof StoreUnavailableError ? unavailable('the database cannot be reached', 2, refusedOutcome(err))
    : bodyFailure(err as FastifyError) ?? ((await ping().catch(() => false)) ? failure(500, 'internal error') : unavailable('the database cannot be reached', 2));
  if (fail.retryAfter) void reply.header('retry-after', String(fail.retryAfter));
  return reply.code(fail.status).send(fail.errors);
}

const unavailable = (why: string, retryAfter: number, outcome = refusedOutcome()) =>
  new Open311Failure(503, [{ code: 503, description: `${why}: ${outcome}` }], retryAfter);

/** Fastify's own refusals (body not parsable, too large, unknown media type); undefined for anything else. */
function bodyFailure(err: FastifyError): Open311Failure | undefined {
  const status = err.statusCode ?? 500;
  if (status === 413) return failure(413, 'body: too large (at most 64 KB)');
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return failure(415, 'body: send application/x-www-form-urlencoded or application/json');
  if (status >= 400 && status < 500) return badRequest(`body: ${err.message}`);
  return undefined;
}
