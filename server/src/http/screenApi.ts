// HTTP reads for screens (officers and briefings), authenticated with a screen token. Everything
// leaving here is masked like the stream.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { maskEvent, maskText } from '../../../shared/src/privacy';
import type { PlaceTree } from '../../../shared/src/model/places';
import { resolveRange } from '../../../shared/src/range';
import { placeOfQuery, rangeQuerySchema } from '../../../shared/src/rangeSchema';
import { DAY_MS, shanghaiMidnight } from '../../../shared/src/time';
import { streamKinds } from '../../../shared/src/vocab';
import type { Clock } from '../clock';
import type { Principal } from '../config';
import { rangeReport } from '../kpi/range';
import type { EntityRow, EventStore } from '../store/types';
import { toScreen } from '../stream/toScreen';

const entityParams = z.object({ kind: z.enum(streamKinds), id: z.string().min(1).max(64) });
const searchQuery = z.object({ q: z.string().trim().min(1).max(60), limit: z.coerce.number().int().min(1).max(50).default(20) });
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });
const replayQuery = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date yyyy-mm-dd'),
  /** cursor `occurredAtMs:seq` from the previous page */
  after: z.string().regex(/^\d+:\d+$/, 'expected the cursor of the previous page').optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(2000),
});

function badRequest(reply: FastifyReply, error: z.ZodError) {
  const issue = error.issues[0];
  return reply.code(400).send({ error: 'invalid_query', path: issue?.path.join('.') ?? '', message: issue?.message ?? 'invalid' });
}

const maskRow = (r: EntityRow) => ({ ...r.summary, address: maskText(r.address) });

/** Entities of a replay's opening state: as many as a live snapshot carries. */
const REPLAY_BASE_ENTITIES = 20_000;

export function registerScreenApi(app: FastifyInstance, store: EventStore, clock: Clock, tokens: ReadonlyMap<string, Principal>, places: PlaceTree) {
  const auth = async (req: FastifyRequest, reply: FastifyReply) => {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!m || !tokens.has(m[1]!)) return reply.code(401).send({ error: 'unauthorized', message: 'a screen token is required: Authorization: Bearer <token>' });
  };

  app.get('/api/v1/entities/:kind/:id', { onRequest: auth }, async (req, reply) => {
    const p = entityParams.safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error);
    const current = store.queries.entity(p.data.kind, p.data.id);
    if (!current) return reply.code(404).send({ error: 'not_found', message: `no ${p.data.kind} ${p.data.id}` });
    return {
      entity: maskEvent(current),
      timeline: store.history(p.data.kind, p.data.id).map((s) => ({ ...toScreen(s), delta: undefined })),
    };
  });

  app.get('/api/v1/search', { onRequest: auth }, async (req, reply) => {
    const p = searchQuery.safeParse(req.query);
    if (!p.success) return badRequest(reply, p.error);
    return { results: store.queries.search(p.data.q, p.data.limit).map(maskRow) };
  });

  app.get('/api/v1/overdue', { onRequest: auth }, async (req, reply) => {
    const p = listQuery.safeParse(req.query);
    if (!p.success) return badRequest(reply, p.error);
    return { results: store.queries.longestOverdue(clock.now(), p.data.limit).map(maskRow) };
  });

  app.get('/api/v1/range', { onRequest: auth }, async (req, reply) => {
    const p = rangeQuerySchema.safeParse(req.query);
    if (!p.success) return badRequest(reply, p.error);
    const place = placeOfQuery(p.data);
    if (!places.has(place)) return reply.code(404).send({ error: 'not_found', path: p.data.grid ? 'grid' : p.data.nb ? 'nb' : 'area', message: `no place ${place} in this town` });
    const now = clock.now();
    return rangeReport({ store: store.queries, places, gauges: store.gauges }, place, resolveRange(p.data, now), now);
  });

  app.get('/api/v1/replay', { onRequest: auth }, async (req, reply) => {
    const p = replayQuery.safeParse(req.query);
    if (!p.success) return badRequest(reply, p.error);
    const from = shanghaiMidnight(p.data.date);
    const [occurredAt, seq] = (p.data.after ?? `${from - 1}:0`).split(':').map(Number) as [number, number];
    const to = Math.min(from + DAY_MS, Math.max(from, clock.now()));
    const page = store.queries.replayPage(from, to, { occurredAt, seq }, p.data.limit);
    const last = page.at(-1);
    // The first page opens with the state of the town at the day's start (counters and open entities).
    const base = p.data.after ? undefined : store.queries.replayBase(from, to, REPLAY_BASE_ENTITIES);
    return {
      ...(base ? { base } : {}),
      events: page.map(toScreen),
      next: page.length === p.data.limit && last ? `${last.occurredAt}:${last.seq}` : null,
    };
  });
}
