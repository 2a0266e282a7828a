// One group commit on PostgreSQL, planned before it takes its turn: one statement reads the seq
// counter with the batch's entities and already stored versions (one snapshot), and planCommit
// (shared with SQLite) plans on it, after everything that does not depend on stored state was
// prepared. Then one transaction locks the counter row, so the writers of every node take turns and
// seqs are gapless and visible in commit order. When commits were made since the snapshot, it reads
// which of the batch's entities they stored versions of and rebasePlan moves the plan onto that
// state, planning only those again; then one statement of array parameters (arrayParam.ts) writes
// it and NOTIFYs the other nodes. The lock is held for the write, not for reading and planning
// (docs/architecture.md, "A gapless seq in commit order").
import type { GeoLookup } from '#shared/model/contributions';
import type { IngestEvent } from '#shared/events';
import type pg from 'pg';
import type { Clock } from '../../clock';
import { entityKey, planCommit, prepareItems, versionKey, type CommitPlan, type PlanInput } from '../commitPlan';
import { DiskError, StoreUnavailableError, diskProblemOf } from '../errors';
import { rebasePlan, type RebaseTarget } from '../rebasePlan';
import { scalarArray, textArray, texts } from './arrayParam';
import type { AppendItem } from '../types';
import { CommitInDoubt, isConnectionError, transaction } from './pool';

export const COMMIT_CHANNEL = 'onescreen_commit';

const LOCK = { name: 'onescreen_lock_seq', text: 'SELECT last FROM seq_counter FOR UPDATE' };

/**
 * One snapshot: the last committed seq ('c', in version), the current state of the batch's entities
 * ('e') and which of its versions are stored already ('v').
 */
const KNOWN = `WITH b AS (SELECT DISTINCT kind, id, version FROM unnest(${texts(1)}, ${texts(2)}, $3::int[]) AS b(kind, id, version))
SELECT 'c' AS t, '' AS kind, '' AS id, last AS version, NULL AS body FROM seq_counter
UNION ALL
SELECT 'e', e.kind, e.id, e.version, e.body FROM entities e WHERE (e.kind, e.id) IN (SELECT kind, id FROM b)
UNION ALL
SELECT 'v', b.kind, b.id, b.version, NULL FROM b
  JOIN entities e ON e.kind = b.kind AND e.id = b.id AND e.version >= b.version -- a newer version cannot be stored yet
  WHERE EXISTS (SELECT 1 FROM events v WHERE v.kind = b.kind AND v.id = b.id AND v.version = b.version)`;

/**
 * Under the lock: every version of the batch's entities stored after seq $3 ('v'), and the current
 * state of those entities ('e').
 */
const CHANGED = `WITH b AS (SELECT DISTINCT kind, id FROM unnest(${texts(1)}, ${texts(2)}) AS b(kind, id)),
v AS (SELECT v.kind, v.id, v.version FROM events v JOIN b ON v.kind = b.kind AND v.id = b.id WHERE v.seq > $3)
SELECT 'v' AS t, kind, id, version, NULL AS body FROM v
UNION ALL
SELECT 'e', e.kind, e.id, e.version, e.body FROM entities e WHERE (e.kind, e.id) IN (SELECT kind, id FROM v)`;

const WRITE = `WITH ev AS (
  INSERT INTO events (seq, kind, id, version, source, stored_at, occurred_at, body, delta, area, nb, grid, stale)
  SELECT s, k, i, v, src, $6::bigint, o, b, d, a, n, g, st
  FROM unnest($1::bigint[], ${texts(2)}, ${texts(3)}, $4::int[], ${texts(5)}, $7::bigint[], ${texts(8)}, ${texts(9)}, ${texts(10)}, ${texts(11)}, ${texts(12)}, $34::bool[])
    AS x(s, k, i, v, src, o, b, d, a, n, g, st)
  RETURNING seq, body
), en AS (
  -- an entity's body is its moving version's, sent once with the log row
  INSERT INTO entities (kind, id, version, seq, updated_at, open, urgent, due_at, area, nb, grid, address, summary, body, search_text, started_at, label)
  SELECT x.k, x.i, x.v, x.s, x.u, x.op, x.ur, x.du, x.a, x.n, x.g, x.ad, x.su, ev.body, x.st, x.sa, x.l
  FROM unnest(${texts(13)}, ${texts(14)}, $15::int[], $16::bigint[], $17::bigint[], $18::bool[], $19::bool[], $20::bigint[],
    ${texts(21)}, ${texts(22)}, ${texts(23)}, ${texts(24)}, ${texts(25)}, ${texts(26)}, $32::bigint[], ${texts(33)})
    AS x(k, i, v, s, u, op, ur, du, a, n, g, ad, su, st, sa, l)
  JOIN ev ON ev.seq = x.s
  ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, seq = excluded.seq, updated_at = excluded.updated_at,
    open = excluded.open, urgent = excluded.urgent, due_at = excluded.due_at, area = excluded.area, nb = excluded.nb,
    grid = excluded.grid, address = excluded.address, summary = excluded.summary, body = excluded.body, search_text = excluded.search_text,
    started_at = excluded.started_at, label = excluded.label
), ro AS (
  INSERT INTO rollups (place, hour, key, count) SELECT * FROM unnest(${texts(27)}, $28::int[], ${texts(29)}, $30::bigint[])
  ON CONFLICT (place, hour, key) DO UPDATE SET count = rollups.count + excluded.count
), co AS (
  UPDATE seq_counter SET last = $31::bigint
)
SELECT pg_notify('${COMMIT_CHANNEL}', $31::text)`;

