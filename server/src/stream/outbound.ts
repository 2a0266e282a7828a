// What a socket has been handed but not yet written to its transport, counted through engine.io's
// public `packetCreate` and `flush` events: a packet waits in the connection's buffer while the
// transport is still busy with the previous write, i.e. while the client is not reading. A screen
// over its byte budget, or with data waiting longer than its lag budget, is dropped whatever its
// pings say; a resume waits for the buffer to drain before it reads on (docs/architecture.md,
// "Bounded cost per connection").
import { Emitter } from '#shared/emitter';
import type { IoSocket } from './io';
import { until } from './until';

export interface OutboundLimits {
  /** Characters waiting for one socket beyond which it is dropped. */
  maxBytes: number;
  /** How long data may wait for one socket before it is dropped. */
  maxLagMs: number;
}

/**
 * Disconnects and closes the connection without waiting to flush: a plain close waits for the
 * buffered packets to drain, which a client that does not read never lets happen.
 */
function discard(socket: IoSocket) {
  socket.disconnect(true);
  socket.conn.close(true);
}

/** Length of a packet's payload: characters of the encoded string (bytes for binary). */
const sizeOf = (data: unknown): number =>
  typeof data === 'string' ? data.length : data instanceof Uint8Array || data instanceof ArrayBuffer ? data.byteLength : 0;

export interface Outbound {
  /** Characters handed to the connection and not yet flushed to its transport. */
  queued(): number;
  /** How long the oldest waiting data has waited (0 when nothing waits). */
  lagMs(now: number): number;
  /** Resolves true once at most `bytes` wait, false when the socket is dropped or `timeoutMs` passes first. */
  drained(bytes: number, timeoutMs: number): Promise<boolean>;
}

export function watchOutbound(socket: IoSocket, limits: OutboundLimits, onOver: (why: 'bytes' | 'lag') => void): Outbound {
  let queued = 0;
  let waitingSince = 0;
  /** drained()'s checks, after each flush and on disconnect (a check only compares numbers). */
  const changed = new Emitter<[]>(() => undefined);
  const conn = socket.conn;
  let dropped = false;
  const drop = (why: 'bytes' | 'lag') => {
    if (dropped) return;
    dropped = true;
    onOver(why);
    discard(socket);
  };
  conn.on('packetCreate', (packet: { data?: unknown }) => {
    queued += sizeOf(packet.data);
    if (waitingSince === 0) waitingSince = performance.now();
    // Out of the emit that created the packet: disconnecting inside it would re-enter the emitter.
    if (queued > limits.maxBytes) setImmediate(() => drop('bytes'));
  });
  conn.on('flush', (packets: Array<{ data?: unknown }>) => {
    for (const p of packets) queued -= sizeOf(p.data);
    if (queued <= 0) [queued, waitingSince] = [0, 0];
    changed.emit();
  });
  socket.on('disconnect', () => {
    dropped = true;
    changed.emit();
    changed.clear();
  });

  const lagMs = (now: number) => (waitingSince === 0 ? 0 : now - waitingSince);
  return {
    queued: () => queued,
    lagMs,
    async drained(bytes, timeoutMs) {
      if (dropped) return false;
      const ok = await until(changed, () => dropped || queued <= bytes, timeoutMs);
      if (!ok) drop('lag');
      return ok && !dropped;
    },
  };
}

/** Drops, among the sockets given, those whose data has waited longer than the lag budget. */
export function dropLagging(outbound: ReadonlyMap<IoSocket, Outbound>, limits: OutboundLimits, now = performance.now(), onDrop: () => void = () => undefined) {
  for (const [socket, o] of outbound) {
    if (o.lagMs(now) <= limits.maxLagMs) continue;
    onDrop();
    discard(socket);
  }
}
