// /openapi.json: a valid OpenAPI 3.1 document generated from the zod schemas of shared/. It describes
// the ingest API item by item, every route the server registers, the security each route enforces
// and the errors it answers; real answers are checked against it with Ajv. /docs is Swagger UI from
// this server's own files.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEventSchema, inspectionEventSchema, ticketEventSchema } from '#shared/events';
import { DAY_MS, toShanghaiIso } from '#shared/time';
import { manualClock } from '../../server/src/clock';
import { BASE_MS, makeCase, makeInspection, makeTicket } from '../support/events';
import { documentSchemas, registeredRoutes, type OpenApiDoc } from '../support/openapi';
import { startServer, type TestServer } from '../support/server';

const KEY = 'openapi-ingest-key';
const TOWN = 'openapi-town-token';
const N02 = 'openapi-n02-token';
const ENV = { INGEST_KEYS: `test:${KEY}`, VIEWER_TOKENS: `town:${TOWN},wall-n02:${N02}@N02` };
const DAY = toShanghaiIso(BASE_MS).slice(0, 10);

/** Routes that are not API: the documentation itself, the screen's files, the Prometheus text. */
const UNDOCUMENTED = [
  'GET /', 'GET /openapi.json', 'GET /metrics', 'OPTIONS *',
  'GET /docs', 'GET /docs/', 'GET /docs/*', 'GET /docs/json', 'GET /docs/yaml', 'GET /docs/static/index.html', 'GET /docs/static/swagger-initializer.js',
];

let s: TestServer;
let doc: OpenApiDoc;
let schemas: ReturnType<typeof documentSchemas>;

async function call(method: string, url: string, opts: { token?: string | null; body?: string; type?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = opts.type ?? 'application/json';
  const res = await fetch(`${s.url}${url}`, { method, headers, body: opts.body });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

beforeAll(async () => {
  s = await startServer(ENV, manualClock(BASE_MS + 3 * DAY_MS));
  doc = (await (await fetch(`${s.url}/openapi.json`)).json()) as OpenApiDoc;
  schemas = documentSchemas(doc);
});
afterAll(() => s.stop());

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));