interface KnownRow { t: 'c' | 'e' | 'v'; kind: string; id: string; version: number; body: string | null }

/** Entity states and stored versions from KNOWN or CHANGED rows; `last` from the counter row. */
function collect(rows: KnownRow[]) {
  const entities = new Map<string, IngestEvent>();
  const stored = new Set<string>();
  let last = -1;
  for (const r of rows) {
    if (r.t === 'e') entities.set(entityKey(r.kind, r.id), JSON.parse(r.body!) as IngestEvent);
    else if (r.t === 'v') stored.add(versionKey(r.kind, r.id, r.version));
    else last = r.version;
  }
  return { entities, stored, last };
}

/** The state under the lock: which of the batch's entities commits since the snapshot touched, and how they stand now. */
async function readChanged(client: pg.PoolClient, keys: unknown[], snapshot: ReturnType<typeof collect>, lastSeq: number): Promise<RebaseTarget> {
  const { rows } = await client.query<KnownRow>({ name: 'onescreen_changed', text: CHANGED, values: [...keys, snapshot.last] });
  const now = collect(rows);
  const changed = new Set(rows.filter((r) => r.t === 'v').map((r) => entityKey(r.kind, r.id)));
  return {
    lastSeq, changed,
    entity: (kind, id) => now.entities.get(entityKey(kind, id)),
    stored: (kind, id, version) => now.stored.has(versionKey(kind, id, version)) || snapshot.stored.has(versionKey(kind, id, version)),
  };
}

function writeValues(plan: CommitPlan, storedAt: number): unknown[] {
  const { log, entities: en, counterRows: ro } = plan;
  const [t, n] = [textArray, scalarArray];
  return [
    n(log.map((r) => r.stored.seq)), t(log.map((r) => r.stored.event.kind)), t(log.map((r) => r.stored.event.id)), n(log.map((r) => r.stored.event.version)),
    t(log.map((r) => r.stored.source)), storedAt, n(log.map((r) => r.occurredAt)), t(log.map((r) => r.body)), t(log.map((r) => r.delta)),
    t(log.map((r) => r.area)), t(log.map((r) => r.nb)), t(log.map((r) => r.grid)),
    t(en.map((e) => e.kind)), t(en.map((e) => e.id)), n(en.map((e) => e.version)), n(en.map((e) => e.seq)), n(en.map((e) => e.updatedAt)),
    n(en.map((e) => e.open)), n(en.map((e) => e.urgent)), n(en.map((e) => e.dueAt)), t(en.map((e) => e.area)), t(en.map((e) => e.nb)),
    t(en.map((e) => e.grid)), t(en.map((e) => e.address)), t(en.map((e) => e.summary)), t(en.map((e) => e.searchText)),
    t(ro.map((r) => r[0])), n(ro.map((r) => r[1])), t(ro.map((r) => r[2])), n(ro.map((r) => r[3])),
    plan.lastSeq, n(en.map((e) => e.startedAt)), t(en.map((e) => e.label)), n(log.map((r) => r.stored.stale === true)),
  ];
}

/**
 * Commits the items in one transaction and returns the plan (results and the stored events). A
 * connection failure rejects with StoreUnavailableError: the transaction did not commit, or (when
 * the connection died during COMMIT, `inDoubt`) may have committed whole; a source sending again
 * gets 'duplicate'. A full disk rejects with DiskError (the transaction rolled back).
 */
export async function commitItems(pool: pg.Pool, items: readonly AppendItem[], geo: GeoLookup, clock: Clock): Promise<CommitPlan> {
  const storedAt = clock.now();
  const prepared = prepareItems(items, geo);
  const ev = items.map((i) => i.event);
  const kinds = textArray(ev.map((e) => e.kind));
  const ids = textArray(ev.map((e) => e.id));
  try {
    const { rows } = await pool.query<KnownRow>({ name: 'onescreen_known', text: KNOWN, values: [kinds, ids, scalarArray(ev.map((e) => e.version))] });
    const snapshot = collect(rows);
    const input: PlanInput = {
      items: prepared, lastSeq: snapshot.last, storedAt, geo,
      entity: (kind, id) => snapshot.entities.get(entityKey(kind, id)),
      stored: (kind, id, version) => snapshot.stored.has(versionKey(kind, id, version)),
    };
    const draft = planCommit(input);
    return await transaction(pool, async (client) => {
      const { rows: [counter] } = await client.query<{ last: number }>(LOCK);
      const plan = counter!.last === snapshot.last ? draft : rebasePlan(draft, input, await readChanged(client, [kinds, ids], snapshot, counter!.last));
      if (plan.log.length > 0) await client.query({ name: 'onescreen_write', text: WRITE, values: writeValues(plan, storedAt) });
      return plan;
    });
  } catch (err) {
    // a full disk (53100) rolled the transaction back: answered like an unreachable database, with its reason
    const problem = diskProblemOf((err as { code?: unknown }).code);
    throw problem ? new DiskError(problem, err)
      : err instanceof CommitInDoubt ? new StoreUnavailableError(err, true)
      : isConnectionError(err) ? new StoreUnavailableError(err) : err;
  }
}
