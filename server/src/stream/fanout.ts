// Live batches to this node's screens: events from the commit feed, coalesced over the batch window
// and sent with io.local (every node delivers from the database, never through Redis), one sub-batch
// per place room. A socket that is syncing gets its place's batches buffered instead, until its
// snapshot or resume has been sent (docs/architecture.md, "Delivery").
import { Emitter } from '#shared/emitter';
import type { SeqRange, StreamEvent } from '#shared/protocol';
import { TOWN_PLACE } from '#shared/model/places';
import { streamRoom, type PlaceScope } from '../access/placeScope';
import type { StreamMetrics } from '../metrics/metrics';
import type { CommitFeed, StoredEvent } from '../store/types';
import type { IoServer, IoSocket } from './io';
import { createPace } from './pace';
import { toScreen } from './toScreen';
import { until } from './until';

const MAX_PENDING = 10_000;
/** Live events buffered for one syncing socket at most; beyond, its sync starts over (a bound buffer). */
const MAX_SYNC_BUFFER = 50_000;

/** A socket between the start of its sync and going live: the live batches it would have had. */
interface Syncing {
  gen: number;
  place: string;
  events: StreamEvent[];
  toSeq: number;
  overflow: boolean;
}

/** The sync of a socket was superseded, or outgrew its buffer: it starts over. */
export class SyncAborted extends Error {}

