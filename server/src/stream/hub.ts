// Fan-out of stored events to screens. A client connects with a token and, when it has one, the
// last seq it applied; it gets a resume (the missed events, in order) or a snapshot, then live
// batches coalesced over the batch window, and a heartbeat carrying the latest seq.
// Three-level screens: a screen is in the room of its place (`place:town`, `place:A2`, …) and gets
// that place's events, figures and gauges only; every batch says which seqs it covers (SeqRange),
// so a screen bound to a place can tell the seqs of other places from lost ones.
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, SeqRange, ServerToClientEvents, SocketData, StreamEvent, Sync } from '#shared/protocol';
import { handshakeAuthSchema, resyncRequestSchema } from '#shared/protocolSchemas';
import { TOWN_PLACE } from '#shared/model/places';
import { toShanghaiIso } from '#shared/time';
import { streamRoom, type PlaceScope } from '../access/placeScope';
import type { Clock } from '../clock';
import type { EventStore, StoredEvent } from '../store/types';
import { toScreen } from './toScreen';

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface HubOptions {
  /** handshake token → role, holder and place ('town' or the place the token is bound to) */
  tokens: ReadonlyMap<string, SocketData & { place: string }>;
  scope: PlaceScope;
  batchMs: number;
  heartbeatMs: number;
  resumeMaxEvents: number;
  snapshotEntities: number;
  /** Packets queued for one socket beyond which it is dropped (it reconnects and resumes). */
  maxSocketBuffer?: number;
}

const CHUNK = 1_000;
/** Latest events in a snapshot: the feed's first lines (it asks /api/v1/feed for more when a view needs them). */
const RECENT = 20;
const MAX_PENDING = 10_000;
/** A bound screen's snapshot picks its place's share from this many town-wide candidates at most. */
const MAX_SNAPSHOT_READ = 20_000;
const ROOM_PREFIX = streamRoom('');

const placeOf = (socket: IoSocket) => socket.data.place ?? TOWN_PLACE;

