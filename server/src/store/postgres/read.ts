// Read models on PostgreSQL, with the semantics and order of the SQLite queries
// (server/src/store/sqlite/queries.ts): counters, the snapshot's entities and latest events, gauges,
// an entity's history, a place's feed, search, the longest overdue, lists of entities. A read that
// must agree with itself (counterRows) runs in one REPEATABLE READ transaction or is a single statement.
import type pg from 'pg';
import type { GeoLookup } from '#shared/model/contributions';
import type { IngestEvent } from '#shared/events';
import { matches } from '#shared/filters';
import { NEW_METRICS } from '#shared/model/contributions';
import { counterKey } from '#shared/model/keys';
import { levelOf } from '#shared/model/places';
import { summarize } from '#shared/summary';
import { shanghaiDayStart } from '#shared/time';
import type { EntitySummary } from '#shared/protocol';
import type { StreamCounts } from '#shared/range';
import { gaugesOf, mergeRelevant } from '../readParts';
import { containsPattern, parseBody, toEntityRow, toStored, type EventRow } from '../rows';
import type { CounterRow, ReadModel, StoredEvent } from '../types';
import { EVENT_COLUMNS } from '../rows';
import { createReplay } from './replay';
import { rollupRowsBetween } from './rollups';
import { snapshotRead } from './pool';

const SERIES = Object.values(NEW_METRICS);
const FEED_PAGE = 500;
type FeedRow = EventRow & { occurred_at: number };

/** The three lists of mergeRelevant in one statement (one snapshot): overdue, urgent open, freshest. */
const ACTIVE = `SELECT part, kind, id, summary FROM (
  (SELECT 0 AS part, due_at AS r, kind, id, summary FROM entities WHERE open AND due_at < $1 ORDER BY due_at LIMIT $2)
  UNION ALL (SELECT 1, -updated_at, kind, id, summary FROM entities WHERE open AND urgent ORDER BY updated_at DESC LIMIT $2)
  UNION ALL (SELECT 2, -updated_at, kind, id, summary FROM entities ORDER BY updated_at DESC LIMIT $3)) x
ORDER BY part, r`;

/** An id, or the masked address (docs/privacy.md): what a screen does not show cannot be found. */
const CONTAINS = "(id ILIKE $1 ESCAPE '\\' OR search_text ILIKE $1 ESCAPE '\\')";
const SEARCH_FRESH = `SELECT summary, address FROM (SELECT id, address, search_text, summary, updated_at FROM entities ORDER BY updated_at DESC LIMIT 5000) f
  WHERE ${CONTAINS} ORDER BY updated_at DESC LIMIT $2`;
/** `updated_at + 0`: sorted after a scan, not read in index order */
const SEARCH_ALL = `SELECT summary, address FROM entities WHERE ${CONTAINS} ORDER BY updated_at + 0 DESC LIMIT $2`;

/** The latest events of a place by when they happened, below the keyset (occurred_at, seq). */
const feedQuery = (column: 'area' | 'nb' | 'grid' | null) =>
  `SELECT ${EVENT_COLUMNS}, occurred_at FROM events WHERE ${column ? `${column} = $4 AND ` : ''}(occurred_at, seq) < ($1, $2)
   ORDER BY occurred_at DESC, seq DESC LIMIT $3`;
const FEED = { town: feedQuery(null), area: feedQuery('area'), neighbourhood: feedQuery('nb'), grid: feedQuery('grid') };

/** The entity list (ReadModel.listEntities): a null filter is no filter; the latest reported first, through entities_started. */
const LIST = `SELECT body FROM entities
  WHERE started_at BETWEEN $1 AND $2 AND kind = ANY($3::text[]) AND ($4::text[] IS NULL OR label = ANY($4::text[]))
    AND ($5::boolean IS NULL OR open = $5) AND ($6::text IS NULL OR area = $6) AND ($7::text IS NULL OR nb = $7) AND ($8::text IS NULL OR grid = $8)
  ORDER BY started_at DESC, kind, id LIMIT $9 OFFSET $10`;

