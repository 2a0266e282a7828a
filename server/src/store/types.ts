// The store contract, split by role (docs/architecture.md, "Store"). Two backends implement it: SQLite
// (embedded default, one node) and PostgreSQL (several nodes); one contract test suite runs on both
// (tests/contract/). Everything is async, so a server database can stand behind it.
import type { Alarm } from '#shared/alarms';
import type { IngestEvent } from '#shared/events';
import type { Filters } from '#shared/filters';
import type { RollupDelta } from '#shared/model/keys';
import type { EntitySummary, Gauges } from '#shared/protocol';
import type { DiskProblem } from './errors';

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
  /** A version older than one committed before it: kept as history, it did not move the entity. */
  stale?: true;
}

/** A counter row under its full key: [hour, metric|dim@place, n]. */
export type CounterRow = [number, string, number];

/** The event log: the one source of truth. Seqs are gapless and ordered as the commits were. */
export interface EventLog {
  /**
   * Durably stores the items in one transaction with others waiting (group commit); resolves after
   * the commit. Rejects with OverloadedError when too many items wait, StoreUnavailableError when the
   * database cannot be reached (DiskError, a kind of it, when its disk is full): nothing of a rejected call is stored,
   * unless the error is `inDoubt` (the connection was lost during COMMIT: it may be stored whole).
   */
  append(items: AppendItem[]): Promise<AppendResult[]>;
  /** Events with seq in (afterSeq, min(afterSeq + limit, upTo)], in seq order. */
  readAfter(afterSeq: number, limit: number, upTo?: number): Promise<StoredEvent[]>;
  /** The lowest seq still readable (0 when empty) and the latest committed seq. */
  bounds(): Promise<{ oldest: number; latest: number }>;
  /**
   * Retention: deletes at most `limit` events from the bottom of the log, up to the first one stored
   * at or after `storedBefore` (never a hole, never the newest event); returns how many it deleted.
   * Counters, entity states and alarms stay (docs/operations.md, "Retention").
   */
  prune(storedBefore: number, limit: number): Promise<number>;
  /** Calls `observer` after each of this node's durable commits with its duration in seconds (metrics); returns how to stop. */
  observeCommits(observer: (seconds: number, items: number) => void): () => void;
}

/**
 * Every committed batch, in seq order, without holes, to this node's listeners — whichever node
 * committed it. This node's own commits are delivered straight after their appends are answered and
 * the next commit has started (groupCommit.ts). PostgreSQL: other nodes' commits are read — NOTIFY
 * wakes the node, which reads forward from the last seq it delivered (and polls, so a lost
 * notification only delays).
 */
