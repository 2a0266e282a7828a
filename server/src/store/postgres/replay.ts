// Replaying a day on PostgreSQL (docs/domain.md, "Replay"): a page of the day's events in time order
// with, for each entity's first event on the page, its highest version before it (one statement);
// and the state at the day's start from one consistent read. The arithmetic is shared with SQLite
// (server/src/store/replay.ts).
import type pg from 'pg';
import type { GeoLookup } from '#shared/model/contributions';
import type { EntitySummary } from '#shared/protocol';
import { hourOf } from '#shared/time';
import { replayBaseOf, replayDeltas } from '../replay';
import { parseBody, toStored, type EventRow } from '../rows';
import type { ReplayBase, ReplayEvent } from '../types';
import { rollupRowsBetween } from './rollups';
import { snapshotRead } from './pool';

const PAGE = `WITH page AS (
    SELECT seq, stored_at, occurred_at, source, kind, id, body, delta FROM events
    WHERE occurred_at >= $1 AND occurred_at < $2 AND (occurred_at, seq) > ($3, $4) ORDER BY occurred_at, seq LIMIT $5)
  SELECT seq, stored_at, occurred_at, source, body, delta,
    CASE WHEN row_number() OVER (PARTITION BY kind, id ORDER BY occurred_at, seq) = 1 THEN
      (SELECT b.body FROM events b WHERE b.kind = page.kind AND b.id = page.id AND (b.occurred_at, b.seq) < (page.occurred_at, page.seq)
       ORDER BY b.version DESC LIMIT 1) END AS before
  FROM page ORDER BY occurred_at, seq`;

/** Every entity with an event at or after the day's start: its state now and its highest version before then. */
const CHANGED = `SELECT c.kind, c.id, n.body AS cur,
    (SELECT b.body FROM events b WHERE b.kind = c.kind AND b.id = c.id AND b.occurred_at < $1 ORDER BY b.version DESC LIMIT 1) AS was
  FROM (SELECT DISTINCT kind, id FROM events WHERE occurred_at >= $1) c
  LEFT JOIN entities n ON n.kind = c.kind AND n.id = c.id`;

type PageRow = EventRow & { occurred_at: number; before: string | null };

export function createReplay(pool: pg.Pool, geo: GeoLookup) {
  return {
    async page(fromMs: number, toMs: number, after: { occurredAt: number; seq: number }, limit: number): Promise<ReplayEvent[]> {
      const { rows } = await pool.query<PageRow>({ name: 'onescreen_replay_page', text: PAGE, values: [fromMs, toMs, after.occurredAt, after.seq, limit] });
      const before = new Map<number, string | null>(rows.map((r) => [r.seq, r.before]));
      const page = rows.map((r): ReplayEvent => ({ ...toStored(r), occurredAt: r.occurred_at }));
      return replayDeltas(page, (ev) => parseBody(before.get(ev.seq)), geo);
    },

    base: (fromMs: number, toMs: number, entityLimit: number): Promise<ReplayBase> =>
      snapshotRead(pool, async (client) => {
        const rows = await rollupRowsBetween(client, hourOf(fromMs), Math.ceil(toMs / 3_600_000));
        const changed = await client.query<{ kind: string; id: string; cur: string | null; was: string | null }>(CHANGED, [fromMs]);
        const open = await client.query<{ summary: string }>('SELECT summary FROM entities WHERE open AND updated_at < $1', [fromMs]);
        return replayBaseOf({
          fromMs, toMs, entityLimit, rows,
          changed: changed.rows.map((r) => ({ kind: r.kind, id: r.id, now: parseBody(r.cur), then: parseBody(r.was) })),
          openBefore: open.rows.map((r) => JSON.parse(r.summary) as EntitySummary),
        }, geo);
      }),
  };
}
