// Filters of the feed and the map points: stream, category (case category, hotline topic or
// inspection campaign), status, urgency. Pure: one predicate over what feed items and entity
// summaries share, and the URL form (a view can be bookmarked or put on a wall).
import type { EntitySummary } from './protocol';
import { isOverdue } from './summary';
import {
  campaigns, caseCategoryIds, caseStatuses, inspectionStatuses, streamKinds, ticketStatuses, ticketTopics, type StreamKind,
} from './vocab';

/** Coarse states across the streams; specific lifecycle statuses are also accepted. */
export const statusGroups = ['open', 'overdue', 'finished'] as const;

export interface Filters {
  stream: StreamKind | null;
  /** category (cases), topic (tickets) or campaign (inspections) */
  category: string | null;
  /** a status group or a lifecycle status id */
  status: string | null;
  urgent: boolean;
}

export const NO_FILTERS: Filters = Object.freeze({ stream: null, category: null, status: null, urgent: false });

/** The categories a stream offers (all three vocabularies when no stream is chosen). */
export function categoriesOf(stream: StreamKind | null): readonly string[] {
  if (stream === 'case') return caseCategoryIds;
  if (stream === 'ticket') return ticketTopics;
  if (stream === 'inspection') return campaigns;
  return [...caseCategoryIds, ...ticketTopics, ...campaigns];
}

/** The lifecycle statuses of a stream (none without a stream: they differ between streams). */
export function statusesOf(stream: StreamKind | null): readonly string[] {
  if (stream === 'case') return caseStatuses;
  if (stream === 'ticket') return ticketStatuses;
  if (stream === 'inspection') return inspectionStatuses;
  return [];
}

export const isFiltering = (f: Filters): boolean => f.stream !== null || f.category !== null || f.status !== null || f.urgent;

/** What feed items and entity summaries have in common, and the predicate needs. */
export type FilterSubject = Pick<EntitySummary, 'kind' | 'status' | 'urgent' | 'label' | 'open' | 'dueAt'>;

export function matches(f: Filters, s: FilterSubject, nowMs: number): boolean {
  if (f.stream !== null && s.kind !== f.stream) return false;
  if (f.category !== null && s.label !== f.category) return false;
  if (f.urgent && !s.urgent) return false;
  switch (f.status) {
    case null: return true;
    case 'open': return s.open;
    case 'finished': return !s.open;
    case 'overdue': return isOverdue(s, nowMs);
    default: return s.status === f.status;
  }
}

/** A consistent set: a category or status that the chosen stream lacks is dropped. */
export function normalise(f: Filters): Filters {
  const category = f.category !== null && categoriesOf(f.stream).includes(f.category) ? f.category : null;
  const status = f.status !== null && ((statusGroups as readonly string[]).includes(f.status) || statusesOf(f.stream).includes(f.status)) ? f.status : null;
  return { stream: f.stream, category, status, urgent: f.urgent };
}

/** What filters are read from: URLSearchParams, or a parsed query string. */
export interface ParamReader {
  get(name: string): string | null;
}

export function readFilters(q: ParamReader): Filters {
  const stream = q.get('stream');
  return normalise({
    stream: (streamKinds as readonly string[]).includes(stream ?? '') ? (stream as StreamKind) : null,
    category: q.get('category'),
    status: q.get('status'),
    urgent: q.get('urgent') === '1' || q.get('urgent') === 'true',
  });
}

export function writeFilters(q: { set(k: string, v: string): void; delete(k: string): void }, f: Filters): void {
  const set = (k: string, v: string | null) => (v === null ? q.delete(k) : q.set(k, v));
  set('stream', f.stream);
  set('category', f.category);
  set('status', f.status);
  set('urgent', f.urgent ? '1' : null);
}
