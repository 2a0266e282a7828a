// Screens on this node: a client connects with a token and, when it has one, the last seq it applied;
// it gets a resume (the missed events, in order) or a snapshot, then live batches (fanout.ts), and a
// heartbeat carrying the seq sent up to. The client's lastSeq is the only cursor, good on any node.
// Sync without duplicates: while the snapshot or resume is read, the live batches meant for the
// socket are buffered; what the read did not cover is sent from the buffer, then it goes live.
// Three-level screens: a screen is in the room of its place (`place:town`, `place:A2`, …) and gets
// that place's events, figures and gauges only; every batch says which seqs it covers (SeqRange).
import type { Response, SocketData, Sync } from '#shared/protocol';
import { handshakeAuthSchema, resyncRequestSchema } from '#shared/protocolSchemas';
import { TOWN_PLACE } from '#shared/model/places';
import { toShanghaiIso } from '#shared/time';
import { streamRoom, type PlaceScope } from '../access/placeScope';
import type { Clock } from '../clock';
import type { StreamMetrics } from '../metrics/metrics';
import type { Store, StoredEvent } from '../store/types';
import { createFanout, SyncAborted } from './fanout';
import type { IoServer, IoSocket } from './io';
import { dropLagging, watchOutbound, type Outbound, type OutboundLimits } from './outbound';
import { tokenBuckets, type Rate } from './rate';
import type { Today } from './today';


export interface HubOptions {
  /** handshake token → role, holder and place ('town' or the place the token is bound to) */
  tokens: ReadonlyMap<string, SocketData & { place: string }>;
  scope: PlaceScope;
  batchMs: number;
  heartbeatMs: number;
  resumeMaxEvents: number;
  snapshotEntities: number;
  /** Sent to a new socket after `session` and before its `sync` (the open alarms); never rejects. */
  greet?: (socket: IoSocket) => Promise<void>;
  /** Byte and lag budgets of one socket, beyond which it is dropped (it reconnects and resumes). */
  outbound?: OutboundLimits;
  /** Resyncs one socket may ask for, and connections one token may open. */
  resyncRate?: Rate;
  connectRate?: Rate;
  metrics?: StreamMetrics;
}

const CHUNK = 1_000;
/** Latest events in a snapshot: the feed's first lines (it asks /api/v1/feed for more when a view needs them). */
const RECENT = 20;
/** How long a sync waits for this node's feed to reach a seq the client or the day's counters already have. */
const CATCH_UP_MS = 5_000;
/** A bound screen's snapshot picks its place's share from this many town-wide candidates at most. */
const MAX_SNAPSHOT_READ = 20_000;

type Ack = (res: Response<{ mode: Sync['mode'] }>) => void;

const placeOf = (socket: IoSocket) => socket.data.place ?? TOWN_PLACE;

/** Defaults of the per-connection budgets (docs/architecture.md, "Bounded cost per connection"). */
// 32 MB is ~45,000 events waiting (45 s at 1,000 events/s): screens that catch up after a burst
// keep their stream; a client that stopped reading is dropped long before it costs much.
export const OUTBOUND: OutboundLimits = { maxBytes: 32_000_000, maxLagMs: 30_000 };
export const RESYNC_RATE: Rate = { burst: 3, everyMs: 5_000 };
export const CONNECT_RATE: Rate = { burst: 1_000, everyMs: 10 };
/** A resume reads its next chunk once at most this much of the previous ones waits for the socket. */
const RESUME_IN_FLIGHT = 500_000;

