// GET requests.json's parameters as a store query (docs/open311.md, "GET requests.json"): service
// codes → streams and labels, status → open or closed, start_date/end_date → a window of at most
// 90 days on requested_datetime (the last 90 days by default, as the spec has it), page → offset.
import { requestsQuerySchema, type RequestsQuery } from '#shared/open311';
import { DAY_MS } from '#shared/time';
import type { EntityQuery } from '../store/types';
import { badRequest, invalidParameters } from './errors';
import { serviceByCode } from './services';
import { REQUEST_KINDS } from './toRequest';

export const MAX_SPAN_MS = 90 * DAY_MS;

export function parseRequestsQuery(query: unknown): RequestsQuery {
  const p = requestsQuerySchema.safeParse(query);
  if (!p.success) throw invalidParameters(p.error.issues);
  return p.data;
}

/** The requested_datetime window [fromMs, toMs] of a query at `nowMs`. */
export function dateWindow(q: Pick<RequestsQuery, 'start_date' | 'end_date'>, nowMs: number): { fromMs: number; toMs: number } {
  const start = q.start_date === undefined ? undefined : Date.parse(q.start_date);
  const end = q.end_date === undefined ? undefined : Date.parse(q.end_date);
  if (start !== undefined && end !== undefined) {
    if (end < start) throw badRequest('end_date: must not be before start_date');
    if (end - start > MAX_SPAN_MS) throw badRequest('end_date: start_date and end_date may span at most 90 days');
    return { fromMs: start, toMs: end };
  }
  if (start !== undefined) return { fromMs: start, toMs: start + MAX_SPAN_MS };
  const toMs = end ?? nowMs;
  return { fromMs: toMs - MAX_SPAN_MS, toMs };
}

export function entityQuery(q: RequestsQuery, place: string, nowMs: number): EntityQuery {
  let kinds: string[] = [...REQUEST_KINDS];
  let labels: string[] | undefined;
  if (q.service_code) {
    const targets = q.service_code.map((code) => {
      const found = serviceByCode(code);
      if (!found) throw badRequest(`service_code: no service ${code} (see services.json)`);
      return found.target;
    });
    kinds = [...new Set(targets.map((t) => t.kind))];
    labels = [...new Set(targets.map((t) => t.label))];
  }
  const statuses = new Set(q.status ?? ['open', 'closed']);
  return {
    kinds, labels, ...dateWindow(q, nowMs), place,
    open: statuses.size === 2 ? undefined : statuses.has('open'),
    offset: (q.page - 1) * q.page_size, limit: q.page_size,
  };
}
