// Fan-out of stored events to screens. A client connects with a token and, when it has one, the
// last seq it applied; it gets a resume (the missed events, in order) or a snapshot, then live
// batches coalesced over the batch window, and a heartbeat carrying the latest seq.
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData, StreamEvent, Sync } from '../../../shared/src/protocol';
import { handshakeAuthSchema, resyncRequestSchema } from '../../../shared/src/protocolSchemas';
import { toShanghaiIso } from '../../../shared/src/time';
import type { Clock } from '../clock';
import type { EventStore, StoredEvent } from '../store/types';
import { toScreen } from './toScreen';

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface HubOptions {
  /** handshake token → role */
  tokens: ReadonlyMap<string, SocketData>;
  batchMs: number;
  heartbeatMs: number;
  resumeMaxEvents: number;
  snapshotEntities: number;
  /** Packets queued for one socket beyond which it is dropped (it reconnects and resumes). */
  maxSocketBuffer?: number;
}

const ROOM = 'screens';
const CHUNK = 1_000;
const RECENT = 50;
const MAX_PENDING = 10_000;

// engine.io keeps unsent packets in a per-connection buffer it does not expose in its types.
const queuedPackets = (socket: IoSocket) => (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;

export function createStreamHub(io: IoServer, store: EventStore, clock: Clock, opts: HubOptions) {
  let pending: StreamEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const maxSocketBuffer = opts.maxSocketBuffer ?? 5_000;

  let lastFlush = 0;

  function flush() {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    lastFlush = performance.now();
    io.to(ROOM).emit('events', batch);
  }

  // At most one batch per window, but no waiting after a quiet spell: the first commit after a
  // window has passed goes out at once, later ones coalesce until the window ends.
  const unsubscribe = store.onCommit((stored: StoredEvent[]) => {
    for (const s of stored) pending.push(toScreen(s));
    const wait = lastFlush + opts.batchMs - performance.now();
    if (pending.length >= MAX_PENDING || wait <= 0) flush();
    else timer ??= setTimeout(flush, wait);
  });

  function snapshot(socket: IoSocket) {
    const now = clock.now();
    const s = store.snapshot({ nowMs: now, entityLimit: opts.snapshotEntities, recentLimit: RECENT });
    socket.emit('sync', {
      mode: 'snapshot', seq: s.seq, serverTime: toShanghaiIso(now), rollups: s.rollups,
      historyFrom: s.historyFrom === null ? null : toShanghaiIso(s.historyFrom),
      recent: s.recent.map(toScreen), entities: s.entities, gauges: s.gauges,
    });
    socket.join(ROOM); // same tick as the read: every later commit reaches this socket
  }

  // A newer sync for the same socket (a resync request) ends an older resume still in progress.
  const generation = new WeakMap<IoSocket, number>();

  async function resume(socket: IoSocket, fromSeq: number, gen: number) {
    socket.emit('sync', { mode: 'resume', fromSeq, toSeq: store.latestSeq(), serverTime: toShanghaiIso(clock.now()) });
    let after = fromSeq;
    for (;;) {
      if (socket.disconnected || generation.get(socket) !== gen) return;
      const chunk = store.readAfter(after, CHUNK);
      if (chunk.length) {
        socket.emit('events', chunk.map(toScreen));
        after = chunk[chunk.length - 1]!.seq;
      }
      // Caught up: join in the same tick as the last read, so nothing falls between read and room.
      if (chunk.length < CHUNK) return void socket.join(ROOM);
      await new Promise((r) => setImmediate(r));
    }
  }

  function startSync(socket: IoSocket, lastSeq: number | undefined): Sync['mode'] {
    socket.leave(ROOM);
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
    next();
  });
  io.on('connection', (socket) => {
    socket.emit('session', { role: socket.data.role, name: socket.data.name });
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
    io.to(ROOM).emit('heartbeat', { seq: store.latestSeq(), serverTime: toShanghaiIso(now), gauges: store.gauges(now) });
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
