// The composition of one server: HTTP (ingest, health, geography, the built client) and Socket.IO
// on one port. Takes its dependencies so tests start a real server on port 0 with a temp database.
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError } from 'fastify';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import type { Clock } from '../clock';
import { DEMO, checkTokenPlaces, type Config } from '../config';
import type { Town } from '../geo/town';
import { registerIngestRoute } from '../ingest/route';
import { createIngestService } from '../ingest/service';
import { createMetrics } from '../metrics/metrics';
import { registerMetricsRoute } from '../metrics/route';
import { startRetention } from '../store/retention';
import type { Store } from '../store/types';
import { placeTree } from '#shared/model/places';
import { placeScope } from '../access/placeScope';
import { createAlarmService } from '../alarms/service';
import { createStreamHub } from '../stream/hub';
import type { IoServer } from '../stream/io';
import { attachRedisAdapter } from '../stream/redisAdapter';
import { createToday } from '../stream/today';
import { registerScreenApi } from './screenApi';
import { redisLimitStore } from './searchLimitStore';
import { registerBearerAuth } from './auth';
import { registerApiDocs } from './openapi';
import { refusal, useZodSchemas } from './zodSchemas';
import { healthDownSchema, healthSchema, screenConfigSchema } from '#shared/http';
import { townGeoSchema } from '#shared/geo';
import { registerOpen311 } from '../open311/routes';
import { registerSecurity, socketOriginCheck } from './security';

export const CLIENT_DIR = fileURLToPath(new URL('../../../dist/client', import.meta.url));

export interface AppDeps {
  config: Config;
  store: Store;
  town: Town;
  clock: Clock;
  clientDir?: string;
}

