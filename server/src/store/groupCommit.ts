// Group commit: appends arriving while a commit is being made share the next transaction (one fsync),
// so durable throughput stays high while every caller still waits for its own commit. One commit at
// a time: on a server database the next one gathers everything that arrived during the round trip.
import { OverloadedError } from './errors';

export interface GroupCommitOptions<I, R> {
  /** Commits all items in one transaction; one result per item, and what to do after resolving callers. */
  commit(items: I[]): { results: R[]; after?: () => void } | Promise<{ results: R[]; after?: () => void }>;
  maxQueued: number;
}

type Waiting<I, R> = { items: I[]; resolve: (r: R[]) => void; reject: (e: unknown) => void };

export function createGroupCommit<I, R>({ commit, maxQueued }: GroupCommitOptions<I, R>) {
  let queue: Array<Waiting<I, R>> = [];
  let queued = 0;
  let scheduled = false;
  let running: Promise<void> | undefined;
  let closed = false;
  /** Told of every commit that succeeded: its duration (seconds, as the caller waits on it) and item count. */
  const observers = new Set<(seconds: number, items: number) => void>();

  async function flush() {
    scheduled = false;
    const batch = queue;
    queue = [];
    queued = 0;
    if (batch.length === 0) return;
    const all = batch.flatMap((b) => b.items);
    try {
      const started = performance.now();
      const { results, after } = await commit(all);
      const seconds = (performance.now() - started) / 1000;
      for (const o of observers) o(seconds, all.length);
      let i = 0;
      for (const b of batch) {
        b.resolve(results.slice(i, i + b.items.length));
        i += b.items.length;
      }
      after?.();
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }

  function schedule() {
    if (scheduled || running) return;
    scheduled = true;
    setImmediate(() => {
      running = flush().finally(() => {
        running = undefined;
        if (queue.length) schedule();
      });
    });
  }

  return {
    submit(items: I[]): Promise<R[]> {
      if (closed) return Promise.reject(new Error('store is closed'));
      if (items.length === 0) return Promise.resolve([]);
      if (queued + items.length > maxQueued) return Promise.reject(new OverloadedError());
      return new Promise<R[]>((resolve, reject) => {
        queue.push({ items, resolve, reject });
        queued += items.length;
        schedule();
      });
    },
    /** Calls `observer` after every durable commit (metrics); returns how to stop. */
    observe(observer: (seconds: number, items: number) => void): () => void {
      observers.add(observer);
      return () => observers.delete(observer);
    },
    /** Waits for the commit in flight and commits what is queued; then refuses new items. */
    async close() {
      closed = true;
      while (running || queue.length) {
        if (running) await running;
        else {
          running = flush();
          await running;
          running = undefined;
        }
      }
    },
  };
}
