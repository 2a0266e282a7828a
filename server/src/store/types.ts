// The event store behind an interface: SQLite for the embedded default; PostgreSQL for scale-out follows.
import type { Alarm } from '#shared/alarms';
import type { IngestEvent } from '#shared/events';
import type { Filters } from '#shared/filters';
import type { RollupDelta } from '#shared/model/keys';
import type { EntitySummary, Gauges } from '#shared/protocol';

export interface AppendItem {
  event: IngestEvent;
  /** The source system whose ingest key sent it. */
  source: string;
}

export type AppendResult = { status: 'stored'; seq: number } | { status: 'duplicate' };

/** An event as stored: raw (unmasked) body, its seq and its counter change (compact, see expandDelta). */
export interface StoredEvent {
  seq: number;
  storedAt: number;
  source: string;
  event: IngestEvent;
  delta: RollupDelta;
}

export interface SnapshotData {
  seq: number;
  rollups: RollupDelta;
  entities: EntitySummary[];
  recent: StoredEvent[];
  gauges: Gauges;
}

export interface EventStore {
  /** Durably stores the items (one commit for many calls); resolves after the commit. */
  append(items: AppendItem[]): Promise<AppendResult[]>;
  latestSeq(): number;
  /** Events with seq in (afterSeq, afterSeq + limit], in order. */
  readAfter(afterSeq: number, limit: number): StoredEvent[];
  /** The lowest seq still readable (retention). */
  oldestSeq(): number;
  /** Current state as of one seq: today's counters (see SnapshotSync), gauges, the most relevant entities, the latest events. */
  snapshot(opts: { nowMs: number; entityLimit: number; recentLimit: number }): SnapshotData;
  gauges(nowMs: number): Gauges;
  /** Every stored version of one entity, in version order (the lifecycle timeline). */
  history(kind: string, id: string): StoredEvent[];
  alarms: AlarmStore;
  queries: QueryStore;
  /** Listeners get each committed batch of stored events, in seq order. */
  onCommit(listener: (events: StoredEvent[]) => void): () => void;
  close(): void;
}

export interface AlarmStore {
  /** Raises due alarms and clears those whose entity closed; returns what changed. */
  scan(nowMs: number): Alarm[];
  /** Open alarms (neither acknowledged nor cleared), urgent first. */
  active(limit: number): Alarm[];
  get(id: number): Alarm | undefined;
  ack(id: number, who: string, note: string | undefined, nowMs: number): { ok: true; alarm: Alarm } | { ok: false; error: 'not_found' | 'already_acknowledged' };
}

export interface EntityRow {
  summary: EntitySummary;
  /** raw: mask before it leaves the server */
  address: string;
}

/** One event of a replayed day with the counter change it made at that moment of the day (compact). */
export type ReplayEvent = StoredEvent & { occurredAt: number };

/** The state of the town at the start of a replayed day. */
export interface ReplayBase {
  /** counter rows of the day's hours and the gauges (hour 0), as of the day's start */
  rollups: RollupDelta;
  /** open entities as of the day's start, most relevant first, capped */
  entities: EntitySummary[];
}

export interface QueryStore {
  /** Counters summed over hours [fromHour, toHour) at the given places, under their full keys (metric@place). */
  totals(places: readonly string[], fromHour: number, toHour: number): Map<string, number>;
  /** Hourly rows [hour, metric, n] of the new-item counters at one place. */
  newSeries(place: string, fromHour: number, toHour: number): Array<[number, string, number]>;
  /** Start (ms) of the oldest stored event's occurrence; null when nothing is stored. */
  oldestOccurrence(): number | null;
  /** Events with occurredAt in [fromMs, toMs) after the cursor, in (occurredAt, seq) order, each with its replay delta. */
  replayPage(fromMs: number, toMs: number, after: { occurredAt: number; seq: number }, limit: number): ReplayEvent[];
  /** The counters and open entities as of `fromMs`, for the hours [fromMs, toMs). */
  replayBase(fromMs: number, toMs: number, entityLimit: number): ReplayBase;
  /**
   * The latest events at a place by when they happened (of the given streams, passing the filters
   * at `nowMs`), newest first; stops after scanning `scanLimit` events of the place.
   */
  feed(q: { place: string; kinds: readonly string[]; filters: Filters; limit: number; nowMs: number; scanLimit: number }): StoredEvent[];
  /** By exact id first, else id or address containing the text; newest first. */
  search(text: string, limit: number): EntityRow[];
  longestOverdue(nowMs: number, limit: number): EntityRow[];
  entity(kind: string, id: string): IngestEvent | undefined;
}
