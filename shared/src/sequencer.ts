// The client side of delivery: apply events in seq order exactly once, and notice gaps.
// Used by the screen's store and by the integration tests' consumer alike.
import type { StreamEvent, Sync } from './protocol';

export type Accepted = { fresh: StreamEvent[]; gap: boolean };

export class Sequencer {
  /** The last seq applied; -1 until the first sync. */
  applied = -1;
  /** While a resync is pending, batches are ignored until the next sync arrives. */
  awaitingSync = true;

  onSync(sync: Sync): void {
    this.applied = sync.mode === 'snapshot' ? sync.seq : sync.fromSeq;
    this.awaitingSync = false;
  }

  /** Keeps events that are next in order; reports a gap (the caller asks for a resync). */
  accept(batch: readonly StreamEvent[]): Accepted {
    if (this.awaitingSync) return { fresh: [], gap: false };
    const fresh: StreamEvent[] = [];
    for (const e of batch) {
      if (e.seq <= this.applied) continue; // duplicate
      if (e.seq !== this.applied + 1) {
        this.awaitingSync = true;
        return { fresh, gap: true };
      }
      fresh.push(e);
      this.applied = e.seq;
    }
    return { fresh, gap: false };
  }

  /** A heartbeat announcing a seq we never got means something was lost. */
  behind(latestSeq: number): boolean {
    return !this.awaitingSync && latestSeq > this.applied;
  }

  requestResync(): void {
    this.awaitingSync = true;
  }
}