describe('/openapi.json', () => {
  it('is an OpenAPI 3.1 document whose every schema compiles as JSON Schema 2020-12, references resolved', () => {
    const shape = schemas.ajv.compile({
      type: 'object',
      required: ['openapi', 'info', 'paths', 'components'],
      properties: {
        openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
        info: { type: 'object', required: ['title', 'version'], properties: { title: { type: 'string', minLength: 1 }, version: { type: 'string', minLength: 1 } } },
        paths: {
          type: 'object',
          propertyNames: { pattern: '^/' },
          additionalProperties: {
            type: 'object',
            propertyNames: { enum: ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] },
            additionalProperties: {
              type: 'object',
              required: ['responses'],
              properties: {
                tags: { type: 'array', items: { type: 'string' } },
                summary: { type: 'string' },
                security: { type: 'array', items: { type: 'object', additionalProperties: { type: 'array', maxItems: 0 } } },
                parameters: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['name', 'in', 'schema'],
                    properties: { name: { type: 'string', minLength: 1 }, in: { enum: ['query', 'path', 'header', 'cookie'] }, schema: { type: 'object' } },
                    if: { properties: { in: { const: 'path' } } },
                    then: { required: ['required'], properties: { required: { const: true } } },
                  },
                },
                requestBody: { type: 'object', required: ['content'], properties: { content: { type: 'object', minProperties: 1 } } },
                responses: {
                  type: 'object',
                  minProperties: 1,
                  propertyNames: { pattern: '^([1-5]\\d\\d|default)$' },
                  additionalProperties: { type: 'object', required: ['description'], properties: { description: { type: 'string', minLength: 1 } } },
                },
              },
            },
          },
        },
        components: {
          type: 'object',
          required: ['schemas', 'securitySchemes'],
          properties: {
            schemas: { type: 'object', minProperties: 1 },
            securitySchemes: { type: 'object', additionalProperties: { type: 'object', required: ['type'], properties: { type: { enum: ['apiKey', 'http', 'oauth2', 'openIdConnect', 'mutualTLS'] } } } },
          },
        },
      },
    });
    expect(shape(doc), JSON.stringify(shape.errors)).toBe(true);

    let compiled = 0;
    for (const { method, path, op } of operations()) {
      // Path templates and path parameters name each other.
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(op.parameters?.filter((p) => p.in === 'path').map((p) => p.name).sort() ?? [], `${method} ${path}`).toEqual(inPath);
      for (const req of op.security ?? []) for (const name of Object.keys(req)) expect(doc.components.securitySchemes).toHaveProperty(name);
      const all = [
        ...(op.parameters ?? []).map((p) => p.schema),
        ...Object.values(op.requestBody?.content ?? {}).map((c) => c.schema),
        ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {}).map((c) => c.schema)),
      ];
      for (const schema of all) expect(schemas.compile(schema)).toBeTypeOf('function');
      compiled += all.length;
    }
    expect(compiled).toBeGreaterThan(60);
  });

  it('describes the ingest API: one event or up to 1,000, each a case, ticket or inspection told apart by kind', () => {
    const op = schemas.operation('POST', '/api/v1/events');
    expect(op.security).toEqual([{ ingestKey: [] }]);
    expect(doc.components.securitySchemes.ingestKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(op.requestBody!.content['application/json']!.schema).toMatchObject({
      anyOf: [
        { $ref: '#/components/schemas/IngestEventInput' },
        { type: 'array', minItems: 1, maxItems: 1000, items: { $ref: '#/components/schemas/IngestEventInput' } },
      ],
    });
    const union = doc.components.schemas.IngestEventInput as { oneOf: unknown[]; discriminator: { propertyName: string; mapping: Record<string, string> } };
    expect(union.oneOf).toHaveLength(3);
    expect(union.discriminator.propertyName).toBe('kind');
    expect(Object.keys(union.discriminator.mapping).sort()).toEqual(['case', 'inspection', 'ticket']);

    // Each kind requires exactly the fields its zod schema cannot do without.
    const kinds = { case: caseEventSchema, ticket: ticketEventSchema, inspection: inspectionEventSchema };
    for (const [kind, zodSchema] of Object.entries(kinds)) {
      const member = doc.components.schemas[union.discriminator.mapping[kind]!.split('/').pop()!] as { properties: Record<string, { const?: string }>; required: string[] };
      expect(member.properties.kind!.const).toBe(kind);
      const needed = Object.entries(zodSchema.shape).filter(([, field]) => !field.safeParse(undefined).success).map(([name]) => name);
      expect([...member.required].sort()).toEqual(needed.sort());
    }
    const caseRequired = (doc.components.schemas.CaseEventInput as { required: string[] }).required;
    expect(caseRequired).toEqual(expect.arrayContaining(['kind', 'id', 'version', 'occurredAt', 'location', 'deadline']));
    expect(caseRequired).not.toContain('urgent'); // it has a default

    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '413', '415', '503']);
    const codes = (status: number) => (op.responses[status]!.content!['application/json']!.schema as { properties: { error: { enum: string[] } } }).properties.error.enum;
    expect([...codes(400)].sort()).toEqual(['empty_batch', 'invalid_body', 'invalid_json']);
    expect(codes(401)).toEqual(['unauthorized']);
    expect([...codes(413)].sort()).toEqual(['payload_too_large', 'too_many_items']);
    expect(codes(415)).toEqual(['unsupported_media_type']);
    expect([...codes(503)].sort()).toEqual(['disk_full', 'io_error', 'overloaded', 'store_unavailable']);
  });

  it('accepts its own example and the example events of every kind, and refuses a broken one naming the field', async () => {
    let lines = 0;
    for (const kind of ['cases', 'tickets', 'inspections']) {
      const events = readFileSync(new URL(`../../fixtures/events/${kind}.ndjson`, import.meta.url), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
      expect(schemas.bodyErrors('POST', '/api/v1/events', events)).toEqual([]);
      lines += events.length;
    }
    expect(lines).toBeGreaterThan(30);
    expect(schemas.bodyErrors('POST', '/api/v1/events', makeTicket())).toEqual([]);
    // The example the documentation shows is valid, and the server stores it.
    const example = schemas.operation('POST', '/api/v1/events').requestBody!.content['application/json']!.example;
    expect(schemas.bodyErrors('POST', '/api/v1/events', example)).toEqual([]);
    const stored = await call('POST', '/api/v1/events', { token: KEY, body: JSON.stringify(example) });
    expect(stored.body).toEqual({ results: [{ index: 0, status: 'stored', seq: expect.any(Number) }] });
    expect(schemas.bodyErrors('POST', '/api/v1/events', makeCase({ version: 0 })).join('\n')).toMatch(/\/version must be >= 1/);
    expect(schemas.bodyErrors('POST', '/api/v1/events', makeCase({ deadline: undefined })).join('\n')).toMatch(/required property 'deadline'/);
    expect(schemas.bodyErrors('POST', '/api/v1/events', Array.from({ length: 1001 }, () => makeCase())).join('\n')).toMatch(/must NOT have more than 1000 items/);
  });

  it('documents every route the server registers, and no other', () => {
    const documented = operations().map(({ method, path }) => `${method} ${path}`).sort();
    const registered = registeredRoutes(s.server.app);
    expect(registered).toEqual(expect.arrayContaining(UNDOCUMENTED));
    expect(documented).toEqual(registered.filter((r) => !UNDOCUMENTED.includes(r)));
    expect(documented).toEqual(expect.arrayContaining(['POST /api/v1/events', 'GET /api/v1/range', 'GET /api/v1/entities/{kind}/{id}', 'GET /healthz']));
  });

  it('enforces the security it documents: refused without the credential, and a credential of the other kind is none', async () => {
    const checked: string[] = [];
    for (const { method, path, op } of operations()) {
      const refused = op.tags?.includes('open311') ? 403 : 401; // GeoReport answers a missing key 403
      const url = path.replace('{kind}', 'case').replace('{id}', 'X').replace('{file}', 'services.json');
      const body = method === 'POST' ? '{}' : undefined;
      const anonymous = await call(method, url, { body });
      const schemes = (op.security ?? []).flatMap((r) => Object.keys(r));
      if (schemes.length === 0) {
        expect(anonymous.status, `${method} ${path} documents no security`).not.toBe(401);
        continue;
      }
      expect(anonymous.status, `${method} ${path}`).toBe(refused);
      expect(schemas.answerErrors(method, path, refused, anonymous.body)).toEqual([]);
      // A Bearer credential of the other kind: an ingest key where a screen token is asked, and the reverse.
      const other = schemes.includes('screenToken') ? KEY : TOWN;
      expect((await call(method, url, { body, token: other })).status, `${method} ${path}`).toBe(refused);
      checked.push(`${method} ${path}`);
    }
    expect(checked).toEqual(expect.arrayContaining(['POST /api/v1/events', 'GET /api/v1/search', 'GET /api/v1/replay', 'GET /open311/v2/requests.json', 'POST /open311/v2/requests.json']));
  });

  it('answers as documented: ingest, every screen read and the server routes, errors included', async () => {
    const ticket = makeTicket({ id: 'RX-DOC-1', callerPhone: '13912345678' });
    const ingest = await call('POST', '/api/v1/events', {
      token: KEY,
      body: JSON.stringify([makeCase({ id: 'CS-DOC-1', reporterPhone: '13800001111' }), ticket, makeInspection({ id: 'JC-DOC-1' }), makeCase({ id: 'CS-DOC-2', version: 0 }), ticket]),
    });
    expect(ingest.status).toBe(200);
    expect((ingest.body as { results: Array<{ status: string }> }).results.map((r) => r.status)).toEqual(['stored', 'stored', 'stored', 'rejected', 'duplicate']);

    const cases: Array<[method: string, path: string, url: string, token: string | null, status: number, error?: string, body?: string, type?: string]> = [
      ['POST', '/api/v1/events', '/api/v1/events', KEY, 200, undefined, JSON.stringify([makeCase({ id: 'CS-DOC-3' })])],
      ['POST', '/api/v1/events', '/api/v1/events', KEY, 400, 'invalid_json', '{"kind":'],
      ['POST', '/api/v1/events', '/api/v1/events', KEY, 400, 'invalid_body', '"an event"'],
      ['POST', '/api/v1/events', '/api/v1/events', KEY, 400, 'empty_batch', '[]'],
      ['POST', '/api/v1/events', '/api/v1/events', KEY, 413, 'too_many_items', JSON.stringify(Array.from({ length: 1001 }, () => ({})))],
      ['POST', '/api/v1/events', '/api/v1/events', KEY, 415, 'unsupported_media_type', '<event/>', 'application/xml'],
      ['GET', '/healthz', '/healthz', null, 200],
      ['GET', '/api/v1/screen-config', '/api/v1/screen-config', null, 200],
      ['GET', '/api/v1/geo', '/api/v1/geo', null, 200],
      ['GET', '/api/v1/entities/{kind}/{id}', '/api/v1/entities/ticket/RX-DOC-1', TOWN, 200],
      ['GET', '/api/v1/entities/{kind}/{id}', '/api/v1/entities/case/CS-DOC-1', TOWN, 200],
      ['GET', '/api/v1/entities/{kind}/{id}', '/api/v1/entities/inspection/JC-DOC-1', TOWN, 200],
      ['GET', '/api/v1/entities/{kind}/{id}', '/api/v1/entities/parcel/X', TOWN, 400, 'invalid_query'],
      ['GET', '/api/v1/entities/{kind}/{id}', '/api/v1/entities/case/NOPE', TOWN, 404, 'not_found'],
      ['GET', '/api/v1/entities/{kind}/{id}', '/api/v1/entities/case/CS-DOC-1', N02, 403, 'forbidden'],
      ['GET', '/api/v1/search', '/api/v1/search?q=DOC', TOWN, 200],
      ['GET', '/api/v1/search', '/api/v1/search', TOWN, 400, 'invalid_query'],
      ['GET', '/api/v1/overdue', '/api/v1/overdue?limit=5', TOWN, 200],
      ['GET', '/api/v1/overdue', '/api/v1/overdue?grid=GC99', TOWN, 404, 'not_found'],
      ['GET', '/api/v1/overdue', '/api/v1/overdue?nb=N01', N02, 403, 'forbidden'],
      ['GET', '/api/v1/feed', '/api/v1/feed?kinds=case,ticket&stream=ticket&urgent=0', TOWN, 200],
      ['GET', '/api/v1/feed', '/api/v1/feed?kinds=parcel', TOWN, 400, 'invalid_query'],
      ['GET', '/api/v1/range', '/api/v1/range?preset=7d&nb=N01', TOWN, 200],
      ['GET', '/api/v1/range', '/api/v1/range?from=2026-11-05&to=2026-11-01', TOWN, 400, 'invalid_query'],
      ['GET', '/api/v1/range', '/api/v1/range?preset=today&nb=N01', N02, 403, 'forbidden'],
      ['GET', '/api/v1/replay', `/api/v1/replay?date=${DAY}`, TOWN, 200],
      ['GET', '/api/v1/replay', `/api/v1/replay?date=${DAY}&limit=1`, N02, 200],
      ['GET', '/api/v1/replay', '/api/v1/replay?date=21-11-2026', TOWN, 400, 'invalid_query'],
      ['GET', '/open311/v2/services.json', '/open311/v2/services.json', TOWN, 200],
      ['GET', '/open311/v2/requests.json', `/open311/v2/requests.json?api_key=${KEY}&extensions=true`, null, 200],
      ['GET', '/open311/v2/requests/{file}', '/open311/v2/requests/case:CS-DOC-1.json', N02, 403],
    ];
    const answers = new Map<string, unknown>();
    for (const [method, path, url, token, status, error, body, type] of cases) {
      const r = await call(method, url, { token, body, type });
      expect(r.status, `${method} ${url}`).toBe(status);
      if (error) expect(r.body, `${method} ${url}`).toMatchObject({ error });
      expect(schemas.answerErrors(method, path, status, r.body), `${method} ${url}`).toEqual([]);
      answers.set(`${method} ${url} ${token}`, r.body);
    }
    expect(cases).toHaveLength(31);

    // The masked phone is what the screen schema documents; the ingest schema would refuse it.
    const detail = answers.get(`GET /api/v1/entities/ticket/RX-DOC-1 ${TOWN}`) as { entity: { callerPhone: string } };
    expect(detail.entity.callerPhone).toBe('139****5678');
    expect(schemas.compile({ $ref: '#/components/schemas/TicketEvent' })(detail.entity)).toBe(false);
    expect(schemas.compile({ $ref: '#/components/schemas/ScreenTicketEvent' })(detail.entity)).toBe(true);
    const replay = answers.get(`GET /api/v1/replay?date=${DAY} ${TOWN}`) as { base?: unknown; events: Array<{ event: { id: string } }> };
    expect(replay.base).toBeDefined();
    // Every event of the day stored by this file, once: the valid items above and the documentation's example.
    expect(replay.events.map((e) => e.event.id).sort()).toEqual(['CS-DEMO-1', 'CS-DOC-1', 'CS-DOC-3', 'JC-DOC-1', 'RX-DOC-1']);
    expect((answers.get(`GET /api/v1/entities/parcel/X ${TOWN}`) as { path: string }).path).toBe('kind');
  });
});

describe('/docs', () => {
  it('is Swagger UI from this server: every asset of the page on its own origin, the document it shows the same', async () => {
    const res = await fetch(`${s.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1]!, res.url));
    expect(assets.length).toBe(7); // two stylesheets, two icons, three scripts
    for (const url of assets) {
      expect(url.origin, url.href).toBe(s.url);
      const asset = await fetch(url);
      expect(asset.status, url.href).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, url.href).toBeGreaterThan(0);
    }
    expect(await (await fetch(`${s.url}/docs/json`)).json()).toEqual(doc);
  });
});
