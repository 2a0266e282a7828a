// The socket protocol, typed both ways (Socket.IO's Server<C2S, S2C, InterServer, SocketData>).
// Every stored event carries a gapless, increasing `seq`; clients apply in order, drop duplicates,
// and ask for a resync on a gap. A screen bound to a place gets only its place's events: each batch
// says which seqs it covers (SeqRange), so the seqs of other places are not gaps.
// Types only: the screen's bundle does not carry the schema library.
import type { z } from 'zod';
import type { Alarm, AlarmAck } from './alarms';
import type { RollupDelta } from './model/keys';
import type { StreamCounts } from './range';
import type { entitySummarySchema, streamEventSchema } from './screenSchemas';

export type Role = 'viewer' | 'officer';

/** An accepted event as screens see it: masked, with its counter change (compact: expandDelta). */
export type StreamEvent = z.infer<typeof streamEventSchema>;

/** The compact current state of one entity, for map points and the feed. */
export type EntitySummary = z.infer<typeof entitySummarySchema>;

/** Point-in-time counts that depend on the clock, computed by the server. */
export interface Gauges {
  /** 超期 now (open and past the due time) by place: 'town', 片区, 居民区 and grid ids; absent = none */
  overdue: Record<string, StreamCounts>;
}

export interface SnapshotSync {
  mode: 'snapshot';
  seq: number;
  serverTime: string;
  /**
   * Today's counter rows [hour, key, count] (docs/domain.md, "The counter model"): the hours up to
   * now summed into the row of today's first hour, except the new-item counters (`case.new@A1` …),
   * kept hour by hour for the trend; the hours still to come today (items falling due); gauges
   * (hour 0). A screen keeps today only and asks for a new snapshot when the day turns.
   */
  rollups: RollupDelta;
  /** Latest events, oldest first (the feed). */
  recent: StreamEvent[];
  /** Active entities (open, or touched today), most relevant first, capped. */
  entities: EntitySummary[];
  gauges: Gauges;
}

export interface ResumeSync {
  mode: 'resume';
  /** The last seq the client had; events fromSeq+1 … toSeq follow in `events` batches. */
  fromSeq: number;
  toSeq: number;
  serverTime: string;
}

export type Sync = SnapshotSync | ResumeSync;

/**
 * The seqs an `events` batch accounts for, inclusive: every event of this screen's place with a seq
 * in [fromSeq, toSeq] is in the batch (a batch may also repeat older ones: duplicates). A screen
 * bound to a place sees only some seqs; the range tells it the others were not its place's. A
 * batch may be empty: it then only moves the screen's position to toSeq. For the town's screens
 * the range is that of the batch's own events.
 */
export interface SeqRange {
  fromSeq: number;
  toSeq: number;
}

export interface Heartbeat {
  seq: number;
  serverTime: string;
  gauges: Gauges;
}

export type Response<T> = { ok: true; data: T } | { ok: false; error: string };

export interface ServerToClientEvents {
  /** Who this connection is, sent first: screens show officer-only controls by it (the server still checks). */
  session: (who: Session) => void;
  sync: (sync: Sync) => void;
  /** Apply with Sequencer.accept(batch, covers). */
  events: (batch: StreamEvent[], covers: SeqRange) => void;
  heartbeat: (beat: Heartbeat) => void;
  /** The open alarms, sent on every (re)connection: a screen never misses one across a drop. */
  alarms: (open: Alarm[]) => void;
  'alarm:raised': (alarm: Alarm) => void;
  /** Acknowledged (who, when, note) or cleared (the entity closed). */
  'alarm:updated': (alarm: Alarm) => void;
}

export interface ClientToServerEvents {
  'stream:resync': (req: { lastSeq?: number }, ack: (res: Response<{ mode: Sync['mode'] }>) => void) => void;
  /** Officers only; a viewer's call is refused by the server. */
  'alarm:ack': (req: AlarmAck, ack: (res: Response<Alarm>) => void) => void;
}

/** Between the nodes of a cluster (through the Redis adapter): an alarm change for every node's own screens. */
export interface InterServerEvents {
  'alarm:relay': (name: 'alarm:raised' | 'alarm:updated', alarm: Alarm) => void;
}

/** Who a connection is. */
export interface Session {
  role: Role;
  /** who holds the token: recorded on acknowledgements */
  name: string;
  /**
   * Set only for a token bound to a place (a 片区, 居民区 or grid id): events, figures, alarms and
   * the screen API are then that place's only. Absent: the whole town.
   */
  place?: string;
}

export type SocketData = Session;

/** What a client sends in the handshake: `io(url, { auth })`. */
export interface HandshakeAuth {
  token: string;
  lastSeq?: number;
}

export const HEARTBEAT_MS = 5_000;

/** GET /api/v1/screen-config (its schema is with the screen API's answers) */
export type { ScreenConfig } from './http';