// engine.io keeps unsent packets in a per-connection buffer it does not expose in its types.
const queuedPackets = (socket: IoSocket) => (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;

export function createStreamHub(io: IoServer, store: EventStore, clock: Clock, opts: HubOptions) {
  const { scope } = opts;
  let pending: StoredEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const maxSocketBuffer = opts.maxSocketBuffer ?? 5_000;

  let lastFlush = 0;
  /** The last seq sent out live (every commit up to it has been flushed). */
  let flushedTo = store.latestSeq();
  /**
   * Per place room, the seq up to which its screens have been sent every event of the place: the
   * next batch covers from there, so a batch's range joins the previous one even when flushes in
   * between had nothing for the place (its screens' Sequencer sees no gap).
   */
  const coveredTo = new Map<string, number>();
  const rooms = io.sockets.adapter.rooms;
  /** Connected screens bound to a place: while there are none, a flush goes to the town's room alone, as before places. */
  let boundScreens = 0;

  /** The event as a screen of `place` gets it: the town's unchanged, a bound place's with its own counters only. */
  const forPlace = (place: string, s: StoredEvent, screen = toScreen(s)): StreamEvent =>
    place === TOWN_PLACE ? screen : { ...screen, delta: scope.deltaFor(place, s.delta, s.event) };
  /** Whether an event concerns a place: located there, or changing its counters (an entity that moved away). */
  const concerns = (place: string, s: StoredEvent) => place === TOWN_PLACE || scope.placesTouched(s.delta, s.event).has(place);

  function send(place: string, events: StreamEvent[], range: SeqRange) {
    const room = streamRoom(place);
    const covered = coveredTo.get(room) ?? range.fromSeq - 1;
    coveredTo.set(room, Math.max(covered, range.toSeq));
    io.to(room).emit('events', events, { fromSeq: Math.min(covered + 1, range.fromSeq), toSeq: range.toSeq });
  }

  function flush() {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    lastFlush = performance.now();
    const range = { fromSeq: batch[0]!.seq, toSeq: batch[batch.length - 1]!.seq };
    if (io.sockets.sockets.size === 0) {
      // No screen connected (a first start's backfill): nothing to mask or encode; a screen that
      // joins later starts its coverage where it joins.
      coveredTo.clear();
      flushedTo = range.toSeq;
      return;
    }
    // Each event once per room: the town's room gets the whole batch, a bound place's room (when a
    // screen is in it) the sub-batch of its events. A screen is in exactly one room.
    const screen = batch.map((s) => toScreen(s));
    const byPlace = new Map<string, StreamEvent[]>([[TOWN_PLACE, screen]]);
    if (boundScreens > 0) batch.forEach((s, i) => {
      for (const place of scope.placesTouched(s.delta, s.event)) {
        if (place === TOWN_PLACE || !rooms.has(streamRoom(place))) continue;
        let list = byPlace.get(place);
        if (!list) byPlace.set(place, (list = []));
        list.push(forPlace(place, s, screen[i]));
      }
    });
    for (const [place, events] of byPlace) send(place, events, range);
    flushedTo = range.toSeq;
  }

  // At most one batch per window, but no waiting after a quiet spell: the first commit after a
  // window has passed goes out at once, later ones coalesce until the window ends.
  const unsubscribe = store.onCommit((stored: StoredEvent[]) => {
    for (const s of stored) pending.push(s);
    const wait = lastFlush + opts.batchMs - performance.now();
    if (pending.length >= MAX_PENDING || wait <= 0) flush();
    else timer ??= setTimeout(flush, wait);
  });

  /**
   * Into the room of the socket's place, in the same tick as its last read: every later commit
   * reaches it. What waits in the batch window was committed before that read, so it is in the
   * snapshot or the resume already: it goes out first, to the screens in the room before this one,
   * or the newcomer would get those seqs twice.
   */
  function join(socket: IoSocket) {
    flush();
    const room = streamRoom(placeOf(socket));
    // A room new (or empty) since its last batch: its coverage starts where the joining screen stands.
    if (!coveredTo.has(room)) coveredTo.set(room, store.latestSeq());
    socket.join(room);
  }

  function snapshot(socket: IoSocket) {
    const now = clock.now();
    const place = placeOf(socket);
    const bound = place !== TOWN_PLACE;
    // A bound place's share of the town's snapshot: its counters and gauges, and its entities and
    // latest events picked from a larger town-wide read (the store reads the town, not a place).
    const s = store.snapshot({
      nowMs: now,
      entityLimit: bound ? Math.min(MAX_SNAPSHOT_READ, opts.snapshotEntities * 10) : opts.snapshotEntities,
      recentLimit: bound ? RECENT * 20 : RECENT,
    });
    socket.emit('sync', {
      mode: 'snapshot', seq: s.seq, serverTime: toShanghaiIso(now), rollups: scope.rollupsFor(place, s.rollups),
      recent: (bound ? s.recent.filter((e) => concerns(place, e)).slice(-RECENT) : s.recent).map((e) => forPlace(place, e)),
      entities: bound ? s.entities.filter((e) => scope.entityIn(place, e)).slice(0, opts.snapshotEntities) : s.entities,
      gauges: scope.gaugesFor(place, s.gauges),
    });
    join(socket);
  }

  // A newer sync for the same socket (a resync request) ends an older resume still in progress.
  const generation = new WeakMap<IoSocket, number>();

  async function resume(socket: IoSocket, fromSeq: number, gen: number) {
    socket.emit('sync', { mode: 'resume', fromSeq, toSeq: store.latestSeq(), serverTime: toShanghaiIso(clock.now()) });
    const place = placeOf(socket);
    let after = fromSeq;
    for (;;) {
      if (socket.disconnected || generation.get(socket) !== gen) return;
      const chunk = store.readAfter(after, CHUNK);
      if (chunk.length) {
        // Each chunk covers the seqs read, whether or not any of them are the place's.
        const covers = { fromSeq: after + 1, toSeq: chunk[chunk.length - 1]!.seq };
        socket.emit('events', chunk.filter((s) => concerns(place, s)).map((s) => forPlace(place, s)), covers);
        after = covers.toSeq;
      }
      // Caught up: join in the same tick as the last read, so nothing falls between read and room.
      if (chunk.length < CHUNK) return void join(socket);
      await new Promise((r) => setImmediate(r));
    }
  }

  function startSync(socket: IoSocket, lastSeq: number | undefined): Sync['mode'] {
    socket.leave(streamRoom(placeOf(socket)));
    const gen = (generation.get(socket) ?? 0) + 1;
    generation.set(socket, gen);
    const latest = store.latestSeq();
    const resumable =
      lastSeq !== undefined && lastSeq <= latest && lastSeq >= store.oldestSeq() - 1 && latest - lastSeq <= opts.resumeMaxEvents;
    if (!resumable) {
      snapshot(socket);
      return 'snapshot';
    }
    resume(socket, lastSeq, gen).catch(() => socket.disconnect(true));
    return 'resume';
  }

  io.use((socket, next) => {
    const auth = handshakeAuthSchema.safeParse(socket.handshake.auth);
    const who = auth.success ? opts.tokens.get(auth.data.token) : undefined;
    if (!who) return next(new Error('unauthorized'));
    socket.data.role = who.role;
    socket.data.name = who.name;
    if (who.place !== TOWN_PLACE) socket.data.place = who.place;
    next();
  });
  io.on('connection', (socket) => {
    const { role, name, place } = socket.data;
    socket.emit('session', place ? { role, name, place } : { role, name });
    if (place) {
      boundScreens++;
      socket.on('disconnect', () => void boundScreens--);
    }
    const auth = handshakeAuthSchema.parse(socket.handshake.auth);
    startSync(socket, auth.lastSeq);
    socket.on('stream:resync', (req, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = resyncRequestSchema.safeParse(req);
      if (!parsed.success) return ack({ ok: false, error: `invalid request: ${parsed.error.issues[0]?.path.join('.') || 'body'}` });
      ack({ ok: true, data: { mode: startSync(socket, parsed.data.lastSeq) } });
    });
  });

  const beat = setInterval(() => {
    flush(); // the heartbeat's seq must never run ahead of what was sent
    const now = clock.now();
    const base = { seq: store.latestSeq(), serverTime: toShanghaiIso(now) };
    const gauges = store.gauges(now);
    for (const room of [...rooms.keys()]) {
      if (!room.startsWith(ROOM_PREFIX)) continue;
      const place = room.slice(ROOM_PREFIX.length);
      // A place with nothing since its last batch: an empty batch moves its screens up to what was sent.
      const covered = coveredTo.get(room) ?? flushedTo;
      if (covered < flushedTo) send(place, [], { fromSeq: covered + 1, toSeq: flushedTo });
      io.to(room).emit('heartbeat', { ...base, gauges: scope.gaugesFor(place, gauges) });
    }
    for (const socket of io.sockets.sockets.values()) if (queuedPackets(socket) > maxSocketBuffer) socket.disconnect(true);
  }, opts.heartbeatMs);

  return {
    flush,
    close() {
      clearInterval(beat);
      if (timer) clearTimeout(timer);
      unsubscribe();
    },
  };
}
