// Rows of the log and of the entity table as both backends select them, turned into contract values
// (bodies and deltas are stored as JSON text), and the LIKE pattern of a user's search text.
import type { IngestEvent } from '#shared/events';
import type { RollupDelta } from '#shared/model/keys';
import type { EntitySummary } from '#shared/protocol';
import type { EntityRow, StoredEvent } from './types';

/** A row of the event log as the readers select it. */
export interface EventRow { seq: number; stored_at: number; source: string; body: string; delta: string; stale?: number | boolean }

/**
 * A log row's columns as every reader of either backend selects them. `stale`: whether the row is a
 * late older version (a newer one of its entity has a lower seq), as its commit wrote it (SQLite
 * schema 7, PostgreSQL migration 0007), so it survives the newer version's deletion by retention.
 */
export const EVENT_COLUMNS = 'seq, stored_at, source, body, delta, stale';

export const toStored = (r: EventRow): StoredEvent => ({
  seq: r.seq,
  storedAt: r.stored_at,
  source: r.source,
  event: JSON.parse(r.body) as IngestEvent,
  delta: JSON.parse(r.delta) as RollupDelta,
  ...(r.stale ? { stale: true as const } : {}),
});

export const toEntityRow = (summary: string, address: string): EntityRow => ({ summary: JSON.parse(summary) as EntitySummary, address });

export const parseBody = (body: string | null | undefined): IngestEvent | undefined =>
  body === null || body === undefined ? undefined : (JSON.parse(body) as IngestEvent);

/** LIKE pattern for text contained anywhere, with % and _ literal (use with ESCAPE '\'). */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
