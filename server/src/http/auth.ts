// Bearer credentials, read once per request: `Authorization: Bearer <token>` is resolved to the
// screen token's holder (req.principal) or the ingest key's source system (req.ingestSource). Routes
// state what they need with requireScreen / requireIngestKey as an onRequest hook, so a request
// without it is answered 401 before its body is read. The OpenAPI document names the same schemes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../config';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who holds the request's screen token; null without a valid one. */
    principal: Principal | null;
    /** The source system of the request's ingest key; undefined without a valid one. */
    ingestSource?: string;
  }
}

const BEARER = /^Bearer (.+)$/;

/** On the root instance, before any route: every route of every plugin sees the resolved credentials. */
export function registerBearerAuth(app: FastifyInstance, tokens: ReadonlyMap<string, Principal>, ingestKeys: ReadonlyMap<string, string>) {
  app.decorateRequest('principal', null);
  app.decorateRequest('ingestSource', undefined);
  app.addHook('onRequest', async (req) => {
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined) return;
    req.principal = tokens.get(token) ?? null;
    req.ingestSource = ingestKeys.get(token);
  });
}

export async function requireScreen(req: FastifyRequest, reply: FastifyReply) {
  if (!req.principal) return reply.code(401).send({ error: 'unauthorized', message: 'a screen token is required: Authorization: Bearer <token>' });
}

export async function requireIngestKey(req: FastifyRequest, reply: FastifyReply) {
  if (!req.ingestSource) return reply.code(401).send({ error: 'unauthorized', message: 'a valid ingest key is required: Authorization: Bearer <key>' });
}

/** The OpenAPI security schemes these requirements stand for (components.securitySchemes). */
export const securitySchemes = {
  ingestKey: { type: 'http', scheme: 'bearer', description: 'One key per source system (INGEST_KEYS); demo: demo-ingest-key' },
  screenToken: { type: 'http', scheme: 'bearer', description: 'A screen token (VIEWER_TOKENS, OFFICER_TOKENS); a token bound to a place reads that place only. Demo: demo-viewer' },
  // Checked by open311/access.ts: GeoReport clients send their key as a parameter.
  open311Key: { type: 'apiKey', in: 'query', name: 'api_key', description: 'Open311: an ingest key as api_key, in the query or, posting, in the form or JSON body' },
} as const;
export const screenSecurity = [{ screenToken: [] }];
export const ingestSecurity = [{ ingestKey: [] }];
