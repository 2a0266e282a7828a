// Fan-out of stored events to this node's screens. A client connects with a token and, when it has
// one, the last seq it applied; it gets a resume (the missed events, in order) or a snapshot, then live
// batches coalesced over the batch window, and a heartbeat carrying the latest seq.
// Events come from the commit feed (every commit of the cluster, in seq order) and go to this node's
// sockets only (io.local): every node delivers from the database, so delivery needs no Redis and a
// client's lastSeq is the only cursor, good on any node (docs/architecture.md, "Delivery").
// Sync without duplicates: while a socket's snapshot or resume is read, the live batches meant for it
// are buffered; what the read did not cover is sent from the buffer, then the socket goes live.
// Three-level screens: a screen is in the room of its place (`place:town`, `place:A2`, …) and gets
// that place's events, figures and gauges only; every batch says which seqs it covers (SeqRange).
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, SeqRange, ServerToClientEvents, SocketData, StreamEvent, Sync } from '#shared/protocol';
import { handshakeAuthSchema, resyncRequestSchema } from '#shared/protocolSchemas';
import { TOWN_PLACE } from '#shared/model/places';
import { toShanghaiIso } from '#shared/time';
import { streamRoom, type PlaceScope } from '../access/placeScope';
import type { Clock } from '../clock';
import type { Store, StoredEvent } from '../store/types';
import type { Today } from './today';
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
/** Live events buffered for one syncing socket at most; beyond, its sync starts over (a bound buffer). */
const MAX_SYNC_BUFFER = 50_000;
/** How long a sync waits for this node's feed to reach a seq the client or the day's counters already have. */
const CATCH_UP_MS = 5_000;
/** A bound screen's snapshot picks its place's share from this many town-wide candidates at most. */
const MAX_SNAPSHOT_READ = 20_000;
const ROOM_PREFIX = streamRoom('');

const placeOf = (socket: IoSocket) => socket.data.place ?? TOWN_PLACE;

