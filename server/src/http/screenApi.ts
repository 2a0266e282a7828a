// HTTP reads for screens (officers and briefings), authenticated with a screen token. Everything
// leaving here is masked like the stream. A token bound to a place (three-level screens) reads that
// place only: other places are refused with 403, lists are cut to the place.
import type {
  FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { maskEvent, maskText } from '#shared/privacy';
import type { PlaceTree } from '#shared/model/places';
import { resolveRange } from '#shared/range';
import { readFilters } from '#shared/filters';
import { apiErrorSchema, entityDetailSchema, entityListSchema, feedPageSchema, replayPageSchema } from '#shared/http';
import { placeOfQuery, rangeQuerySchema, rangeReportSchema } from '#shared/rangeSchema';
import { entityParamsSchema, feedQuerySchema, overdueQuerySchema, replayQuerySchema, searchQuerySchema } from '#shared/screenQueries';
import { DAY_MS, shanghaiMidnight } from '#shared/time';
import type { Clock } from '../clock';
import { rangeReport } from '../kpi/range';
import type { EntityRow, Store } from '../store/types';
import { toScreen } from '../stream/toScreen';
import { firstKept, type PlaceScope } from '../access/placeScope';
import { TOWN_PLACE } from '#shared/model/places';
import { requireScreen, screenSecurity } from './auth';
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { rateLimitedSchema, registerSearchLimit, searchRateLimit } from './searchLimit';

type ZodApi = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** Events of a place the feed looks through for matches before it answers with what it found. */
const FEED_SCAN = 20_000;

const maskRow = (r: EntityRow) => ({ ...r.summary, address: maskText(r.address) });

/** Entities of a replay's opening state: as many as a live snapshot carries. */
const REPLAY_BASE_ENTITIES = 20_000;

// The answers every read may give besides its own (documented in /openapi.json).
const refusals = {
  400: apiErrorSchema(['invalid_query']).describe('a query parameter is invalid: `path` names it'),
  401: apiErrorSchema(['unauthorized']).describe('no valid screen token'),
};
const placeRefusals = {
  403: apiErrorSchema(['forbidden']).describe("outside the place of the screen's token"),
  404: apiErrorSchema(['not_found']).describe('no such place in this town: `path` names the parameter'),
};

function forbidden(reply: FastifyReply, message: string) {
  return reply.code(403).send({ error: 'forbidden', message });
}

/** The place the request's token may read ('town' when unbound). */
function placeOf(req: FastifyRequest): string {
  if (!req.principal) throw new Error('screen API route without requireScreen');
  return req.principal.place;
}

export function registerScreenApi(
  app: FastifyInstance, store: Store, clock: Clock, places: PlaceTree, scope: PlaceScope, limitStore?: FastifyRateLimitStoreCtor,
) {
  // An encapsulated plugin: its onRequest hook (a screen token, auth.ts) guards these routes only.
  app.register(async (api) => {
    api.addHook('onRequest', requireScreen);
    await registerSearchLimit(api, limitStore);
    routes(api.withTypeProvider<ZodTypeProvider>());
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

  function routes(api: ZodApi) {
    const doc = (summary: string) => ({ tags: ['screen'], summary, security: screenSecurity });

    api.get('/api/v1/entities/:kind/:id', {
      schema: {
        ...doc("An entity's current state and its whole lifecycle, masked"),
        params: entityParamsSchema,
        response: {
          200: entityDetailSchema,
          ...refusals,
          403: placeRefusals[403],
          404: apiErrorSchema(['not_found']).describe('no such entity'),
        },
      },
    }, async (req, reply) => {
      const { kind, id } = req.params;
      const current = await store.read.entity(kind, id);
      if (!current) return reply.code(404).send({ error: 'not_found', message: `no ${kind} ${id}` });
      // 403, not 404: ids are not secret (they come from the source systems and are read out on the
      // phone), and "outside your place" tells an officer to ask the 片区 or town centre, where "not
      // found" would send them looking for a lost entity.
      const place = placeOf(req);
      if (!scope.eventIn(place, current)) return forbidden(reply, `${kind} ${id} is outside ${place}, the place of this screen`);
      return {
        entity: maskEvent(current),
        timeline: (await store.read.history(kind, id)).map((s) => {
          const { seq, storedAt, event } = toScreen(s);
          return { seq, storedAt, event };
        }),
      };
    });

    /** A list query's first `limit` rows inside the token's place. */
    const inPlace = async (req: FastifyRequest, read: (n: number) => Promise<EntityRow[]>, limit: number, place = placeOf(req)) => {
      return place === TOWN_PLACE ? read(limit) : firstKept(read, (r) => scope.entityIn(place, r.summary), limit);
    };

    // Matches ids and the masked address only, so nothing a screen does not show can be found (docs/privacy.md).
    api.get('/api/v1/search', {
      config: searchRateLimit,
      schema: {
        ...doc('Entities by exact id, else by id or masked address containing the text; at most 30 searches a minute per token'),
        querystring: searchQuerySchema, response: { 200: entityListSchema, ...refusals, 429: rateLimitedSchema },
      },
    }, async (req) => ({ results: (await inPlace(req, (n) => store.read.search(req.query.q, n), req.query.limit)).map(maskRow) }));

    api.get('/api/v1/overdue', {
      schema: { ...doc('Open items of the place, longest overdue first'), querystring: overdueQuerySchema, response: { 200: entityListSchema, ...refusals, ...placeRefusals } },
    }, async (req, reply) => {
      const place = askedPlace(req, reply, req.query);
      if (place === null) return reply;
      const now = clock.now();
      return { results: (await inPlace(req, (n) => store.read.longestOverdue(now, n), req.query.limit, place)).map(maskRow) };
    });

    api.get('/api/v1/feed', {
      schema: {
        ...doc("The latest events of those streams at the place passing the screen's filters, newest first, masked"),
        querystring: feedQuerySchema,
        response: { 200: feedPageSchema, ...refusals, ...placeRefusals },
      },
    }, async (req, reply) => {
      const q = req.query;
      const place = askedPlace(req, reply, q);
      if (place === null) return reply;
      const named: Record<string, string | undefined> = { stream: q.stream, category: q.category, status: q.status, urgent: q.urgent };
      const filters = readFilters({ get: (k) => named[k] ?? null });
      const found = await store.read.feed({
        place, kinds: q.kinds.split(','), filters, limit: q.limit, nowMs: clock.now(), scanLimit: FEED_SCAN,
      });
      return { events: found.map((s) => ({ ...toScreen(s), delta: [] })) };
    });

    api.get('/api/v1/range', {
      schema: {
        ...doc('Every figure of a period at a place (docs/domain.md), with the previous period of equal length (环比)'),
        querystring: rangeQuerySchema,
        response: { 200: rangeReportSchema, ...refusals, ...placeRefusals },
      },
    }, async (req, reply) => {
      const place = askedPlace(req, reply, req.query);
      if (place === null) return reply;
      const now = clock.now();
      return rangeReport({ store: store.read, places }, place, resolveRange(req.query, now), now);
    });

    api.get('/api/v1/replay', {
      schema: {
        ...doc("A day's events in event-time order, a page at a time, each with its counter change"),
        querystring: replayQuerySchema,
        response: { 200: replayPageSchema, ...refusals },
      },
    }, async (req) => {
      const q = req.query;
      const from = shanghaiMidnight(q.date);
      const [occurredAt, seq] = (q.after ?? `${from - 1}:0`).split(':').map(Number) as [number, number];
      const to = Math.min(from + DAY_MS, Math.max(from, clock.now()));
      const page = await store.read.replayPage(from, to, { occurredAt, seq }, q.limit);
      const last = page.at(-1);
      // The first page opens with the state of the town at the day's start (counters and open entities).
      const base = q.after ? undefined : await store.read.replayBase(from, to, REPLAY_BASE_ENTITIES);
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
        next: page.length === q.limit && last ? `${last.occurredAt}:${last.seq}` : null,
      };
    });
  }
}
