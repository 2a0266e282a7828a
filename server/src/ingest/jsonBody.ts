// The ingest route's JSON parser: Fastify's own, except that a "__proto__" or "constructor" key no
// longer refuses the whole body (Fastify's onProtoPoisoning 'error' answers 400 for the batch). JSON.parse
// keeps such a key as an ordinary own property, touching no prototype; parseEvent then rejects the one
// item carrying it, naming the key, and stores the others (shared/src/dangerousKeys.ts, docs/input.md).
// NDJSON lines (ndjson.ts) are parsed the same way and meet the same rule.
// Registered in the route's own context (route.ts): every other route keeps Fastify's refusal.
import type { FastifyInstance } from 'fastify';

export function addIngestJsonParser(app: FastifyInstance) {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, app.getDefaultJsonParser('ignore', 'ignore'));
}
