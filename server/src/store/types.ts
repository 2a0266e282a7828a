// The event store behind an interface: SQLite for the embedded default; PostgreSQL for scale-out follows.
import type { Alarm } from '../../../shared/src/alarms';
import type { IngestEvent } from '../../../shared/src/events';
import type { EntitySummary, Gauges } from '../../../shared/src/protocol';
import type { RollupDelta } from '../../../shared/src/kpi/contributions';

export interface AppendItem {
  event: IngestEvent;
  /** The source system whose ingest key sent it. */
  source: string;
}

export type AppendResult = { status: 'stored'; seq: number } | { status: 'duplicate' };

/** An event as stored: raw (unmasked) body, its seq and its rollup change. */
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
  /**
   * Current state as of one seq: hourly totals and 片区 breakdowns from `hourlyFrom`, other
   * breakdowns summed from `dimsFrom` (reported at that hour), gauges, the most relevant entities
   * and the latest events.
   */
  snapshot(opts: { nowMs: number; hourlyFrom: number; dimsFrom: number; entityLimit: number; recentLimit: number }): SnapshotData;
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

export interface QueryStore {
  /** Rollup counters summed over hours [fromHour, toHour). */
  totals(fromHour: number, toHour: number): Map<string, number>;
  /** Hourly rows of case.new, ticket.new and insp.done. */
  newSeries(fromHour: number, toHour: number): Array<[number, string, number]>;
  /** Events with occurredAt in [fromMs, toMs) after the cursor, in (occurredAt, seq) order. */
  replayPage(fromMs: number, toMs: number, after: { occurredAt: number; seq: number }, limit: number): Array<StoredEvent & { occurredAt: number }>;
  /** By exact id first, else id or address containing the text; newest first. */
  search(text: string, limit: number): EntityRow[];
  longestOverdue(nowMs: number, limit: number): EntityRow[];
  entity(kind: string, id: string): IngestEvent | undefined;
}