export async function createApp({ config, store, town, clock, clientDir = CLIENT_DIR }: AppDeps) {
  // Tokens bound to a place (three-level screens) are checked against this town before anything starts.
  const scope = placeScope(town);
  checkTokenPlaces(config.tokens, scope.has, town.geo.town.name);
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  await registerSecurity(app, { allowedOrigins: config.allowedOrigins, basemap: config.basemap });
  // Bearer credentials resolved once per request; routes described by zod schemas, documented at /openapi.json and /docs.
  registerBearerAuth(app, config.tokens, config.ingestKeys);
  useZodSchemas(app);
  await registerApiDocs(app);
  const metrics = createMetrics(clock);
  const ingest = createIngestService({ log: store.log, town, clock, metrics });

  // Stable error codes, never a stack trace.
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    const refused = refusal(err);
    if (refused) return reply.code(400).send(refused);
    const status = err.statusCode ?? 500;
    const code =
      status === 413 ? 'payload_too_large'
      : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported_media_type'
      : err.code?.startsWith('FST_ERR_CTP') || status === 400 ? 'invalid_json'
      : 'internal_error';
    reply.code(status).send({ error: code, message: status >= 500 ? 'internal error' : err.message });
  });

  registerIngestRoute(app, ingest);
  registerMetricsRoute(app, metrics, config.metricsToken);
  // Search counts per token across the cluster when there is a Redis (else per node).
  const searchLimit = config.redisUrl ? redisLimitStore(config.redisUrl) : undefined;
  registerScreenApi(app, store, clock, placeTree(town.geo), scope, searchLimit?.Store);
  registerOpen311(app, { store, ingest, town, clock, keys: { ingestKeys: config.ingestKeys }, scope });
  // For a load balancer: 503 while this node's database cannot be reached (it recovers by itself);
  // 200 `read_only` while its disk is full (screens are still served). seq: the latest committed; delivered: what this node has sent its screens.
  const server = (summary: string) => ({ tags: ['server'], summary });
  const healthDoc = { ...server('For a load balancer'), response: { 200: healthSchema, 503: healthDownSchema.describe("this node's database cannot be reached") } };
  app.get('/healthz', { schema: healthDoc }, async (_req, reply) => {
    const base = { store: store.kind, delivered: hub.deliveredTo(), serverTime: new Date(clock.now()).toISOString() };
    try {
      const { latest } = await store.log.bounds();
      // A full disk (SQLite): still 200, the screens are served; ingest answers 503 (docs/operations.md).
      const w = store.writeState();
      if (!w.writable) return { status: 'read_only', seq: latest, readOnly: { reason: w.reason, since: new Date(w.since).toISOString() }, ...base };
      return { status: 'ok', seq: latest, ...base };
    } catch {
      return reply.code(503).send({ status: 'store_unavailable', ...base });
    }
  });
  // What a screen needs before it connects. The demo token is only offered when demo credentials are on.
  app.get('/api/v1/screen-config', { schema: { ...server('What a screen needs before it connects'), response: { 200: screenConfigSchema } } }, async () => ({
    town: { id: town.geo.town.id, name: town.geo.town.name, district: town.geo.town.district },
    demoToken: config.demoCredentials ? DEMO.viewer : null,
    heartbeatMs: config.heartbeatMs,
    batchMs: config.batchMs,
    basemap: config.basemap,
  }));
  app.get('/api/v1/geo', { schema: { ...server("The town's geography (GeoJSON bundle)"), response: { 200: townGeoSchema } } }, async (_req, reply) => reply.header('cache-control', 'public, max-age=3600').send(town.geo));

  if (existsSync(clientDir)) {
    await app.register(fastifyStatic, {
      root: clientDir,
      prefix: '/',
      index: ['index.html'],
      preCompressed: true, // .br/.gz written after the build (scripts/compress-dist.ts)
      setHeaders(res, path) {
        // Hashed bundles never change; the page itself must be revalidated to pick up a new build.
        res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html; charset=utf-8').send('<!doctype html><meta charset="utf-8"><title>OneScreen</title><p>The client is not built: run <code>npm run build</code>.</p>'),
    );
  }

  const io: IoServer = new Server(app.server, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    // Browsers on another origin are refused unless allowed (a token alone is not enough: docs/security.md).
    allowRequest: socketOriginCheck(config.allowedOrigins),
    cors: { origin: config.allowedOrigins },
  });
  // What other nodes raised or acknowledged while Redis was away: every screen gets its open alarms again.
  const redis = config.redisUrl
    ? await attachRedisAdapter(io, config.redisUrl, () => void alarms.refreshScreens()).catch((err: unknown) => {
        searchLimit?.close(); // its connection would go on trying
        throw err;
      })
    : undefined;
  const today = createToday(store, town);
  await today.ready(clock.now());
  const alarms = createAlarmService(io, store, clock, config.alarmScanMs, scope, redis !== undefined);
  const hub = createStreamHub(io, store, today, clock, {
    greet: alarms.greet,
    tokens: config.tokens,
    scope,
    batchMs: config.batchMs,
    heartbeatMs: config.heartbeatMs,
    resumeMaxEvents: config.resumeMaxEvents,
    snapshotEntities: config.snapshotEntities,
    metrics,
  });
  metrics.watch({ store, io, deliveredTo: hub.deliveredTo });
  // Raw events older than RETENTION_DAYS leave the bottom of the log; counters and entity states stay.
  const retention = startRetention(store, clock, { days: config.retentionDays });

  return {
    app,
    io,
    hub,
    alarms,
    ingest,
    retention,
    async listen(port = config.port, host = config.host): Promise<number> {
      await app.listen({ port, host });
      const addr = app.server.address();
      return typeof addr === 'object' && addr ? addr.port : port;
    },
    async close() {
      hub.close();
      metrics.close();
      alarms.close();
      today.close();
      await retention.close();
      await new Promise<void>((r) => io.close(() => r()));
      await redis?.close();
      searchLimit?.close();
      await app.close().catch(() => undefined);
    },
  };
}
export type App = Awaited<ReturnType<typeof createApp>>;
