// The client side of delivery: apply events in seq order exactly once, and notice gaps.
// Used by the screen's store and by the integration tests' consumer alike.
import type { SeqRange, StreamEvent, Sync } from './protocol';

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

  /**
   * Keeps events that are next in order; reports a gap (the caller asks for a resync). With the
   * range the batch covers (the server sends it), seqs inside the range that are not in the batch
   * belong to other places (a screen bound to a place): not a gap; a range starting after the next
   * seq expected is one. Without a range every seq must follow the last.
   */
  accept(batch: readonly StreamEvent[], covers?: SeqRange): Accepted {
    if (this.awaitingSync) return { fresh: [], gap: false };
    const gap = (fresh: StreamEvent[]): Accepted => {
      this.awaitingSync = true;
      return { fresh, gap: true };
    };
    if (covers && covers.fromSeq > this.applied + 1) return gap([]);
    const fresh: StreamEvent[] = [];
    for (const e of batch) {
      if (e.seq <= this.applied) continue; // duplicate
      const inOrder = covers ? e.seq <= covers.toSeq : e.seq === this.applied + 1;
      if (!inOrder) return gap(fresh);
      fresh.push(e);
      this.applied = e.seq;
    }
    if (covers && covers.toSeq > this.applied) this.applied = covers.toSeq;
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