export function createStreamHub(io: IoServer, store: Store, today: Today, clock: Clock, opts: HubOptions) {
  const { scope } = opts;
  const limits = opts.outbound ?? OUTBOUND;
  const outbound = new Map<IoSocket, Outbound>();
  const resyncs = tokenBuckets<IoSocket>(opts.resyncRate ?? RESYNC_RATE);
  const connects = tokenBuckets<string>(opts.connectRate ?? CONNECT_RATE);
  const { metrics } = opts;
  const live = createFanout(io, store.feed, scope, opts.batchMs, metrics);
  let closed = false;

  /** Whether an event concerns a place: located there, or changing its counters (an entity that moved away). */
  const concerns = (place: string, s: StoredEvent) => place === TOWN_PLACE || scope.placesTouched(s.delta, s.event).has(place);

  // A newer sync for the same socket (a resync request) ends an older one still in progress.
  const generation = new WeakMap<IoSocket, number>();
  const current = (socket: IoSocket, gen: number) => {
    if (closed || socket.disconnected || generation.get(socket) !== gen) throw new SyncAborted();
    live.checkBuffer(socket, gen);
  };

  async function snapshot(socket: IoSocket, gen: number) {
    const now = clock.now();
    const place = placeOf(socket);
    const bound = place !== TOWN_PLACE;
    await today.ready(now);
    current(socket, gen);
    // The day's counters may be ahead of what this node has sent out (just loaded): wait for the feed.
    if (!(await live.caughtUp(today.seq(), CATCH_UP_MS))) throw new Error('the commit feed is behind the day counters');
    current(socket, gen);
    const seq = live.buffer(socket, gen, place);
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
      recent: (bound ? recent.filter((e) => concerns(place, e)).slice(-RECENT) : recent).map((e) => live.forPlace(place, e)),
      entities: bound ? entities.filter((e) => scope.entityIn(place, e)).slice(0, opts.snapshotEntities) : entities,
      gauges: scope.gaugesFor(place, gauges),
    });
    live.goLive(socket, gen, seq);
  }

  async function resume(socket: IoSocket, fromSeq: number, gen: number) {
    const place = placeOf(socket);
    const target = live.buffer(socket, gen, place);
    socket.emit('sync', { mode: 'resume', fromSeq, toSeq: target, serverTime: toShanghaiIso(clock.now()) });
    let after = fromSeq;
    while (after < target) {
      const chunk = await store.log.readAfter(after, CHUNK, target);
      current(socket, gen);
      if (chunk.length === 0) throw new Error(`the log has no events after ${after} up to ${target}`);
      // Retention deleted the bottom of the log since the mode was chosen: the screen reconnects with
      // its lastSeq and gets a snapshot, rather than counters missing what those events changed.
      if (chunk[0]!.seq !== after + 1) throw new Error(`the log no longer holds seq ${after + 1} (retention)`);
      // Each chunk covers the seqs read, whether or not any of them are the place's.
      const covers = { fromSeq: after + 1, toSeq: chunk[chunk.length - 1]!.seq };
      socket.emit('events', chunk.filter((s) => concerns(place, s)).map((s) => live.forPlace(place, s)), covers);
      after = covers.toSeq;
      // Back-pressure: the next chunk is read once this one is on its way (a client that does not read is
      // dropped), and after other sockets' and requests' turns (many resumes must not starve the loop).
      if (!(await outbound.get(socket)?.drained(RESUME_IN_FLIGHT, limits.maxLagMs) ?? false)) throw new SyncAborted();
      await new Promise((r) => setImmediate(r));
      current(socket, gen);
    }
    live.goLive(socket, gen, target);
  }

  /** Resume when the client's lastSeq can be resumed from here (waiting for this node's feed if it lags), else a snapshot. */
  async function chooseMode(lastSeq: number | undefined): Promise<Sync['mode']> {
    if (lastSeq === undefined) return 'snapshot';
    const { oldest, latest } = await store.log.bounds();
    if (lastSeq > latest || lastSeq < oldest - 1 || latest - lastSeq > opts.resumeMaxEvents) return 'snapshot';
    return (await live.caughtUp(lastSeq, CATCH_UP_MS)) ? 'resume' : 'snapshot';
  }

  async function startSync(socket: IoSocket, lastSeq: number | undefined): Promise<Sync['mode']> {
    socket.leave(streamRoom(placeOf(socket)));
    const gen = (generation.get(socket) ?? 0) + 1;
    generation.set(socket, gen);
    live.dropBuffer(socket);
    const mode = await chooseMode(lastSeq);
    current(socket, gen);
    const run = mode === 'resume' ? resume(socket, lastSeq!, gen) : snapshot(socket, gen);
    run.catch((err: unknown) => {
      live.dropBuffer(socket, gen);
      if (err instanceof SyncAborted) {
        // outgrew its buffer while syncing (a long read under heavy ingest): start over, unless superseded
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
    const wait = connects.take(auth.data!.token);
    if (wait > 0) return next(new Error(`rate_limited: too many connections with this token, retry in ${Math.ceil(wait / 1000)} s`));
    socket.data.role = who.role;
    socket.data.name = who.name;
    if (who.place !== TOWN_PLACE) socket.data.place = who.place;
    next();
  });
  // In this order: `session`, then what `greet` sends (the open alarms), then `sync` (README, socket protocol).
  io.on('connection', (socket) => {
    const { role, name, place } = socket.data;
    socket.emit('session', place ? { role, name, place } : { role, name });
    live.screenConnected(Boolean(place));
    outbound.set(socket, watchOutbound(socket, limits, () => metrics?.screenDropped()));
    socket.on('disconnect', () => {
      live.screenGone(socket, Boolean(place));
      outbound.delete(socket);
      resyncs.forget(socket);
    });
    const auth = handshakeAuthSchema.parse(socket.handshake.auth);
    socket.on('stream:resync', (...args: unknown[]) => {
      // Sent without a payload, the callback comes first: answer it rather than leave the client waiting.
      if (typeof args[0] === 'function')
        return (args[0] as Ack)({ ok: false, error: 'invalid request: stream:resync takes a payload {lastSeq?} before the callback' });
      const [req, ack] = args as [unknown, Ack | undefined];
      const parsed = resyncRequestSchema.safeParse(req);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return ack?.({ ok: false, error: `invalid ${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'expected {lastSeq?}'}` });
      }
      const wait = resyncs.take(socket);
      if (wait > 0) return ack?.({ ok: false, error: `rate_limited: too many resyncs, retry in ${Math.ceil(wait / 1000)} s` });
      startSync(socket, parsed.data.lastSeq).then(
        (mode) => {
          metrics?.synced(mode, 'resync');
          ack?.({ ok: true, data: { mode } });
        },
        (err: unknown) => ack?.({ ok: false, error: err instanceof SyncAborted ? 'superseded: a newer resync of this screen is under way' : 'unavailable: try again' }),
      );
    });
    void (opts.greet?.(socket) ?? Promise.resolve())
      .then(() => startSync(socket, auth.lastSeq))
      .then((mode) => auth.lastSeq !== undefined && metrics?.synced(mode, 'reconnect'))
      .catch(() => socket.disconnect(true));
  });

  async function heartbeat() {
    const now = clock.now();
    const gauges = await store.read.gauges(now);
    // The heartbeat's seq must never run ahead of what was sent: rooms are covered up to it first.
    live.coverRooms((room, place) => io.local.to(room).emit('heartbeat', { seq: live.flushedTo(), serverTime: toShanghaiIso(now), gauges: scope.gaugesFor(place, gauges) }));
    dropLagging(outbound, limits, performance.now(), () => metrics?.screenDropped());
  }
  let beating = false;
  const beat = setInterval(() => {
    if (beating) return;
    beating = true;
    heartbeat().catch((err: unknown) => console.error('[hub] heartbeat failed:', (err as Error).message)).finally(() => (beating = false));
  }, opts.heartbeatMs);

  return {
    flush: live.flush,
    /** The last seq sent out to this node's screens. */
    deliveredTo: live.flushedTo,
    close() {
      closed = true;
      clearInterval(beat);
      live.close();
    },
  };
}