export interface CommitFeed {
  /** The seq up to which every committed event has been delivered to the listeners. */
  position(): number;
  subscribe(listener: (events: StoredEvent[]) => void): () => void;
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

/**
 * Which entities (current states) a list asks for: the Open311 requests list (docs/open311.md).
 * Labels are the summary's `label` (category, topic or campaign), unique across streams.
 */
export interface EntityQuery {
  kinds: readonly string[];
  /** only these labels; all of the kinds when undefined */
  labels?: readonly string[];
  /** only open (true) or only closed (false); both when undefined */
  open?: boolean;
  /** first reported (startedAt) within [fromMs, toMs] */
  fromMs: number;
  toMs: number;
  /** 'town', or the 片区, 居民区 or grid the entities are located in */
  place: string;
  offset: number;
  limit: number;
}

/** Read models: state derived from the log in the same transactions that append to it. */
export interface ReadModel {
  /** The entities of a query, the latest reported first (then kind, id), from `offset`, at most `limit`. */
  listEntities(q: EntityQuery): Promise<IngestEvent[]>;
  /** Counter rows of hours [fromHour, toHour) and the gauges (hour 0) at every place, and the seq they are as of (one consistent read). */
  counterRows(fromHour: number, toHour: number): Promise<{ seq: number; rows: CounterRow[] }>;
  /** The most relevant entities (longest overdue, urgent open, then the freshest), at most `limit`. */
  activeEntities(nowMs: number, limit: number): Promise<EntitySummary[]>;
  /** The latest `limit` events with seq ≤ upToSeq by when they happened, oldest first. */
  recent(limit: number, upToSeq: number): Promise<StoredEvent[]>;
  /** Open and overdue counts per stream at every place, now. */
  gauges(nowMs: number): Promise<Gauges>;
  /** Every stored version of one entity, in version order (the lifecycle timeline). */
  history(kind: string, id: string): Promise<StoredEvent[]>;
  /** Counters summed over hours [fromHour, toHour) at the given places, under their full keys (metric@place). */
  totals(places: readonly string[], fromHour: number, toHour: number): Promise<Map<string, number>>;
  /** Hourly rows [hour, metric, n] of the new-item counters at one place. */
  newSeries(place: string, fromHour: number, toHour: number): Promise<Array<[number, string, number]>>;
  /** Start (ms) of the day of the oldest stored event's occurrence; null when nothing is stored. */
  oldestOccurrence(): Promise<number | null>;
  /** Events with occurredAt in [fromMs, toMs) after the cursor, in (occurredAt, seq) order, each with its replay delta. */
  replayPage(fromMs: number, toMs: number, after: { occurredAt: number; seq: number }, limit: number): Promise<ReplayEvent[]>;
  /** The counters and open entities as of `fromMs`, for the hours [fromMs, toMs). */
  replayBase(fromMs: number, toMs: number, entityLimit: number): Promise<ReplayBase>;
  /**
   * The latest events at a place by when they happened (of the given streams, passing the filters
   * at `nowMs`), newest first; stops after scanning `scanLimit` events of the place.
   */
  feed(q: { place: string; kinds: readonly string[]; filters: Filters; limit: number; nowMs: number; scanLimit: number }): Promise<StoredEvent[]>;
  /** By exact id first, else id or masked address (docs/privacy.md) containing the text; newest first. */
  search(text: string, limit: number): Promise<EntityRow[]>;
  longestOverdue(nowMs: number, limit: number): Promise<EntityRow[]>;
  entity(kind: string, id: string): Promise<IngestEvent | undefined>;
}

export type AckResult = { ok: true; alarm: Alarm } | { ok: false; error: 'not_found' | 'already_acknowledged' };

export interface AlarmStore {
  /** Raises due alarms and clears those whose entity closed; returns what changed. Run by the cluster's singleton holder. */
  scan(nowMs: number): Promise<Alarm[]>;
  /** Open alarms (neither acknowledged nor cleared), urgent first. */
  active(limit: number): Promise<Alarm[]>;
  /** How many alarms are open (neither acknowledged nor cleared): a count, for metrics. */
  openCount(): Promise<number>;
  get(id: number): Promise<Alarm | undefined>;
  /** One conditional update: of two officers acknowledging at once, one wins and the other is told already_acknowledged. */
  ack(id: number, who: string, note: string | undefined, nowMs: number): Promise<AckResult>;
}

/** A role that one node of the cluster holds at a time (the alarm scan, the simulator). */
export interface ClusterSingleton {
  /** Tries to take (or keep) the role; true while this node holds it. Cheap to call every tick. */
  hold(role: string): Promise<boolean>;
  release(role: string): Promise<void>;
}

/** Whether the store takes writes: SQLite turns read-only on a full disk, serving reads, until it has room again. */
export type WriteState = { writable: true } | { writable: false; reason: DiskProblem; since: number };

export interface Store {
  kind: 'sqlite' | 'postgres';
  /** Read-only on a full disk (SQLite; PostgreSQL answers each commit, and is always reported writable). */
  writeState(): WriteState;
  log: EventLog;
  feed: CommitFeed;
  read: ReadModel;
  alarms: AlarmStore;
  singleton: ClusterSingleton;
  /** Whether the database answers (for /healthz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
