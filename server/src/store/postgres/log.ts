// The event log on PostgreSQL: append through the group commit (two transactions in flight: one
// reads and plans while the other holds the seq lock; the next gathers what arrived meanwhile), and
// reads by seq. Seqs are gapless, so a range of seqs is a range of the primary key.
import type pg from 'pg';
import type { GeoLookup } from '#shared/model/contributions';
import type { Clock } from '../../clock';
import { createGroupCommit } from '../groupCommit';
import { EVENT_COLUMNS, toStored, type EventRow } from '../rows';
import type { AppendItem, AppendResult, EventLog, StoredEvent } from '../types';
import { commitItems } from './append';
import { prune } from './retention';

export interface PostgresLog extends EventLog {
  /** Waits for the commit in flight and commits what is queued; then refuses appends. */
  close(): Promise<void>;
}

export function createLog(opts: {
  pool: pg.Pool; geo: GeoLookup; clock: Clock; maxQueued: number;
  /** this node's committed events, after the appending callers were answered (the feed restores seq order) */
  onCommitted(events: StoredEvent[]): void;
}): PostgresLog {
  const { pool, geo, clock, maxQueued, onCommitted } = opts;
  const group = createGroupCommit<AppendItem, AppendResult>({
    maxQueued,
    concurrency: 2,
    async commit(items) {
      const plan = await commitItems(pool, items, geo, clock);
      const stored = plan.log.map((r) => r.stored);
      return { results: plan.results, after: stored.length ? () => onCommitted(stored) : undefined };
    },
  });

  return {
    append: (items) => group.submit(items),
    async readAfter(afterSeq, limit, upTo = Number.MAX_SAFE_INTEGER) {
      const last = Math.min(afterSeq + limit, upTo);
      if (limit <= 0 || last <= afterSeq) return [];
      const { rows } = await pool.query<EventRow>({
        name: 'onescreen_read_after',
        text: `SELECT ${EVENT_COLUMNS} FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
        values: [afterSeq, last, limit],
      });
      return rows.map(toStored);
    },
    async bounds() {
      const { rows: [r] } = await pool.query<{ oldest: number; latest: number }>(
        'SELECT coalesce((SELECT min(seq) FROM events), 0) AS oldest, (SELECT last FROM seq_counter) AS latest');
      return r!;
    },
    observeCommits: group.observe,
    prune: (storedBefore, limit) => prune(pool, storedBefore, limit),
    close: () => group.close(),
  };
}
