// HTTP reads for screens (officers and briefings), authenticated with a screen token. Everything
// leaving here is masked like the stream. A token bound to a place (three-level screens) reads that
// place only: other places are refused with 403, lists are cut to the place.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { maskEvent, maskText } from '#shared/privacy';
import type { PlaceTree } from '#shared/model/places';
import { resolveRange } from '#shared/range';
import { readFilters } from '#shared/filters';
import { placeOfQuery, placeQuerySchema, rangeQuerySchema } from '#shared/rangeSchema';
import { DAY_MS, shanghaiMidnight } from '#shared/time';
import { streamKinds } from '#shared/vocab';
import type { Clock } from '../clock';
import type { Principal } from '../config';
import { rangeReport } from '../kpi/range';
import type { EntityRow, Store } from '../store/types';
import { toScreen } from '../stream/toScreen';
import { firstKept, type PlaceScope } from '../access/placeScope';
import { TOWN_PLACE } from '#shared/model/places';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who holds the screen token: set by the screen API's onRequest hook (null outside it). */
    principal: Principal | null;
  }
}

const entityParams = z.object({ kind: z.enum(streamKinds), id: z.string().min(1).max(64) });
const searchQuery = z.object({ q: z.string().trim().min(1).max(60), limit: z.coerce.number().int().min(1).max(50).default(20) });
const listQuery = placeQuerySchema.extend({ limit: z.coerce.number().int().min(1).max(100).default(20) });
/** The feed's view, named as the screen's URL names it: streams of the topic, place and filters. */
const feedQuery = placeQuerySchema.extend({
  kinds: z.string().regex(/^(case|ticket|inspection)(,(case|ticket|inspection))*$/, 'expected streams like case,ticket').default('case,ticket,inspection'),
  limit: z.coerce.number().int().min(1).max(50).default(16),
});
/** Events of a place the feed looks through for matches before it answers with what it found. */
const FEED_SCAN = 20_000;
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

function forbidden(reply: FastifyReply, message: string) {
  return reply.code(403).send({ error: 'forbidden', message });
}

/** The place the request's token may read ('town' when unbound). */
function placeOf(req: FastifyRequest): string {
  if (!req.principal) throw new Error('screen API route without its onRequest hook');
  return req.principal.place;
}

