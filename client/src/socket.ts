// The one typed socket of the screen. Every (re)connection sends the token and the last applied
// seq, so the server resumes where this screen stopped (or sends a snapshot). Nothing here
// throws into socket.io: failures become the stream store's link state.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents } from '#shared/protocol';
import type { AlarmStore } from './stores/alarms';
import type { SessionStore } from './stores/session';
import type { StreamStore } from './stores/stream';

const ACK_TIMEOUT_MS = 10_000;

export type ScreenSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Optional consumers of the officer side of the protocol (who we are, alarms). */
export interface SocketConsumers {
  session?: SessionStore;
  alarms?: AlarmStore;
}

export function connectStream(stream: StreamStore, token: string, heartbeatMs: number, consumers: SocketConsumers = {}): () => void {
  const socket: ScreenSocket = io({
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    randomizationFactor: 0.3,
    timeout: 10_000,
    auth: (cb) => {
      const lastSeq = stream.appliedSeq();
      const auth: HandshakeAuth = lastSeq >= 0 ? { token, lastSeq } : { token };
      cb(auth);
    },
  });
  let retry: ReturnType<typeof setTimeout> | undefined;

  stream.start({
    heartbeatMs,
    onResync: (lastSeq) => {
      if (!socket.connected) return; // the reconnect handshake carries lastSeq anyway
      socket.timeout(10_000).emit('stream:resync', lastSeq === undefined ? {} : { lastSeq }, (err, res) => {
        if (err || !res.ok) socket.disconnect().connect(); // start over with a fresh handshake
      });
    },
  });

  socket.on('connect', () => stream.setLink('connected'));
  socket.on('disconnect', (reason) => {
    stream.setLink('disconnected');
    // The server dropped us on purpose (e.g. too slow to keep up): socket.io would not retry.
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1_000);
  });
  socket.on('connect_error', (err) => {
    if (socket.active) return stream.setLink('disconnected'); // socket.io retries by itself
    // Too many connections with this token at once (a wall of screens after a restart): try again
    // when the server says, spread out so the screens do not come back all together.
    const wait = /^rate_limited: .*retry in (\d+) s/.exec(err.message);
    if (wait) {
      stream.setLink('disconnected');
      clearTimeout(retry);
      retry = setTimeout(() => socket.connect(), Number(wait[1]) * 1_000 + Math.random() * 3_000);
      return;
    }
    // Refused by the server (bad token): show it, and try again later in case it gets fixed.
    stream.setLink('error', err.message);
    clearTimeout(retry);
    retry = setTimeout(() => socket.connect(), 30_000);
  });
  socket.on('sync', (s) => stream.handleSync(s));
  socket.on('events', (batch, covers) => stream.handleEvents(batch, covers));
  socket.on('heartbeat', (b) => stream.handleHeartbeat(b));

  const { session, alarms } = consumers;
  if (session) socket.on('session', (who) => session.setSession(who));
  if (alarms) {
    socket.on('alarms', (list) => alarms.handleList(list));
    socket.on('alarm:raised', (a) => alarms.handleRaised(a));
    socket.on('alarm:updated', (a) => alarms.handleUpdated(a));
    alarms.setSender((req) => new Promise((resolve) => {
      socket.timeout(ACK_TIMEOUT_MS).emit('alarm:ack', req, (err, res) => resolve(err ? { ok: false, error: 'timeout: no answer from the server' } : res));
    }));
  }

  return () => {
    clearTimeout(retry);
    alarms?.setSender(null);
    alarms?.stop();
    stream.stop();
    socket.removeAllListeners();
    socket.disconnect();
  };
}
