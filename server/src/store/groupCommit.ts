// Group commit: appends arriving while a commit is being made share the next transaction (one fsync),
// so durable throughput stays high while every caller still waits for its own commit. At most
// `concurrency` commits at a time (1 by default): the next one gathers everything that arrived
// meanwhile. PostgreSQL runs two, so one commit reads and plans while the other holds the seq lock
// (server/src/store/postgres/append.ts); they may finish in either order.
import { OverloadedError } from './errors';

export interface GroupCommitOptions<I, R> {
  /** Commits all items in one transaction; one result per item, and what to do after resolving callers. */
  commit(items: I[]): { results: R[]; after?: () => void } | Promise<{ results: R[]; after?: () => void }>;
  maxQueued: number;
  /** commits in flight at once */
  concurrency?: number;
}

type Waiting<I, R> = { items: I[]; resolve: (r: R[]) => void; reject: (e: unknown) => void };

export function createGroupCommit<I, R>({ commit, maxQueued, concurrency = 1 }: GroupCommitOptions<I, R>) {
  let queue: Array<Waiting<I, R>> = [];
  let queued = 0;
  let scheduled = false;
  const running = new Set<Promise<void>>();
  let closed = false;
  /** Told of every commit that succeeded: its duration (seconds, as the caller waits on it) and item count. */
  const observers = new Set<(seconds: number, items: number) => void>();

  /** Commits what is queued and answers its callers; returns what to do after the commit (its `after`). */
  async function flush(): Promise<(() => void) | undefined> {
    scheduled = false;
    const batch = queue;
    queue = [];
    queued = 0;
    if (batch.length === 0) return undefined;
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
      return after;
    } catch (err) {
      for (const b of batch) b.reject(err);
      return undefined;
    }
  }

  function start() {
    const p: Promise<void> = flush().then((after) => {
      running.delete(p);
      if (queue.length) schedule();
      // `after` (handing the commit to the feed, i.e. the fan-out to screens) holds the main thread for
      // milliseconds: it runs once the callers have had their answers and the next commit has been
      // started, which need not wait for it (docs/architecture.md, "Latency"). Commits finish in order
      // with one at a time, so their `after`s run in order too.
      if (after) setImmediate(() => {
        try {
          after();
        } catch (err) {
          console.error('[store] after a commit:', (err as Error).message);
        }
      });
    });
    running.add(p);
  }

  function schedule() {
    if (scheduled || running.size >= concurrency) return;
    scheduled = true;
    setImmediate(start);
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
    /** Waits for the commits in flight and commits what is queued; then refuses new items. */
    async close() {
      closed = true;
      while (running.size || queue.length) {
        if (!running.size) start();
        await Promise.all(running);
      }
    },
  };
}