export function registerScreenApi(
  app: FastifyInstance, store: Store, clock: Clock, tokens: ReadonlyMap<string, Principal>, places: PlaceTree, scope: PlaceScope,
) {
  // An encapsulated plugin: its onRequest hook (the Bearer token → req.principal) runs for these routes only.
  app.register(async (api) => {
    api.decorateRequest('principal', null);
    api.addHook('onRequest', async (req, reply) => {
      const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      const who = m ? tokens.get(m[1]!) : undefined;
      if (!who) return reply.code(401).send({ error: 'unauthorized', message: 'a screen token is required: Authorization: Bearer <token>' });
      req.principal = who;
    });
    routes(api);
  });

  /**
   * The place a query names (?area= / ?nb= / ?grid=, the most specific wins), or with none the
   * token's own (the town for an unbound token); null once refused: 404 unknown, 403 outside the token's place.
   */
  function askedPlace(req: FastifyRequest, reply: FastifyReply, q: { area?: string; nb?: string; grid?: string }): string | null {
    const bound = placeOf(req);
    const asked = placeOfQuery(q);
    const place = asked === TOWN_PLACE ? bound : asked;
    const path = q.grid ? 'grid' : q.nb ? 'nb' : 'area';
    if (!places.has(place)) void reply.code(404).send({ error: 'not_found', path, message: `no place ${place} in this town` });
    else if (!scope.contains(bound, place)) void forbidden(reply, `${place} is outside ${bound}, the place of this screen`);
    else return place;
    return null;
  }

  /** A query naming a place, parsed (400 naming the field) and its place resolved (404, 403); null once answered. */
  function placedQuery<T extends { area?: string; nb?: string; grid?: string }>(
    req: FastifyRequest, reply: FastifyReply, schema: z.ZodType<T>,
  ): { q: T; place: string } | null {
    const p = schema.safeParse(req.query);
    if (!p.success) {
      void badRequest(reply, p.error);
      return null;
    }
    const place = askedPlace(req, reply, p.data);
    return place === null ? null : { q: p.data, place };
  }

  function routes(api: FastifyInstance) {
    api.get('/api/v1/entities/:kind/:id', async (req, reply) => {
      const p = entityParams.safeParse(req.params);
      if (!p.success) return badRequest(reply, p.error);
      const current = await store.read.entity(p.data.kind, p.data.id);
      if (!current) return reply.code(404).send({ error: 'not_found', message: `no ${p.data.kind} ${p.data.id}` });
      // 403, not 404: ids are not secret (they come from the source systems and are read out on the
      // phone), and "outside your place" tells an officer to ask the 片区 or town centre, where "not
      // found" would send them looking for a lost entity.
      const place = placeOf(req);
      if (!scope.eventIn(place, current)) return forbidden(reply, `${p.data.kind} ${p.data.id} is outside ${place}, the place of this screen`);
      return {
        entity: maskEvent(current),
        timeline: (await store.read.history(p.data.kind, p.data.id)).map((s) => ({ ...toScreen(s), delta: undefined })),
      };
    });

    /** A list query's first `limit` rows inside the token's place. */
    const inPlace = async (req: FastifyRequest, read: (n: number) => Promise<EntityRow[]>, limit: number, place = placeOf(req)) => {
      return place === TOWN_PLACE ? read(limit) : firstKept(read, (r) => scope.entityIn(place, r.summary), limit);
    };

    api.get('/api/v1/search', async (req, reply) => {
      const p = searchQuery.safeParse(req.query);
      if (!p.success) return badRequest(reply, p.error);
      return { results: (await inPlace(req, (n) => store.read.search(p.data.q, n), p.data.limit)).map(maskRow) };
    });

    api.get('/api/v1/overdue', async (req, reply) => {
      const p = placedQuery(req, reply, listQuery);
      if (!p) return reply;
      const now = clock.now();
      return { results: (await inPlace(req, (n) => store.read.longestOverdue(now, n), p.q.limit, p.place)).map(maskRow) };
    });

    api.get('/api/v1/feed', async (req, reply) => {
      const p = placedQuery(req, reply, feedQuery);
      if (!p) return reply;
      const filters = readFilters({ get: (k) => { const v = (req.query as Record<string, unknown>)[k]; return typeof v === 'string' ? v : null; } });
      const found = await store.read.feed({
        place: p.place, kinds: p.q.kinds.split(','), filters, limit: p.q.limit, nowMs: clock.now(), scanLimit: FEED_SCAN,
      });
      return { events: found.map((s) => ({ ...toScreen(s), delta: [] })) };
    });

    api.get('/api/v1/range', async (req, reply) => {
      const p = placedQuery(req, reply, rangeQuerySchema);
      if (!p) return reply;
      const now = clock.now();
      return rangeReport({ store: store.read, places }, p.place, resolveRange(p.q, now), now);
    });

    api.get('/api/v1/replay', async (req, reply) => {
      const p = replayQuery.safeParse(req.query);
      if (!p.success) return badRequest(reply, p.error);
      const from = shanghaiMidnight(p.data.date);
      const [occurredAt, seq] = (p.data.after ?? `${from - 1}:0`).split(':').map(Number) as [number, number];
      const to = Math.min(from + DAY_MS, Math.max(from, clock.now()));
      const page = await store.read.replayPage(from, to, { occurredAt, seq }, p.data.limit);
      const last = page.at(-1);
      // The first page opens with the state of the town at the day's start (counters and open entities).
      const base = p.data.after ? undefined : await store.read.replayBase(from, to, REPLAY_BASE_ENTITIES);
      // The paging cursor runs over the whole town's day: a bound screen's page holds its place's
      // events of that stretch (possibly none) with their counter changes at its place.
      const place = placeOf(req);
      const events = place === TOWN_PLACE
        ? page.map((s) => toScreen(s))
        : page.filter((s) => scope.placesTouched(s.delta, s.event).has(place)).map((s) => ({ ...toScreen(s), delta: scope.deltaFor(place, s.delta, s.event) }));
      const placeBase = base && place !== TOWN_PLACE
        ? { ...base, rollups: scope.rollupsFor(place, base.rollups), entities: base.entities.filter((e) => scope.entityIn(place, e)) }
        : base;
      return {
        ...(placeBase ? { base: placeBase } : {}),
        events,
        next: page.length === p.data.limit && last ? `${last.occurredAt}:${last.seq}` : null,
      };
    });
  }
}
