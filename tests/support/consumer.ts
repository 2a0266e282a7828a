// A screen-like consumer over a real socket.io-client: applies in order via the shared Sequencer,
// asks for a resync on gaps, and records every payload it received (for privacy checks).
import type { StreamEvent, Sync } from '#shared/protocol';
import { Sequencer } from '#shared/sequencer';
import { openSocket, type TestSocket } from './server';

export function consume(url: string, token = 'demo-viewer', lastSeq?: number) {
  const seq = new Sequencer();
  const applied: StreamEvent[] = [];
  const syncs: Sync[] = [];
  const raw: string[] = [];
  let resyncs = 0;
  let socket!: TestSocket;
  const state = {
    seq, applied, syncs, raw,
    get resyncs() { return resyncs; },
    get socket() { return socket; },
    connect(last = lastSeq) {
      socket = openSocket(url, { token, ...(last !== undefined ? { lastSeq: last } : {}) });
      socket.onAny((_name: string, payload: unknown) => raw.push(JSON.stringify(payload)));
      socket.on('sync', (s) => {
        syncs.push(s);
        seq.onSync(s);
        if (s.mode === 'snapshot') applied.length = 0;
      });
      socket.on('events', (batch, covers) => {
        const { fresh, gap } = seq.accept(batch, covers);
        applied.push(...fresh);
        if (gap) {
          resyncs++;
          socket.emit('stream:resync', { lastSeq: seq.applied }, () => undefined);
        }
      });
      return socket;
    },
    close() {
      socket?.close();
    },
  };
  return state;
}
