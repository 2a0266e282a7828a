// Open311 GeoReport v2 under /open311/v2/ (docs/open311.md): services, requests (list and one) and
// POST requests.json, JSON only. An encapsulated plugin: form bodies are parsed here only, and every
// error, Fastify's own included, is answered as a GeoReport error array.
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IngestEvent } from '#shared/events';
import { kindLabels } from '#shared/labels';
import { TOWN_PLACE } from '#shared/model/places';
import type { PostedRequest, ServiceRequest } from '#shared/open311';
import type { PlaceScope } from '../access/placeScope';
import type { Clock } from '../clock';
import type { Town } from '../geo/town';
import type { IngestService } from '../ingest/service';
import type { Store } from '../store/types';
import { postingSource, readerPlace, type Keys } from './access';
import { open311Docs } from './apiDoc';
import { answerError, badRequest, forbidden, notFound } from './errors';
import { entityQuery, parseRequestsQuery } from './listQuery';
import { serviceDefinition, services } from './services';
import { parsePost, postedEvent } from './submission';
import { requestParam } from './toEvent';
import { isRequestEntity, parseRequestId, requestIdOf, toServiceRequest } from './toRequest';

export const OPEN311_PREFIX = '/open311/v2';
/** A GeoReport POST is one request with a description of at most 4,000 characters. */
const BODY_LIMIT = 64 * 1024;

export interface Open311Deps {
  store: Store;
  ingest: IngestService;
  town: Town;
  clock: Clock;
  keys: Keys;
  scope: PlaceScope;
}

const FORMATS = 'services.json, services/{service_code}.json, requests.json and requests/{service_request_id}.json (JSON only)';

export function registerOpen311(app: FastifyInstance, { store, ingest, town, clock, keys, scope }: Open311Deps) {
  const jurisdiction = town.geo.town.id;
  const centre = `${town.geo.town.name}城运中心`;

  /** One endpoint serves one town: another jurisdiction_id is not found (an absent one is ours). */
  function checkJurisdiction(req: FastifyRequest) {
    const fromBody = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>).jurisdiction_id : undefined;
    const asked = fromBody ?? (req.query as Record<string, unknown>).jurisdiction_id;
    if (asked !== undefined && asked !== '' && asked !== jurisdiction)
      throw notFound(`jurisdiction_id: ${String(asked)} is not served here; this endpoint serves ${jurisdiction} (${town.geo.town.name})`);
  }

  /** The `name.json` of a path parameter: the name; any other format is not served. */
  function jsonName(file: string, what: string): string {
    if (!file.endsWith('.json') || file.length === 5) throw notFound(`${what}: ${file} is not served; this server answers ${FORMATS}`);
    return file.slice(0, -5);
  }

  const toRequest = (e: IngestEvent, extensions = false): ServiceRequest[] => (isRequestEntity(e) ? [toServiceRequest(e, centre, extensions)] : []);

  /** An entity a reader may see, by its service_request_id; why not otherwise. */
  async function requestById(requestId: string, place: string): Promise<{ e: IngestEvent } | { status: 403 | 404 }> {
    const key = parseRequestId(requestId);
    const e = key && (await store.read.entity(key.kind, key.id));
    if (!e) return { status: 404 };
    return place === TOWN_PLACE || scope.eventIn(place, e) ? { e } : { status: 403 };
  }

  app.register(async (api) => {
    await api.register(formbody, { bodyLimit: BODY_LIMIT });
    api.setErrorHandler((err, _req, reply) => answerError(err, reply, () => store.ping()));
    api.setNotFoundHandler((req, reply) =>
      reply.code(404).send([{ code: 404, description: `${req.method} ${req.url.split('?')[0]}: no such resource; this server answers ${FORMATS}` }]));

    api.get('/services.json', { schema: open311Docs.services }, async (req) => {
      readerPlace(req, keys);
      checkJurisdiction(req);
      return services;
    });

    api.get<{ Params: { file: string } }>('/services/:file', { schema: open311Docs.service }, async (req) => {
      readerPlace(req, keys);
      checkJurisdiction(req);
      const code = jsonName(req.params.file, 'service_code');
      const definition = serviceDefinition(code);
      if (!definition) throw notFound(`service_code: no service ${code} (see services.json)`);
      return definition;
    });

    api.get('/requests.json', { schema: open311Docs.requests }, async (req) => {
      const place = readerPlace(req, keys);
      const q = parseRequestsQuery(req.query);
      checkJurisdiction(req);
      const extensions = q.extensions === 'true';
      // service_request_id overrides every other parameter (GeoReport): those found and visible, in the order asked
      if (q.service_request_id) {
        const out: ServiceRequest[] = [];
        for (const id of new Set(q.service_request_id)) {
          const found = await requestById(id, place);
          if ('e' in found) out.push(...toRequest(found.e, extensions));
        }
        return out;
      }
      return (await store.read.listEntities(entityQuery(q, place, clock.now()))).flatMap((e) => toRequest(e, extensions));
    });

    api.get<{ Params: { file: string } }>('/requests/:file', { schema: open311Docs.request }, async (req) => {
      const place = readerPlace(req, keys);
      checkJurisdiction(req);
      const id = jsonName(req.params.file, 'service_request_id');
      const found = await requestById(id, place);
      if ('status' in found && found.status === 403) throw forbidden(`service_request_id: ${id} is outside ${place}, the place of this token`);
      const requests = 'e' in found ? toRequest(found.e, (req.query as Record<string, unknown>).extensions === 'true') : [];
      if (!requests.length) throw notFound(`service_request_id: no request ${id} (ids read case:<id> or ticket:<id>)`);
      return requests;
    });

    api.post('/requests.json', { bodyLimit: BODY_LIMIT, schema: open311Docs.post }, async (req): Promise<PostedRequest[]> => {
      const source = postingSource(req, keys);
      const body = parsePost(req.body);
      checkJurisdiction(req);
      const event = postedEvent(town, source, body, clock.now());
      const [result] = await ingest.submit(source, [event]); // the one ingest path: validated, durable before the answer
      if (result!.status === 'rejected') throw badRequest(...result!.errors.map((e) => `${requestParam(e.path)}: ${e.message}`));
      const kind = event.kind as 'case' | 'ticket';
      const expected = kind === 'case' ? (event as { deadline: string }).deadline : (event as { dueAt: string }).dueAt;
      return [{
        service_request_id: requestIdOf(event),
        service_notice: result!.status === 'stored'
          ? `${kindLabels[kind].zh}已受理 received; expected by ${expected}`
          : 'already received: this request was sent before, nothing was stored again',
        account_id: null,
      }];
    });
  }, { prefix: OPEN311_PREFIX });
}
