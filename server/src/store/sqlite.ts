// SQLite event store: an append-only log with a gapless seq, the current state of every entity,
// and hourly rollups updated incrementally in the same transaction (O(1) per event).
// WAL + synchronous=FULL: an item is acknowledged only after its commit is on disk.
import type { IngestEvent } from '../../../shared/src/events';
import { GAUGE_HOUR, dueOf, isOpen, rollupDelta, type GeoLookup, type RollupDelta } from '../../../shared/src/kpi/contributions';
import type { EntitySummary, Gauges } from '../../../shared/src/protocol';
import { summarize } from '../../../shared/src/summary';
import type { Clock } from '../clock';
import { createGroupCommit } from './groupCommit';
import { createSqliteAlarms } from './sqliteAlarms';
import { openDatabase, toStored, type EventRow } from './sqliteDb';
import { createSqliteQueries } from './sqliteQueries';
import type { AppendItem, AppendResult, EventStore, SnapshotData, StoredEvent } from './types';



export interface SqliteStoreOptions {
  file: string;
  geo: GeoLookup;
  clock: Clock;
  /** Items waiting for a commit beyond which append() refuses (back-pressure, a bounded buffer). */
  maxQueued?: number;
}

export function createSqliteStore({ file, geo, clock, maxQueued = 100_000 }: SqliteStoreOptions): EventStore {
  const db = openDatabase(file);

  const q = {
    isDuplicate: db.prepare<[string, string, number], { one: number }>('SELECT 1 AS one FROM events WHERE kind = ? AND id = ? AND version = ?').pluck(),
    entity: db.prepare<[string, string], { version: number; body: string }>('SELECT version, body FROM entities WHERE kind = ? AND id = ?'),
    insertEvent: db.prepare('INSERT INTO events (seq, kind, id, version, source, stored_at, occurred_at, body, delta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    upsertEntity: db.prepare(`INSERT INTO entities (kind, id, version, seq, updated_at, open, urgent, due_at, area, address, summary, body)
      VALUES (@kind, @id, @version, @seq, @updatedAt, @open, @urgent, @dueAt, @area, @address, @summary, @body)
      ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, seq = excluded.seq, updated_at = excluded.updated_at,
        open = excluded.open, urgent = excluded.urgent, due_at = excluded.due_at, area = excluded.area, address = excluded.address,
        summary = excluded.summary, body = excluded.body`),
    bumpRollup: db.prepare('INSERT INTO rollups (hour, key, count) VALUES (?, ?, ?) ON CONFLICT (hour, key) DO UPDATE SET count = count + excluded.count'),
    maxSeq: db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM events').pluck(),
    minSeq: db.prepare<[], number>('SELECT coalesce(min(seq), 0) FROM events').pluck(),
    readAfter: db.prepare<[number, number], EventRow>('SELECT seq, stored_at, source, body, delta FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
    recent: db.prepare<[number], EventRow>('SELECT seq, stored_at, source, body, delta FROM events ORDER BY seq DESC LIMIT ?'),
    history: db.prepare<[string, string], EventRow>('SELECT seq, stored_at, source, body, delta FROM events WHERE kind = ? AND id = ? ORDER BY version, seq'),
    // Totals and 片区 breakdowns hour by hour (trends, same-time-yesterday); other breakdowns summed
    // into one bucket at the first hour of `dimsFrom` (rankings are of today); gauges. Index range scans.
    rollupsHourly: db.prepare<[number], [number, string, number]>(
      "SELECT hour, key, count FROM rollups WHERE hour >= ? AND (instr(key, '|') = 0 OR instr(key, '|area:') > 0) AND count != 0").raw(),
    rollupsDims: db.prepare<[number, number], [number, string, number]>(
      "SELECT ? AS hour, key, sum(count) AS n FROM rollups WHERE hour >= ? AND instr(key, '|') > 0 AND instr(key, '|area:') = 0 GROUP BY key HAVING n != 0").raw(),
    rollupsGauges: db.prepare<[number], [number, string, number]>('SELECT hour, key, count FROM rollups WHERE hour = ? AND count != 0').raw(),
    overdue: db.prepare<[number, number], [string, string, string]>('SELECT kind, id, summary FROM entities WHERE open = 1 AND due_at < ? ORDER BY due_at LIMIT ?').raw(),
    urgentOpen: db.prepare<[number], [string, string, string]>('SELECT kind, id, summary FROM entities WHERE open = 1 AND urgent = 1 ORDER BY updated_at DESC LIMIT ?').raw(),
    recentEntities: db.prepare<[number], [string, string, string]>('SELECT kind, id, summary FROM entities ORDER BY updated_at DESC LIMIT ?').raw(),
    overdueCounts: db.prepare<[number], { kind: string; area: string; n: number }>(
      'SELECT kind, area, count(*) AS n FROM entities WHERE open = 1 AND due_at < ? GROUP BY kind, area'),
  };

  let lastSeq = q.maxSeq.get() ?? 0;
  const listeners = new Set<(events: StoredEvent[]) => void>();

  const applyOne = (item: AppendItem, storedAt: number, out: StoredEvent[]): AppendResult => {
    const e = item.event;
    if (q.isDuplicate.get(e.kind, e.id, e.version)) return { status: 'duplicate' };
    const row = q.entity.get(e.kind, e.id);
    let delta: RollupDelta = [];
    const seq = lastSeq + 1;
    // Only a newer version moves the entity; a late older version is kept in the log as history.
    if (!row || row.version < e.version) {
      const before = row ? (JSON.parse(row.body) as IngestEvent) : undefined;
      delta = rollupDelta(before, e, geo);
      const due = dueOf(e);
      q.upsertEntity.run({
        kind: e.kind, id: e.id, version: e.version, seq, updatedAt: Date.parse(e.occurredAt),
        open: isOpen(e) ? 1 : 0, urgent: e.urgent ? 1 : 0, dueAt: due ? Date.parse(due) : null,
        area: geo.areaOf(e.location.neighbourhoodId) ?? 'A?', address: e.address, summary: JSON.stringify(summarize(e)), body: JSON.stringify(e),
      });
      for (const [hour, key, n] of delta) q.bumpRollup.run(hour, key, n);
    }
    q.insertEvent.run(seq, e.kind, e.id, e.version, item.source, storedAt, Date.parse(e.occurredAt), JSON.stringify(e), JSON.stringify(delta));
    lastSeq = seq;
    out.push({ seq, storedAt, source: item.source, event: e, delta });
    return { status: 'stored', seq };
  };

  const commitBatch = db.transaction((items: AppendItem[], out: StoredEvent[]) => {
    const storedAt = clock.now();
    return items.map((item) => applyOne(item, storedAt, out));
  });

  const group = createGroupCommit<AppendItem, AppendResult>({
    maxQueued,
    commit(items) {
      const stored: StoredEvent[] = [];
      const seqBefore = lastSeq;
      try {
        const results = commitBatch(items, stored);
        return { results, after: () => notify(stored) };
      } catch (err) {
        lastSeq = seqBefore; // rolled back: the seqs handed out in the failed transaction are free again
        throw err;
      }
    },
  });

  function notify(stored: StoredEvent[]) {
    if (stored.length === 0) return;
    for (const l of listeners) {
      try {
        l(stored);
      } catch {
        // a listener's failure must not undo or block a durable commit
      }
    }
  }

  function gauges(nowMs: number): Gauges {
    const g: Gauges = { overdue: { case: 0, ticket: 0, inspection: 0 }, overdueByArea: {} };
    for (const r of q.overdueCounts.all(nowMs)) {
      g.overdue[r.kind as keyof Gauges['overdue']] += r.n;
      g.overdueByArea[r.area] = (g.overdueByArea[r.area] ?? 0) + r.n;
    }
    return g;
  }

  function activeEntities(nowMs: number, limit: number): EntitySummary[] {
    const seen = new Set<string>();
    const out: EntitySummary[] = [];
    const take = (rows: Array<[string, string, string]>, cap: number) => {
      for (const [kind, id, json] of rows) {
        if (out.length >= cap) return;
        const key = `${kind}:${id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(JSON.parse(json) as EntitySummary);
      }
    };
    // The ones an officer must see first (longest overdue, then urgent), then the freshest.
    const share = Math.ceil(limit / 4);
    take(q.overdue.all(nowMs, share), share);
    take(q.urgentOpen.all(share), 2 * share);
    take(q.recentEntities.all(limit), limit);
    return out;
  }

  return {
    append: (items) => group.submit(items),
    latestSeq: () => lastSeq,
    oldestSeq: () => q.minSeq.get() ?? 0,
    readAfter: (afterSeq, limit) => q.readAfter.all(afterSeq, limit).map(toStored),
    history: (kind, id) => q.history.all(kind, id).map(toStored),
    gauges,
    snapshot({ nowMs, hourlyFrom, dimsFrom, entityLimit, recentLimit }): SnapshotData {
      // One synchronous read: nothing commits in between, so all parts agree on `seq`.
      return {
        seq: lastSeq,
        rollups: [...q.rollupsHourly.all(hourlyFrom), ...q.rollupsDims.all(dimsFrom, dimsFrom), ...q.rollupsGauges.all(GAUGE_HOUR)],
        entities: activeEntities(nowMs, entityLimit),
        recent: q.recent.all(recentLimit).map(toStored).reverse(),
        gauges: gauges(nowMs),
      };
    },
    alarms: createSqliteAlarms(db),
    queries: createSqliteQueries(db),
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      group.close();
      listeners.clear();
      db.close();
    },
  };
}
