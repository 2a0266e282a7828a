// The commit feed on PostgreSQL: every committed batch, whichever node committed it, delivered to
// this node's listeners in seq order, each seq once. Woken by NOTIFY and by a poll (a notification
// lost only delays), one read loop at a time reads forward from position() until caught up. This
// node's own commits go straight to the listeners when they continue the feed (no read).
import { Emitter } from '#shared/emitter';
import type { CommitFeed, StoredEvent } from '../types';

const CHUNK = 1_000;

export interface PostgresFeed extends CommitFeed {
  /** A hint that something may have committed (NOTIFY with its last seq, a reconnection, a poll). */
  wake(latest?: number): void;
  /** This node's own commit: delivered at once when it starts at position() + 1, else read. */
  committed(events: StoredEvent[]): void;
  close(): Promise<void>;
}

export function createFeed(opts: {
  start: number; pollMs: number;
  readAfter(afterSeq: number, limit: number): Promise<StoredEvent[]>;
}): PostgresFeed {
  const { readAfter, pollMs } = opts;
  let position = opts.start;
  const listeners = new Emitter<[StoredEvent[]]>(() => {
    // a listener's failure must not stop the feed for the others
  });
  let reading: Promise<void> | undefined;
  let again = false;
  let closed = false;

  /** Delivers what continues the feed (seqs already delivered are dropped); false when it would leave a hole. */
  function deliver(events: StoredEvent[]): boolean {
    let i = 0;
    while (i < events.length && events[i]!.seq <= position) i += 1;
    if (i === events.length) return true;
    if (events[i]!.seq !== position + 1) return false;
    const fresh = i === 0 ? events : events.slice(i);
    position = fresh.at(-1)!.seq;
    listeners.emit(fresh);
    return true;
  }

  async function readForward() {
    for (;;) {
      const events = await readAfter(position, CHUNK);
      if (events.length === 0 || !deliver(events) || events.length < CHUNK) return;
    }
  }

  function wake(latest?: number) {
    if (closed || (latest !== undefined && latest <= position)) return;
    if (reading) {
      again = true;
      return;
    }
    reading = readForward()
      .catch(() => {
        // the database is away: the next poll or notification reads again from position
      })
      .finally(() => {
        reading = undefined;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  const poll = setInterval(() => wake(), pollMs);
  poll.unref();

  return {
    position: () => position,
    subscribe: (listener) => listeners.subscribe(listener),
    wake,
    committed(events) {
      if (!closed && !deliver(events)) wake();
    },
    async close() {
      closed = true;
      clearInterval(poll);
      listeners.clear();
      await reading;
    },
  };
}