export function createReadModel(pool: pg.Pool, geo: GeoLookup): ReadModel {
  const query = async <R extends pg.QueryResultRow>(name: string, text: string, values: unknown[]) =>
    (await pool.query<R>({ name: `onescreen_${name}`, text, values })).rows;
  const entityRows = (rows: Array<{ summary: string; address: string }>) => rows.map((r) => toEntityRow(r.summary, r.address));
  const replay = createReplay(pool, geo);

  return {
    counterRows: (fromHour, toHour) =>
      snapshotRead(pool, async (client) => {
        const { rows: [counter] } = await client.query<{ last: number }>('SELECT last FROM seq_counter');
        const rows = await rollupRowsBetween(client, fromHour, toHour);
        return { seq: counter!.last, rows: rows.map(([hour, place, key, n]): CounterRow => [hour, counterKey(key, place), n]) };
      }),

    activeEntities: (nowMs, limit) =>
      mergeRelevant(limit, async (share) => {
        const rows = await query<{ part: number; kind: string; id: string; summary: string }>('active', ACTIVE, [nowMs, share, limit]);
        const lists: Array<Array<{ key: string; summary: EntitySummary }>> = [[], [], []];
        for (const r of rows) lists[r.part]!.push({ key: `${r.kind}:${r.id}`, summary: JSON.parse(r.summary) as EntitySummary });
        return lists;
      }),

    async recent(limit, upToSeq) {
      const rows = await query<EventRow>('recent',
        `SELECT ${EVENT_COLUMNS} FROM events WHERE seq <= $1 ORDER BY occurred_at DESC, seq DESC LIMIT $2`, [upToSeq, limit]);
      return rows.map(toStored).reverse();
    },

    async gauges(nowMs) {
      return gaugesOf(await query<{ kind: keyof StreamCounts; area: string; nb: string; grid: string; n: number }>('overdue_counts',
        'SELECT kind, area, nb, grid, count(*) AS n FROM entities WHERE open AND due_at < $1 GROUP BY kind, area, nb, grid', [nowMs]));
    },

    async history(kind, id) {
      const rows = await query<EventRow>('history', `SELECT ${EVENT_COLUMNS} FROM events WHERE kind = $1 AND id = $2 ORDER BY version, seq`, [kind, id]);
      return rows.map(toStored);
    },

    async totals(places, fromHour, toHour) {
      const rows = await query<{ place: string; key: string; n: number }>('totals',
        `SELECT place, key, sum(count)::bigint AS n FROM rollups WHERE place = ANY($1::text[]) AND hour >= $2 AND hour < $3
         GROUP BY place, key ORDER BY array_position($1::text[], place), key`, [places, fromHour, toHour]);
      return new Map(rows.map((r) => [counterKey(r.key, r.place), r.n]));
    },

    async newSeries(place, fromHour, toHour) {
      const rows = await query<{ hour: number; key: string; count: number }>('new_series',
        'SELECT hour, key, count FROM rollups WHERE place = $1 AND hour >= $2 AND hour < $3 AND key = ANY($4::text[]) ORDER BY hour, key',
        [place, fromHour, toHour, SERIES]);
      return rows.map((r): [number, string, number] => [r.hour, r.key, r.count]);
    },

    async oldestOccurrence() {
      // with the earliest occurrence retention deleted (retention.ts): the counters still cover it
      const [r] = await query<{ ms: number | null }>('oldest',
        "SELECT least((SELECT min(occurred_at) FROM events), (SELECT value FROM meta WHERE key = 'history_from')) AS ms", []);
      return r?.ms === null || r?.ms === undefined ? null : shanghaiDayStart(r.ms);
    },

    replayPage: replay.page,
    replayBase: replay.base,

    async feed({ place, kinds, filters, limit, nowMs, scanLimit }) {
      const level = levelOf(place) ?? 'town';
      const out: StoredEvent[] = [];
      let [at, seq] = [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
      for (let scanned = 0; out.length < limit && scanned < scanLimit;) {
        const values = level === 'town' ? [at, seq, FEED_PAGE] : [at, seq, FEED_PAGE, place];
        const rows = await query<FeedRow>(`feed_${level}`, FEED[level], values);
        for (const r of rows) {
          const s = toStored(r);
          if (kinds.includes(s.event.kind) && matches(filters, summarize(s.event), nowMs)) out.push(s);
          if (out.length >= limit) break;
        }
        if (rows.length < FEED_PAGE) break;
        scanned += rows.length;
        [at, seq] = [rows.at(-1)!.occurred_at, rows.at(-1)!.seq];
      }
      return out;
    },

    async search(text, limit) {
      const exact = await query<{ summary: string; address: string }>('search_id',
        'SELECT summary, address FROM entities WHERE lower(id) = lower($1) LIMIT $2', [text, limit]);
      if (exact.length) return entityRows(exact);
      // A contained text matches no index: look among the freshest entities first (through the
      // index, cheap when the text is common); when they hold fewer than `limit` matches, scan the
      // table (cheaper than walking the whole index for a rare text). Same answer either way.
      const values = [containsPattern(text), limit];
      const fresh = await query<{ summary: string; address: string }>('search_fresh', SEARCH_FRESH, values);
      return entityRows(fresh.length >= limit ? fresh : await query('search_all', SEARCH_ALL, values));
    },

    async longestOverdue(nowMs, limit) {
      return entityRows(await query('longest_overdue',
        'SELECT summary, address FROM entities WHERE open AND due_at < $1 ORDER BY due_at LIMIT $2', [nowMs, limit]));
    },

    async listEntities({ kinds, labels, open, fromMs, toMs, place, offset, limit }) {
      const level = levelOf(place);
      const rows = await query<{ body: string }>('list_entities', LIST, [
        fromMs, toMs, kinds, labels ?? null, open ?? null,
        level === 'area' ? place : null, level === 'neighbourhood' ? place : null, level === 'grid' ? place : null, limit, offset,
      ]);
      return rows.map((r) => JSON.parse(r.body) as IngestEvent);
    },

    async entity(kind, id) {
      const [r] = await query<{ body: string }>('entity', 'SELECT body FROM entities WHERE kind = $1 AND id = $2', [kind, id]);
      return parseBody(r?.body);
    },
  };
}
