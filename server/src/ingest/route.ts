// POST /api/v1/events — authenticated by a per-source Bearer key; a body of one event, an array, or
// NDJSON lines (application/x-ndjson, ndjson.ts).
import type { FastifyInstance } from 'fastify';
import { DiskError, OverloadedError, StoreUnavailableError } from '../store/errors';
import { addIngestJsonParser } from './jsonBody';
import { addNdjsonParser, NdjsonBody, submitLines } from './ndjson';
import { MAX_BATCH_ITEMS, type IngestService } from './service';

export const MAX_BODY_BYTES = 1024 * 1024;

export function registerIngestRoute(app: FastifyInstance, ingest: IngestService, keys: ReadonlyMap<string, string>) {
  // A context of its own: its JSON parser (jsonBody.ts) lets one item's "__proto__" key reject that item only.
  app.register(async (scope) => ingestRoute(scope, ingest, keys));
}

function ingestRoute(app: FastifyInstance, ingest: IngestService, keys: ReadonlyMap<string, string>) {
  addNdjsonParser(app);
  addIngestJsonParser(app);
  app.post(
    '/api/v1/events',
    {
      bodyLimit: MAX_BODY_BYTES,
      // Refuse before the body is read: no key, no parsing.
      onRequest: async (req, reply) => {
        const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
        const source = m ? keys.get(m[1]!) : undefined;
        if (!source) return reply.code(401).send({ error: 'unauthorized', message: 'a valid ingest key is required: Authorization: Bearer <key>' });
        req.ingestSource = source;
      },
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
        return { results: lines ? await submitLines(ingest, req.ingestSource!, lines) : await ingest.submit(req.ingestSource!, items) };
      } catch (err) {
        if (err instanceof OverloadedError) return reply.code(503).header('retry-after', '1').send({ error: 'overloaded', message: err.message });
        // a full disk is not over in seconds: sources wait longer (docs/operations.md, "A full disk")
        if (err instanceof DiskError)
          return reply.code(503).header('retry-after', '30').send({ error: err.reason, message: `the server's disk ${err.reason === 'disk_full' ? 'is full' : 'fails to write'}; nothing of this request was stored` });
        if (err instanceof StoreUnavailableError) return reply.code(503).header('retry-after', '2').send({ error: 'store_unavailable', message: 'the database cannot be reached; nothing of this request was stored' });
        throw err;
      }
    },
  );
}

declare module 'fastify' {
  interface FastifyRequest {
    ingestSource?: string;
  }
}
