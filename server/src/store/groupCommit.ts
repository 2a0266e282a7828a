// Group commit: appends arriving in the same tick share one transaction (one fsync), so durable
// throughput stays high while every caller still waits for its own commit.
export interface GroupCommitOptions<I, R> {
  /** Runs synchronously; returns one result per item and what to do after resolving callers. */
  commit(items: I[]): { results: R[]; after?: () => void };
  maxQueued: number;
}

export class OverloadedError extends Error {
  constructor() {
    super('store is overloaded: too many items waiting for a commit');
  }
}

export function createGroupCommit<I, R>({ commit, maxQueued }: GroupCommitOptions<I, R>) {
  let queue: Array<{ items: I[]; resolve: (r: R[]) => void; reject: (e: unknown) => void }> = [];
  let queued = 0;
  let scheduled = false;
  let closed = false;

  function flush() {
    scheduled = false;
    const batch = queue;
    queue = [];
    queued = 0;
    const all = batch.flatMap((b) => b.items);
    try {
      const { results, after } = commit(all);
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

  return {
    submit(items: I[]): Promise<R[]> {
      if (closed) return Promise.reject(new Error('store is closed'));
      if (items.length === 0) return Promise.resolve([]);
      if (queued + items.length > maxQueued) return Promise.reject(new OverloadedError());
      return new Promise<R[]>((resolve, reject) => {
        queue.push({ items, resolve, reject });
        queued += items.length;
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    close() {
      if (queue.length) flush();
      closed = true;
    },
  };
}
