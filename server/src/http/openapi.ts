// The OpenAPI 3.1 document of the HTTP API, generated from the routes' zod schemas (shared/) by
// @fastify/swagger, at /openapi.json; and Swagger UI at /docs, served from the package's own files
// (no CDN, no validator badge). Registered before any route: the document lists the routes added after.
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { securitySchemes } from './auth';

type Doc = ReturnType<typeof jsonSchemaTransformObject>;
type SchemaObject = { oneOf?: Array<{ $ref?: string }>; properties?: Record<string, { const?: unknown }>; discriminator?: unknown };

/**
 * zod writes a discriminated union as a plain `oneOf`; OpenAPI tools (code generators, Swagger UI)
 * pick the member by a `discriminator`. Added to every component that is a `oneOf` of components
 * told apart by one property with a constant value (`kind` of the events).
 */
function withDiscriminators(doc: Doc): Doc {
  const schemas = ((doc as { components?: { schemas?: object } }).components?.schemas ?? {}) as Record<string, SchemaObject>;
  const component = (ref: string | undefined) => (ref?.startsWith('#/components/schemas/') ? schemas[ref.slice(21)] : undefined);
  for (const schema of Object.values(schemas)) {
    const refs = schema.oneOf?.map((m) => m.$ref);
    const members = refs?.map(component);
    if (!refs || !members?.length || members.some((m) => !m)) continue;
    const name = Object.keys(members[0]!.properties ?? {}).find((p) => members.every((m) => m!.properties?.[p]?.const !== undefined));
    if (!name) continue;
    schema.discriminator = { propertyName: name, mapping: Object.fromEntries(members.map((m, i) => [String(m!.properties![name]!.const), refs[i]!])) };
  }
  return doc;
}

export async function registerApiDocs(app: FastifyInstance) {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OneScreen 城运一屏',
        version: '1',
        description:
          'Ingest of the three streams (网格化案件 cases, 12345 tickets, 专项检查 inspections) and the screens\' HTTP reads. ' +
          'Live events reach screens over Socket.IO (README.md, "Socket protocol"). Errors answer `{error, message, path?}` with a stable `error` code.',
      },
      components: { securitySchemes },
      tags: [
        { name: 'ingest', description: 'Source systems send events' },
        { name: 'screen', description: 'Reads for screens, officers and briefings; masked; a token bound to a place reads that place only' },
        { name: 'server', description: 'Health and what a screen loads before it connects' },
        { name: 'open311', description: 'Open311 GeoReport v2 (docs/open311.md)' },
      ],
    },
    // No skip list: hidden routes (the docs themselves, the screen's files) say so in their schema.
    transform: createJsonSchemaTransform({ skipList: [] }),
    transformObject: (doc) => withDiscriminators(jsonSchemaTransformObject(doc)),
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    theme: { title: 'OneScreen 城运一屏 API' },
    // BaseLayout: no top bar, whose Swagger logo carries an inline <style> the Content-Security-Policy refuses.
    uiConfig: { layout: 'BaseLayout', docExpansion: 'list', defaultModelsExpandDepth: 0, tryItOutEnabled: false },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