export function createFanout(io: IoServer, feed: CommitFeed, scope: PlaceScope, batchMs: number, metrics?: Pick<StreamMetrics, 'batchSent' | 'syncOverflowed'>) {
  let pending: StoredEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const pace = createPace(batchMs);
  /** The last seq sent out live (every event of the feed up to it has been flushed). */
  let flushedTo = feed.position();
  /**
   * Per place room, the seq up to which its screens have been sent every event of the place: the
   * next batch covers from there, so a batch's range joins the previous one even when flushes in
   * between had nothing for the place (its screens' Sequencer sees no gap).
   */
  const coveredTo = new Map<string, number>();
  const rooms = io.of('/').adapter.rooms;
  const syncing = new Map<IoSocket, Syncing>();
  /** caughtUp()'s checks, run after each flush (a check only compares seqs: it cannot throw). */
  const flushed = new Emitter<[]>((err) => console.error('[fanout] a caught-up check failed:', (err as Error).message));
  /** Connected screens bound to a place: while there are none, a flush goes to the town's room alone. */
  let boundScreens = 0;

  /** The event as a screen of `place` gets it: the town's unchanged, a bound place's with its own counters only. */
  const forPlace = (place: string, s: StoredEvent, screen = toScreen(s)): StreamEvent =>
    place === TOWN_PLACE ? screen : { ...screen, delta: scope.deltaFor(place, s.delta, s.event) };

  function send(place: string, events: StreamEvent[], range: SeqRange) {
    const room = streamRoom(place);
    const covered = coveredTo.get(room) ?? range.fromSeq - 1;
    coveredTo.set(room, Math.max(covered, range.toSeq));
    io.local.to(room).emit('events', events, { fromSeq: Math.min(covered + 1, range.fromSeq), toSeq: range.toSeq });
  }

  function flush() {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    pace.spend(performance.now());
    const range = { fromSeq: batch[0]!.seq, toSeq: batch[batch.length - 1]!.seq };
    flushedTo = range.toSeq;
    flushed.emit();
    if (io.of('/').sockets.size === 0) {
      // No screen connected (a first start's backfill): nothing to mask or encode; a screen that
      // joins later starts its coverage where it joins.
      coveredTo.clear();
      return;
    }
    // Each event once per place: the town's room gets the whole batch, a bound place (when a screen
    // is in its room or syncing) the sub-batch of its events. A screen is in exactly one room.
    const screen = batch.map((s) => toScreen(s));
    const byPlace = new Map<string, StreamEvent[]>([[TOWN_PLACE, screen]]);
    const wanted = (place: string) => rooms.has(streamRoom(place)) || [...syncing.values()].some((s) => s.place === place);
    if (boundScreens > 0) batch.forEach((s, i) => {
      for (const place of scope.placesTouched(s.delta, s.event)) {
        if (place === TOWN_PLACE || !wanted(place)) continue;
        let list = byPlace.get(place);
        if (!list) byPlace.set(place, (list = []));
        list.push(forPlace(place, s, screen[i]));
      }
    });
    for (const [place, events] of byPlace) if (rooms.has(streamRoom(place))) send(place, events, range);
    metrics?.batchSent(batch[0]!.storedAt);
    for (const s of syncing.values()) {
      const events = byPlace.get(s.place) ?? [];
      s.toSeq = range.toSeq;
      if (!s.overflow && s.events.length + events.length > MAX_SYNC_BUFFER) metrics?.syncOverflowed();
      if (s.overflow || s.events.length + events.length > MAX_SYNC_BUFFER) [s.overflow, s.events] = [true, []];
      else for (const e of events) s.events.push(e);
    }
  }

  // One batch per window on average (pace.ts): a commit goes out at once while there is credit,
  // later ones coalesce until there is.
  const unsubscribe = feed.subscribe((stored: StoredEvent[]) => {
    for (const s of stored) pending.push(s);
    const wait = pace.wait(performance.now());
    if (pending.length >= MAX_PENDING || wait <= 0) flush();
    else timer ??= setTimeout(flush, wait);
  });

  return {
    flush,
    forPlace,
    /** The last seq sent out to this node's screens. */
    flushedTo: () => flushedTo,
    screenConnected(bound: boolean) {
      if (bound) boundScreens++;
    },
    screenGone(socket: IoSocket, bound: boolean) {
      if (bound) boundScreens--;
      syncing.delete(socket);
    },

    /** Resolves once this node has sent out every event up to `seq` (false when it does not within the wait). */
    caughtUp(seq: number, waitMs: number): Promise<boolean> {
      flush();
      const reached = until(flushed, () => flushedTo >= seq, waitMs);
      // what has reached the feed but waits in the batch window counts too
      setImmediate(() => flush());
      return reached;
    },

    /** From here on, the live batches for the socket are kept until it goes live; returns the seq sent up to. */
    buffer(socket: IoSocket, gen: number, place: string): number {
      flush();
      syncing.set(socket, { gen, place, events: [], toSeq: flushedTo, overflow: false });
      return flushedTo;
    },
    /** Throws SyncAborted when the socket's buffer of sync `gen` overflowed. */
    checkBuffer(socket: IoSocket, gen: number) {
      const s = syncing.get(socket);
      if (s?.gen === gen && s.overflow) throw new SyncAborted();
    },
    dropBuffer(socket: IoSocket, gen?: number) {
      if (gen === undefined || syncing.get(socket)?.gen === gen) syncing.delete(socket);
    },
    /** Sends what was buffered beyond `sentTo` and puts the socket in its room: live from here. */
    goLive(socket: IoSocket, gen: number, sentTo: number) {
      const s = syncing.get(socket);
      syncing.delete(socket);
      if (!s || s.gen !== gen || s.overflow) throw new SyncAborted();
      if (s.toSeq > sentTo) socket.emit('events', s.events.filter((e) => e.seq > sentTo), { fromSeq: sentTo + 1, toSeq: s.toSeq });
      const room = streamRoom(s.place);
      // A room new (or empty) since its last batch: its coverage starts where the joining screen stands.
      if (!coveredTo.has(room) || !rooms.has(room)) coveredTo.set(room, Math.max(s.toSeq, sentTo));
      socket.join(room);
    },

    /** Before a heartbeat: a place with nothing since its last batch gets an empty batch up to what was sent. */
    coverRooms(each: (room: string, place: string) => void) {
      flush();
      const prefix = streamRoom('');
      for (const room of [...rooms.keys()]) {
        if (!room.startsWith(prefix)) continue;
        const place = room.slice(prefix.length);
        const covered = coveredTo.get(room) ?? flushedTo;
        if (covered < flushedTo) send(place, [], { fromSeq: covered + 1, toSeq: flushedTo });
        each(room, place);
      }
    },

    close() {
      if (timer) clearTimeout(timer);
      unsubscribe();
      syncing.clear();
    },
  };
}
export type Fanout = ReturnType<typeof createFanout>;
