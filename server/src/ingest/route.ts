// POST /api/v1/events — authenticated by a per-source Bearer key; a body of one event, an array, or
// NDJSON lines (application/x-ndjson, ndjson.ts).
import type { FastifyInstance } from 'fastify';
import { apiErrorSchema } from '#shared/http';
import { ingestAnswerSchema, ingestBodySchema } from '#shared/ingestApi';
import { ingestSecurity, requireIngestKey } from '../http/auth';
import { DiskError, OverloadedError, StoreUnavailableError, refusedOutcome } from '../store/errors';
import { addIngestJsonParser } from './jsonBody';
import { addNdjsonParser, NdjsonBody, submitLines } from './ndjson';
import { MAX_BATCH_ITEMS, type IngestService } from './service';

export const MAX_BODY_BYTES = 1024 * 1024;

export function registerIngestRoute(app: FastifyInstance, ingest: IngestService) {
  // A context of its own: its JSON parser (jsonBody.ts) lets one item's "__proto__" key reject that item only.
  app.register(async (scope) => ingestRoute(scope, ingest));
}

function ingestRoute(app: FastifyInstance, ingest: IngestService) {
  addNdjsonParser(app);
  addIngestJsonParser(app);
  app.post(
    '/api/v1/events',
    {
      bodyLimit: MAX_BODY_BYTES,
      // Refuse before the body is read: no key, no parsing.
      onRequest: requireIngestKey,
      schema: {
        tags: ['ingest'],
        summary: 'Send events: one, an array of up to 1,000, or NDJSON lines (application/x-ndjson, one event a line)',
        security: ingestSecurity,
        body: ingestBodySchema,
        response: {
          200: ingestAnswerSchema.describe('a result per item: stored (with its seq), duplicate, or rejected naming each field'),
          400: apiErrorSchema(['invalid_json', 'invalid_body', 'empty_batch']).describe('the body is not JSON, or not an event or an array of events'),
          401: apiErrorSchema(['unauthorized']).describe('no valid ingest key'),
          413: apiErrorSchema(['payload_too_large', 'too_many_items']).describe('more than 1 MB or 1,000 items'),
          415: apiErrorSchema(['unsupported_media_type']).describe('neither application/json nor application/x-ndjson'),
          503: apiErrorSchema(['overloaded', 'store_unavailable', 'disk_full', 'io_error']).describe('nothing of the request was stored: send it again after Retry-After seconds'),
        },
      },
      // The items are validated one by one by the ingest service (valid ones are stored even when others
      // are rejected): the body's schema documents them and is not applied to the whole body.
      validatorCompiler: () => (body) => ({ value: body }),
    },
    async (req, reply) => {
      // An NDJSON body arrives as its lines (ndjson.ts): limited and answered like an array's items.
      const lines = req.body instanceof NdjsonBody ? req.body : undefined;
      const body = lines ? lines.lines : req.body;
      const isEvent = typeof body === 'object' && body !== null && !Array.isArray(body);
      if (!isEvent && !Array.isArray(body))
        return reply.code(400).send({ error: 'invalid_body', message: 'expected one event object or an array of events' });
      const items = Array.isArray(body) ? body : [body];
      if (items.length === 0) return reply.code(400).send({ error: 'empty_batch', message: lines ? 'the body holds no lines' : 'the array holds no events' });
      if (items.length > MAX_BATCH_ITEMS)
        return reply.code(413).send({ error: 'too_many_items', message: `at most ${MAX_BATCH_ITEMS} events per request` });
      try {
        const source = req.ingestSource!; // requireIngestKey
        return { results: lines ? await submitLines(ingest, source, lines) : await ingest.submit(source, items) };
      } catch (err) {
        if (err instanceof OverloadedError) return reply.code(503).header('retry-after', '1').send({ error: 'overloaded', message: err.message });
        // a full disk is not over in seconds: sources wait longer (docs/operations.md, "A full disk")
        if (err instanceof DiskError)
          return reply.code(503).header('retry-after', '30').send({ error: err.reason, message: `the server's disk ${err.reason === 'disk_full' ? 'is full' : 'fails to write'}; ${refusedOutcome()}` });
        if (err instanceof StoreUnavailableError) return reply.code(503).header('retry-after', '2').send({ error: 'store_unavailable', message: `the database cannot be reached; ${refusedOutcome(err)}` });
        throw err;
      }
    },
  );
}
