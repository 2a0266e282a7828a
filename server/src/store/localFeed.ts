// The commit feed of a store whose commits all happen in this process (SQLite): each commit's events
// are handed to the listeners straight after it, in seq order. Holes are impossible (one writer), so
// a batch that does not follow on is a bug, reported rather than delivered out of order.
import { Emitter } from '#shared/emitter';
import type { CommitFeed, StoredEvent } from './types';

export function createLocalFeed(initial: number): CommitFeed & { deliver(events: StoredEvent[]): void; close(): void } {
  let position = initial;
  // a listener's failure must not undo or block a durable commit
  const listeners = new Emitter<[StoredEvent[]]>((err) => console.error('[feed] a listener failed:', (err as Error).message));
  return {
    position: () => position,
    subscribe: (listener) => listeners.subscribe(listener),
    deliver(events) {
      if (events.length === 0) return;
      if (events[0]!.seq !== position + 1) throw new Error(`commit feed: seq ${events[0]!.seq} does not follow ${position}`);
      position = events.at(-1)!.seq;
      listeners.emit(events);
    },
    close: () => listeners.clear(),
  };
}
