// Retention (docs/operations.md, "Retention"): raw events stored more than RETENTION_DAYS ago are
// deleted from the bottom of the log — never a hole, since the commit feed and resume read seqs in a
// row — in small batches with pauses between them, so commits go on meanwhile (on SQLite the batches
// run in the writer thread between commits). One node of a cluster does it (the 'retention' role).
// The counters, the entities' current states and the alarms stay: figures of past periods do not change.
import { DAY_MS, toShanghaiIso } from '#shared/time';
import type { Clock } from '../clock';
import type { Store } from './types';

export const RETENTION_ROLE = 'retention';

export interface RetentionOptions {
  days: number;
  /** how often the bottom of the log is looked at */
  everyMs?: number;
  /** events deleted per transaction */
  batch?: number;
  /** pause between two batches (commits take their turn) */
  pauseMs?: number;
  log?: (message: string) => void;
}

export function startRetention(store: Store, clock: Clock, { days, everyMs = 10 * 60_000, batch = 2_000, pauseMs = 20, log = console.log }: RetentionOptions) {
  let running: Promise<number> | undefined;
  let closed = false;

  async function pruneAll(): Promise<number> {
    if (closed || !(await store.singleton.hold(RETENTION_ROLE))) return 0;
    const before = clock.now() - days * DAY_MS;
    let total = 0;
    for (;;) {
      const n = await store.log.prune(before, batch);
      total += n;
      if (n < batch || closed) break;
      await new Promise((r) => setTimeout(r, pauseMs));
    }
    if (total > 0) log(`[retention] deleted ${total} events stored before ${toShanghaiIso(before)} (RETENTION_DAYS=${days})`);
    return total;
  }

  /** One pass (one at a time): how many events it deleted. A failure (a full disk, the database away) waits for the next pass. */
  function run(): Promise<number> {
    running ??= pruneAll()
      .catch((err: unknown) => {
        log(`[retention] paused: ${(err as Error).message}`);
        return 0;
      })
      .finally(() => (running = undefined));
    return running;
  }

  const first = setTimeout(() => void run(), Math.min(everyMs, 10_000)); // soon after start, once the server is up
  const timer = setInterval(() => void run(), everyMs);
  first.unref();
  timer.unref();
  return {
    run,
    async close() {
      closed = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
      await store.singleton.release(RETENTION_ROLE).catch(() => undefined);
    },
  };
}
