// Reading /openapi.json in tests: its schemas compiled by Ajv (JSON Schema 2020-12, the dialect of
// OpenAPI 3.1) with the component references resolved, so a real answer can be checked against the
// schema documented for its route and status; and the routes a Fastify app has registered.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

type Schema = Record<string, unknown>;
export interface Operation {
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; required: boolean; schema: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema; example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}
export interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Schema> };
}

const COMPONENTS = 'openapi-components';

export function documentSchemas(doc: OpenApiDoc) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  ajv.addKeyword('discriminator'); // OpenAPI's annotation: which member of a oneOf; Ajv checks the oneOf itself
  // Component references (#/components/schemas/X) point into one schema resource holding them all.
  const rewrite = <T>(value: T): T => JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', `"${COMPONENTS}#/$defs/`)) as T;
  ajv.addSchema({ $id: COMPONENTS, $defs: rewrite(doc.components.schemas) });
  const compiled = new Map<Schema, ValidateFunction>();
  const compile = (schema: Schema) => {
    let v = compiled.get(schema);
    if (!v) compiled.set(schema, (v = ajv.compile(rewrite(schema))));
    return v;
  };
  const operation = (method: string, path: string) => {
    const op = doc.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`${method} ${path} is not in the document`);
    return op;
  };
  /** The JSON schema documented for an answer; throws when the status is not documented. */
  const answerSchema = (method: string, path: string, status: number) => {
    const schema = operation(method, path).responses[String(status)]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method} ${path} documents no ${status} answer`);
    return schema;
  };
  return {
    ajv,
    compile,
    operation,
    /** Ajv's complaints about an answer, [] when it matches the document. */
    answerErrors(method: string, path: string, status: number, body: unknown): string[] {
      const v = compile(answerSchema(method, path, status));
      return v(body) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    },
    bodyErrors(method: string, path: string, body: unknown): string[] {
      const v = compile(operation(method, path).requestBody!.content['application/json']!.schema);
      return v(body) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`);
    },
  };
}

/** Every route the app has registered, `METHOD /path/{param}` (HEAD routes Fastify adds for GETs left out). */
export function registeredRoutes(app: FastifyInstance): string[] {
  // printRoutes draws the radix tree: a route's path is its segments from the root down.
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = [...m[1]!].length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    for (const method of m[3]?.split(', ') ?? []) if (method !== 'HEAD') out.push(`${method} ${stack.join('').replace(/:(\w+)/g, '{$1}')}`);
  }
  return out.sort();
}
