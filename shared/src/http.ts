// Answers of the screen's HTTP reads that are not ranges (those are in range.ts): the types both
// the server's routes and the screen's fetches use.
import type { IngestEvent } from './events';
import type { RollupDelta } from './model/keys';
import type { EntitySummary, StreamEvent } from './protocol';

/** One stored version of an entity (masked), as the entity read returns it. */
export interface StoredVersion {
  seq: number;
  storedAt: string;
  event: IngestEvent;
}

/** GET /api/v1/entities/:kind/:id */
export interface EntityDetail {
  entity: IngestEvent;
  /** every stored version, in version order */
  timeline: StoredVersion[];
}

/** GET /api/v1/search, /api/v1/overdue: one entity each, its address masked. */
export type EntityRow = EntitySummary & { address: string };

/** GET /api/v1/replay: a day's events in event-time order, each with its counter change at that moment. */
export interface ReplayPage {
  /** On the first page: the town as the day began (counter rows of the day's hours and gauges; open entities). */
  base?: { rollups: RollupDelta; entities: EntitySummary[] };
  events: StreamEvent[];
  next: string | null;
}

/** GET /api/v1/feed: the latest events of the screen's topic, place and filters, newest first (delta left out). */
export interface FeedPage {
  events: StreamEvent[];
}
