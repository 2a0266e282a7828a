// GET /metrics in Prometheus's text format, for the monitoring network: open like most exporters, or
// with METRICS_TOKEN set, only with `Authorization: Bearer <token>` (docs/metrics.md, "Access").
// Also counts every HTTP answer of the app, by route pattern.
import { createHash, timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/swagger'; // its `schema.hide`, which keeps /metrics out of the OpenAPI document
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function registerMetricsRoute(app: FastifyInstance, metrics: Pick<Metrics, 'answered' | 'render' | 'contentType'>, token: string | null) {
  // Compared as digests: equal lengths, and the time taken says nothing about the token.
  const expected = token === null ? undefined : digest(`Bearer ${token}`);
  app.addHook('onResponse', async (req, reply) => metrics.answered(req.method, req.routeOptions.url, reply.statusCode));
  // An operator's endpoint (docs/metrics.md), not part of the API.
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (expected && !timingSafeEqual(digest(req.headers.authorization ?? ''), expected))
      return reply.code(401).send({ error: 'unauthorized', message: 'the metrics token is required: Authorization: Bearer <METRICS_TOKEN>' });
    return reply.type(metrics.contentType).header('cache-control', 'no-store').send(await metrics.render());
  });
}
