// How /open311/v2/ appears in /openapi.json (docs/architecture.md#http-api): its tag, the credentials
// each route takes (open311/access.ts checks them) and its answers in the GeoReport shapes of
// shared/open311.ts. The routes parse their requests themselves and answer GeoReport errors, so no
// request schema is given here: it would make Fastify answer in its own shape.
import { z } from 'zod';
import { open311ErrorSchema, postedRequestSchema, serviceDefinitionSchema, serviceRequestSchema, serviceSchema } from '#shared/open311';

type Security = Array<Record<string, string[]>>;
const read: Security = [{ screenToken: [] }, { open311Key: [] }];
const post: Security = [{ open311Key: [] }];

const errors = (why: string) => z.array(open311ErrorSchema).describe(`GeoReport errors [{code, description}]: ${why}`);
const found = {
  403: errors('no valid api_key or screen token, or outside the place of the token'),
  404: errors('no such service or request, or another jurisdiction_id'),
  503: errors('the database cannot be reached: send it again after Retry-After seconds'),
};
const refused = { 400: errors('a parameter is invalid: the description names it'), ...found };

const doc = (summary: string, security: Security, ok: z.ZodType, refusals: object) =>
  ({ tags: ['open311'], summary, security, response: { 200: ok, ...refusals } });

export const open311Docs = {
  services: doc('Services: the case categories and 12345 topics', read, z.array(serviceSchema), found),
  service: doc("A service's definition: its attributes (services/{service_code}.json)", read, serviceDefinitionSchema, found),
  requests: doc('Requests of the place: cases and tickets by status, service, dates or ids', read, z.array(serviceRequestSchema), refused),
  request: doc('One request (requests/{service_request_id}.json, ids case:<id> or ticket:<id>)', read, z.array(serviceRequestSchema), found),
  post: doc('Post a request (form or JSON): it becomes a case or a ticket through the ingest path', post, z.array(postedRequestSchema), refused),
};
