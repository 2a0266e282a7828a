// One small typed emitter for the listener sets of both sides (the commit feed, the fan-out's
// waiters, the screen's stores). A listener that throws must not stop the others or reach the
// emitter's caller (a durable commit, the socket layer): its error goes to the owner's onError.

export type Listener<A extends unknown[]> = (...args: A) => void;

interface Entry<A extends unknown[]> {
  readonly listener: Listener<A>;
}

export class Emitter<A extends unknown[]> {
  // An entry per subscription (not per function): subscribing a function twice calls it twice,
  // and each unsubscribe removes only its own subscription.
  private readonly entries = new Set<Entry<A>>();

  /** `onError`: what the owner does with a listener's error (log it, count it, ignore it). */
  constructor(private readonly onError: (err: unknown) => void) {}

  get size(): number {
    return this.entries.size;
  }

  /** Returns the unsubscribe (idempotent). */
  subscribe(listener: Listener<A>): () => void {
    const entry: Entry<A> = { listener };
    this.entries.add(entry);
    return () => void this.entries.delete(entry);
  }

  /**
   * Calls the listeners subscribed when the emit starts, in subscription order. One unsubscribed
   * during the emit (by itself or another listener) is not called from then on; one subscribed
   * during it waits for the next emit.
   */
  emit(...args: A): void {
    for (const entry of [...this.entries]) {
      if (!this.entries.has(entry)) continue;
      try {
        entry.listener(...args);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
