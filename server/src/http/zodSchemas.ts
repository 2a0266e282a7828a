// Routes describe their requests and answers with the zod schemas of shared/ (fastify-type-provider-zod):
// requests are parsed with them, a refusal naming the field at fault; answers are typed and documented
// by them (/openapi.json) but sent as they are — the server does not re-parse what it produced, and an
// event stored under an older schema must still be readable. tests/integration/openapi.test.ts checks
// real answers against the document.
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, validatorCompiler } from 'fastify-type-provider-zod';

export function useZodSchemas(app: FastifyInstance) {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

const CODES: Record<string, string> = { querystring: 'invalid_query', params: 'invalid_query', body: 'invalid_body', headers: 'invalid_headers' };

/** A request its schema refused: 400 with the first field at fault (`location.lat`), or null for any other error. */
export function refusal(err: FastifyError): { error: string; path: string; message: string } | null {
  if (!hasZodFastifySchemaValidationErrors(err)) return null;
  const first = err.validation[0]!;
  return {
    error: CODES[err.validationContext ?? ''] ?? 'invalid_request',
    path: first.instancePath.slice(1).replaceAll('/', '.'),
    message: first.message ?? 'invalid',
  };
}
