// One group commit on PostgreSQL: a single transaction that first locks the seq counter row (so the
// writers of every node take turns, and seqs are gapless and visible in commit order), reads the
// batch's entities and already stored versions in one statement, plans the commit (planCommit,
// shared with SQLite; what does not depend on the stored state is prepared before the lock) and writes it in one statement of array parameters, then NOTIFYs the other
// nodes. Four round trips however large the batch.
import type { GeoLookup } from '#shared/model/contributions';
import type { IngestEvent } from '#shared/events';
import type pg from 'pg';
import type { Clock } from '../../clock';
import { planCommit, prepareItems, type CommitPlan } from '../commitPlan';
import { DiskError, StoreUnavailableError, diskProblemOf } from '../errors';
import type { AppendItem } from '../types';
import { isConnectionError, transaction } from './pool';

export const COMMIT_CHANNEL = 'onescreen_commit';

const LOCK = { name: 'onescreen_lock_seq', text: 'SELECT last FROM seq_counter FOR UPDATE' };

/** The current state of the batch's entities ('e') and which of its versions are stored already ('v'). */
const KNOWN = `WITH b AS (SELECT DISTINCT kind, id, version FROM unnest($1::text[], $2::text[], $3::int[]) AS b(kind, id, version))
SELECT 'e' AS t, e.kind, e.id, e.version, e.body FROM entities e WHERE (e.kind, e.id) IN (SELECT kind, id FROM b)
UNION ALL
SELECT 'v', b.kind, b.id, b.version, NULL FROM b
  JOIN entities e ON e.kind = b.kind AND e.id = b.id AND e.version >= b.version -- a newer version cannot be stored yet
  WHERE EXISTS (SELECT 1 FROM events v WHERE v.kind = b.kind AND v.id = b.id AND v.version = b.version)`;

const WRITE = `WITH ev AS (
  INSERT INTO events (seq, kind, id, version, source, stored_at, occurred_at, body, delta, area, nb, grid)
  SELECT s, k, i, v, src, $6::bigint, o, b, d, a, n, g
  FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
    AS x(s, k, i, v, src, o, b, d, a, n, g)
), en AS (
  INSERT INTO entities (kind, id, version, seq, updated_at, open, urgent, due_at, area, nb, grid, address, summary, body, search_text)
  SELECT * FROM unnest($13::text[], $14::text[], $15::int[], $16::bigint[], $17::bigint[], $18::bool[], $19::bool[], $20::bigint[],
    $21::text[], $22::text[], $23::text[], $24::text[], $25::text[], $26::text[], $32::text[])
  ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, seq = excluded.seq, updated_at = excluded.updated_at,
    open = excluded.open, urgent = excluded.urgent, due_at = excluded.due_at, area = excluded.area, nb = excluded.nb,
    grid = excluded.grid, address = excluded.address, summary = excluded.summary, body = excluded.body, search_text = excluded.search_text
), ro AS (
  INSERT INTO rollups (place, hour, key, count) SELECT * FROM unnest($27::text[], $28::int[], $29::text[], $30::bigint[])
  ON CONFLICT (place, hour, key) DO UPDATE SET count = rollups.count + excluded.count
), co AS (
  UPDATE seq_counter SET last = $31::bigint
)
SELECT pg_notify('${COMMIT_CHANNEL}', $31::text)`;

interface KnownRow { t: 'e' | 'v'; kind: string; id: string; version: number; body: string | null }

const key = (kind: string, id: string) => `${kind}\u0000${id}`;

async function readKnown(client: pg.PoolClient, values: unknown[]) {
  const { rows } = await client.query<KnownRow>({ name: 'onescreen_known', text: KNOWN, values });
  const entities = new Map<string, IngestEvent>();
  const stored = new Set<string>();
  for (const r of rows) {
    if (r.t === 'e') entities.set(key(r.kind, r.id), JSON.parse(r.body!) as IngestEvent);
    else stored.add(`${key(r.kind, r.id)}\u0000${r.version}`);
  }
  return { entities, stored };
}

function writeValues(plan: CommitPlan, storedAt: number): unknown[] {
  const { log, entities: en, counterRows: ro } = plan;
  return [
    log.map((r) => r.stored.seq), log.map((r) => r.stored.event.kind), log.map((r) => r.stored.event.id), log.map((r) => r.stored.event.version),
    log.map((r) => r.stored.source), storedAt, log.map((r) => r.occurredAt), log.map((r) => r.body), log.map((r) => r.delta),
    log.map((r) => r.area), log.map((r) => r.nb), log.map((r) => r.grid),
    en.map((e) => e.kind), en.map((e) => e.id), en.map((e) => e.version), en.map((e) => e.seq), en.map((e) => e.updatedAt),
    en.map((e) => e.open), en.map((e) => e.urgent), en.map((e) => e.dueAt), en.map((e) => e.area), en.map((e) => e.nb),
    en.map((e) => e.grid), en.map((e) => e.address), en.map((e) => e.summary), en.map((e) => e.body),
    ro.map((r) => r[0]), ro.map((r) => r[1]), ro.map((r) => r[2]), ro.map((r) => r[3]),
    plan.lastSeq, en.map((e) => e.searchText),
  ];
}

/**
 * Commits the items in one transaction and returns the plan (results and the stored events). A
 * connection failure rejects with StoreUnavailableError: the transaction did not commit, or (when
 * the connection died during COMMIT) committed whole; a source sending again gets 'duplicate'. A
 * full disk rejects with DiskError (the transaction rolled back).
 */
export async function commitItems(pool: pg.Pool, items: readonly AppendItem[], geo: GeoLookup, clock: Clock): Promise<CommitPlan> {
  // Everything that does not depend on the stored state is computed before taking the lock.
  const prepared = prepareItems(items, geo);
  const ev = items.map((i) => i.event);
  const known = [ev.map((e) => e.kind), ev.map((e) => e.id), ev.map((e) => e.version)];
  try {
    return await transaction(pool, async (client) => {
      const { rows: [counter] } = await client.query<{ last: number }>(LOCK);
      const { entities, stored } = await readKnown(client, known);
      const storedAt = clock.now();
      const plan = planCommit({
        items: prepared, lastSeq: counter!.last, storedAt, geo,
        entity: (kind, id) => entities.get(key(kind, id)),
        stored: (kind, id, version) => stored.has(`${key(kind, id)}\u0000${version}`),
      });
      if (plan.log.length > 0) await client.query({ name: 'onescreen_write', text: WRITE, values: writeValues(plan, storedAt) });
      return plan;
    });
  } catch (err) {
    // a full disk (53100) rolled the transaction back: answered like an unreachable database, with its reason
    const problem = diskProblemOf((err as { code?: unknown }).code);
    throw problem ? new DiskError(problem, err) : isConnectionError(err) ? new StoreUnavailableError(err) : err;
  }
}
