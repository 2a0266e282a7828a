// A naive screen for cluster tests: records every seq it is sent, across its connections, without
// dropping repeats (a client that counts what it receives must never see a seq twice). It moves to
// another node the way a screen does after its node died: with its last applied seq as the only cursor.
import type { Alarm } from '#shared/alarms';
import { openSocket, type TestSocket } from './server';

/** A screen on `url`; with `lastSeq`, one that resumes from there (as if it had applied up to it). */
export function watcher(url: string, token = 'demo-viewer', lastSeq?: number) {
  const w = {
    /** every seq received in event batches, in order of arrival, repeats kept */
    received: [] as number[],
    /** the seq its first snapshot stood at (events from there on are expected) */
    from: -1,
    /** the highest seq received so far (the cursor) */
    last: 0,
    raised: [] as Alarm[],
    /** the open alarms as last listed by the server */
    list: [] as Alarm[],
    updated: [] as Alarm[],
    listed: false,
    /** what a screen that resumes must never see (checked by the tests, not thrown inside a handler) */
    problems: [] as string[],
    socket: undefined as TestSocket | undefined,
    connect(to: string, lastSeq?: number) {
      const socket = openSocket(to, { token, ...(lastSeq !== undefined ? { lastSeq } : {}) });
      w.socket = socket;
      socket.on('sync', (s) => {
        if (s.mode === 'snapshot') {
          if (w.from >= 0) return void w.problems.push(`a second snapshot, at seq ${s.seq}: the watcher expected to resume from ${w.last}`);
          w.from = s.seq;
          w.last = s.seq;
        }
      });
      socket.on('events', (batch) => {
        for (const e of batch) {
          w.received.push(e.seq);
          w.last = Math.max(w.last, e.seq);
        }
      });
      socket.on('alarms', (list) => {
        w.list = list;
        w.listed = true;
      });
      socket.on('alarm:raised', (a) => w.raised.push(a));
      socket.on('alarm:updated', (a) => w.updated.push(a));
      return socket;
    },
    /** Moves to another node with the cursor, as the screen's reconnect does. */
    moveTo(to: string) {
      w.socket?.close();
      w.listed = false;
      return w.connect(to, w.last);
    },
    close: () => w.socket?.close(),
    /** Seqs received more than once. */
    repeats() {
      const seen = new Set<number>();
      return w.received.filter((s) => seen.size === seen.add(s).size);
    },
  };
  if (lastSeq !== undefined) [w.from, w.last] = [lastSeq, lastSeq];
  w.connect(url, lastSeq);
  return w;
}
export type Watcher = ReturnType<typeof watcher>;

/** Every seq in (from, to], exactly once, in order. */
export const expectedSeqs = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + 1 + i);