// engine.io keeps unsent packets in a per-connection buffer it does not expose in its types.
const queuedPackets = (socket: IoSocket) => (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;

/** A socket between the start of its sync and going live: the live batches it would have had. */
interface Syncing {
  gen: number;
  place: string;
  events: StreamEvent[];
  toSeq: number;
  overflow: boolean;
}

class SyncAborted extends Error {}

export function createStreamHub(io: IoServer, store: Store, today: Today, clock: Clock, opts: HubOptions) {
  const { scope } = opts;
  let pending: StoredEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const maxSocketBuffer = opts.maxSocketBuffer ?? 5_000;

  let lastFlush = 0;
  /** The last seq sent out live (every event of the feed up to it has been flushed). */
  let flushedTo = store.feed.position();
  /**
   * Per place room, the seq up to which its screens have been sent every event of the place: the
   * next batch covers from there, so a batch's range joins the previous one even when flushes in
   * between had nothing for the place (its screens' Sequencer sees no gap).
   */
  const coveredTo = new Map<string, number>();
  const rooms = io.of('/').adapter.rooms;
  const syncing = new Map<IoSocket, Syncing>();
  const waiters = new Set<() => void>();
  /** Connected screens bound to a place: while there are none, a flush goes to the town's room alone. */
  let boundScreens = 0;
  let closed = false;

  /** The event as a screen of `place` gets it: the town's unchanged, a bound place's with its own counters only. */
  const forPlace = (place: string, s: StoredEvent, screen = toScreen(s)): StreamEvent =>
    place === TOWN_PLACE ? screen : { ...screen, delta: scope.deltaFor(place, s.delta, s.event) };
  /** Whether an event concerns a place: located there, or changing its counters (an entity that moved away). */
  const concerns = (place: string, s: StoredEvent) => place === TOWN_PLACE || scope.placesTouched(s.delta, s.event).has(place);

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
    lastFlush = performance.now();
    const range = { fromSeq: batch[0]!.seq, toSeq: batch[batch.length - 1]!.seq };
    flushedTo = range.toSeq;
    for (const w of [...waiters]) w();
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
    for (const s of syncing.values()) {
      const events = byPlace.get(s.place) ?? [];
      s.toSeq = range.toSeq;
      if (s.overflow || s.events.length + events.length > MAX_SYNC_BUFFER) [s.overflow, s.events] = [true, []];
      else for (const e of events) s.events.push(e);
    }
  }

  // At most one batch per window, but no waiting after a quiet spell: the first commit after a
  // window has passed goes out at once, later ones coalesce until the window ends.
  const unsubscribe = store.feed.subscribe((stored: StoredEvent[]) => {
    for (const s of stored) pending.push(s);
    const wait = lastFlush + opts.batchMs - performance.now();
    if (pending.length >= MAX_PENDING || wait <= 0) flush();
    else timer ??= setTimeout(flush, wait);
  });

  /** Resolves once this node has sent out every event up to `seq` (false when it does not within the wait). */
  function caughtUp(seq: number, waitMs = CATCH_UP_MS): Promise<boolean> {
    flush();
    if (flushedTo >= seq) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(t);
        waiters.delete(check);
        resolve(ok);
      };
      const check = () => {
        if (flushedTo >= seq) done(true);
      };
      const t = setTimeout(() => done(false), waitMs);
      waiters.add(check);
      // what has reached the feed but waits in the batch window counts too
      setImmediate(() => {
        flush();
        check();
      });
    });
  }

  // A newer sync for the same socket (a resync request) ends an older one still in progress.
  const generation = new WeakMap<IoSocket, number>();
  const current = (socket: IoSocket, gen: number) => {
    if (closed || socket.disconnected || generation.get(socket) !== gen) throw new SyncAborted();
    const s = syncing.get(socket);
    if (s?.gen === gen && s.overflow) throw new SyncAborted();
  };

  /** From here on, the live batches for the socket are kept until it goes live. */
  function buffer(socket: IoSocket, gen: number) {
    flush();
    syncing.set(socket, { gen, place: placeOf(socket), events: [], toSeq: flushedTo, overflow: false });
    return flushedTo;
  }

  /** Sends what was buffered beyond `sentTo` and puts the socket in its room: live from here. */
  function goLive(socket: IoSocket, gen: number, sentTo: number) {
    const s = syncing.get(socket);
    syncing.delete(socket);
    if (!s || s.gen !== gen || s.overflow) throw new SyncAborted();
    if (s.toSeq > sentTo) socket.emit('events', s.events.filter((e) => e.seq > sentTo), { fromSeq: sentTo + 1, toSeq: s.toSeq });
    const room = streamRoom(s.place);
    // A room new (or empty) since its last batch: its coverage starts where the joining screen stands.
    if (!coveredTo.has(room) || !rooms.has(room)) coveredTo.set(room, Math.max(s.toSeq, sentTo));
    socket.join(room);
  }

  async function snapshot(socket: IoSocket, gen: number) {
    const now = clock.now();
    const place = placeOf(socket);
    const bound = place !== TOWN_PLACE;
    await today.ready(now);
    current(socket, gen);
    // The day's counters may be ahead of what this node has sent out (just loaded): wait for the feed.
    if (!(await caughtUp(today.seq()))) throw new Error('the commit feed is behind the day counters');
    current(socket, gen);
    const seq = buffer(socket, gen);
    const rollups = scope.rollupsFor(place, today.rollups(now));
    // A bound place's share of the town's: its entities and latest events picked from a larger town-wide read.
    const [entities, recent, gauges] = await Promise.all([
      store.read.activeEntities(now, bound ? Math.min(MAX_SNAPSHOT_READ, opts.snapshotEntities * 10) : opts.snapshotEntities),
      store.read.recent(bound ? RECENT * 20 : RECENT, seq),
      store.read.gauges(now),
    ]);
    current(socket, gen);
    socket.emit('sync', {
      mode: 'snapshot', seq, serverTime: toShanghaiIso(now), rollups,
      recent: (bound ? recent.filter((e) => concerns(place, e)).slice(-RECENT) : recent).map((e) => forPlace(place, e)),
      entities: bound ? entities.filter((e) => scope.entityIn(place, e)).slice(0, opts.snapshotEntities) : entities,
      gauges: scope.gaugesFor(place, gauges),
    });
    goLive(socket, gen, seq);
  }

  async function resume(socket: IoSocket, fromSeq: number, gen: number) {
    const place = placeOf(socket);
    const target = buffer(socket, gen);
    socket.emit('sync', { mode: 'resume', fromSeq, toSeq: target, serverTime: toShanghaiIso(clock.now()) });
    let after = fromSeq;
    while (after < target) {
      const chunk = await store.log.readAfter(after, CHUNK, target);
      current(socket, gen);
      if (chunk.length === 0) throw new Error(`the log has no events after ${after} up to ${target}`);
      // Each chunk covers the seqs read, whether or not any of them are the place's.
      const covers = { fromSeq: after + 1, toSeq: chunk[chunk.length - 1]!.seq };
      socket.emit('events', chunk.filter((s) => concerns(place, s)).map((s) => forPlace(place, s)), covers);
      after = covers.toSeq;
    }
    goLive(socket, gen, target);
  }

  /** Resume when the client's lastSeq can be resumed from here (waiting for this node's feed if it lags), else a snapshot. */
  async function chooseMode(lastSeq: number | undefined): Promise<Sync['mode']> {
    if (lastSeq === undefined) return 'snapshot';
    const { oldest, latest } = await store.log.bounds();
    if (lastSeq > latest || lastSeq < oldest - 1 || latest - lastSeq > opts.resumeMaxEvents) return 'snapshot';
    return (await caughtUp(lastSeq)) ? 'resume' : 'snapshot';
  }

  async function startSync(socket: IoSocket, lastSeq: number | undefined): Promise<Sync['mode']> {
    socket.leave(streamRoom(placeOf(socket)));
    const gen = (generation.get(socket) ?? 0) + 1;
    generation.set(socket, gen);
    syncing.delete(socket);
    const mode = await chooseMode(lastSeq);
    current(socket, gen);
    const run = mode === 'resume' ? resume(socket, lastSeq!, gen) : snapshot(socket, gen);
    run.catch((err: unknown) => {
      if (syncing.get(socket)?.gen === gen) syncing.delete(socket);
      if (err instanceof SyncAborted) {
        // overflowed while syncing (a long read under heavy ingest): start over, unless superseded
        if (!closed && socket.connected && generation.get(socket) === gen) void startSync(socket, undefined).catch(() => socket.disconnect(true));
        return;
      }
      console.error('[hub] sync failed:', (err as Error).message);
      socket.disconnect(true); // it reconnects and resumes with its lastSeq
    });
    return mode;
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
    if (place) boundScreens++;
    socket.on('disconnect', () => {
      if (place) boundScreens--;
      syncing.delete(socket);
    });
    const auth = handshakeAuthSchema.parse(socket.handshake.auth);
    startSync(socket, auth.lastSeq).catch(() => socket.disconnect(true));
    socket.on('stream:resync', (req, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = resyncRequestSchema.safeParse(req);
      if (!parsed.success) return ack({ ok: false, error: `invalid request: ${parsed.error.issues[0]?.path.join('.') || 'body'}` });
      startSync(socket, parsed.data.lastSeq).then(
        (mode) => ack({ ok: true, data: { mode } }),
        () => ack({ ok: false, error: 'unavailable: try again' }),
      );
    });
  });

  let beating = false;
  const beat = setInterval(() => {
    if (beating) return;
    beating = true;
    heartbeat().catch((err: unknown) => console.error('[hub] heartbeat failed:', (err as Error).message)).finally(() => (beating = false));
  }, opts.heartbeatMs);

  async function heartbeat() {
    const now = clock.now();
    const gauges = await store.read.gauges(now);
    flush(); // the heartbeat's seq must never run ahead of what was sent
    const base = { seq: flushedTo, serverTime: toShanghaiIso(now) };
    for (const room of [...rooms.keys()]) {
      if (!room.startsWith(ROOM_PREFIX)) continue;
      const place = room.slice(ROOM_PREFIX.length);
      // A place with nothing since its last batch: an empty batch moves its screens up to what was sent.
      const covered = coveredTo.get(room) ?? flushedTo;
      if (covered < flushedTo) send(place, [], { fromSeq: covered + 1, toSeq: flushedTo });
      io.local.to(room).emit('heartbeat', { ...base, gauges: scope.gaugesFor(place, gauges) });
    }
    for (const socket of io.of('/').sockets.values()) if (queuedPackets(socket) > maxSocketBuffer) socket.disconnect(true);
  }

  return {
    flush,
    /** The last seq sent out to this node's screens. */
    deliveredTo: () => flushedTo,
    close() {
      closed = true;
      clearInterval(beat);
      if (timer) clearTimeout(timer);
      unsubscribe();
      syncing.clear();
    },
  };
}
