// SQLite event store: an append-only log with a gapless seq, the current state of every entity,
// and hourly rollups updated incrementally in the same transaction (O(1) per event).
// WAL + synchronous=FULL: an item is acknowledged only after its commit is on disk.
import type { IngestEvent } from '#shared/events';
import { dueOf, isOpen } from '#shared/lifecycle';
import { NEW_METRICS, expandDelta, rollupDelta, type GeoLookup } from '#shared/model/contributions';
import { Counters } from '#shared/model/counters';
import { GAUGE_HOUR, counterKey, splitKey, type RollupDelta } from '#shared/model/keys';
import { TOWN_PLACE } from '#shared/model/places';
import type { EntitySummary, Gauges } from '#shared/protocol';
import type { StreamCounts } from '#shared/range';
import { summarize } from '#shared/summary';
import { hourOf, shanghaiDayStart } from '#shared/time';
import type { Clock } from '../clock';
import { createGroupCommit } from './groupCommit';
import { createSqliteAlarms } from './sqliteAlarms';
import { openDatabase, rollupRowsBetween, toStored, type EventRow } from './sqliteDb';
import { createSqliteQueries } from './sqliteQueries';
import type { AppendItem, AppendResult, EventStore, SnapshotData, StoredEvent } from './types';

const SERIES = new Set<string>(Object.values(NEW_METRICS));
type Row = [number, string, number];
const fullKeys = (rows: Array<[number, string, string, number]>): Row[] => rows.map(([hour, place, key, n]) => [hour, counterKey(key, place), n]);

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
    insertEvent: db.prepare('INSERT INTO events (seq, kind, id, version, source, stored_at, occurred_at, body, delta, area, nb, grid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    upsertEntity: db.prepare(`INSERT INTO entities (kind, id, version, seq, updated_at, open, urgent, due_at, area, nb, grid, address, summary, body)
      VALUES (@kind, @id, @version, @seq, @updatedAt, @open, @urgent, @dueAt, @area, @nb, @grid, @address, @summary, @body)
      ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, seq = excluded.seq, updated_at = excluded.updated_at,
        open = excluded.open, urgent = excluded.urgent, due_at = excluded.due_at, area = excluded.area, nb = excluded.nb,
        grid = excluded.grid, address = excluded.address, summary = excluded.summary, body = excluded.body`),
    bumpRollup: db.prepare<[string, number, string, number]>(
      'INSERT INTO rollups (place, hour, key, count) VALUES (?, ?, ?, ?) ON CONFLICT (place, hour, key) DO UPDATE SET count = count + excluded.count'),
    maxSeq: db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM events').pluck(),
    minSeq: db.prepare<[], number>('SELECT coalesce(min(seq), 0) FROM events').pluck(),
    readAfter: db.prepare<[number, number], EventRow>('SELECT seq, stored_at, source, body, delta FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
    // the latest by when they happened (a backfill stores older days after newer ones)
    recent: db.prepare<[number], EventRow>('SELECT seq, stored_at, source, body, delta FROM events ORDER BY occurred_at DESC, seq DESC LIMIT ?'),
    history: db.prepare<[string, string], EventRow>('SELECT seq, stored_at, source, body, delta FROM events WHERE kind = ? AND id = ? ORDER BY version, seq'),
    rollupRows: rollupRowsBetween(db),
    overdue: db.prepare<[number, number], [string, string, string]>('SELECT kind, id, summary FROM entities WHERE open = 1 AND due_at < ? ORDER BY due_at LIMIT ?').raw(),
    urgentOpen: db.prepare<[number], [string, string, string]>('SELECT kind, id, summary FROM entities WHERE open = 1 AND urgent = 1 ORDER BY updated_at DESC LIMIT ?').raw(),
    recentEntities: db.prepare<[number], [string, string, string]>('SELECT kind, id, summary FROM entities ORDER BY updated_at DESC LIMIT ?').raw(),
    overdueCounts: db.prepare<[number], { kind: keyof StreamCounts; area: string; nb: string; grid: string; n: number }>(
      'SELECT kind, area, nb, grid, count(*) AS n FROM entities WHERE open = 1 AND due_at < ? GROUP BY kind, area, nb, grid'),
  };

  let lastSeq = q.maxSeq.get() ?? 0;

  /**
   * Today's counter rows and the gauges, kept in memory beside the table (updated after each
   * commit): a snapshot is built from here in a few milliseconds, not summed over today's rows in
   * SQL on every connect. A new day loads the new day's rows.
   */
  const loadDay = (nowMs: number): Counters => {
    const from = hourOf(shanghaiDayStart(nowMs));
    const day = new Counters(from, from + 24);
    day.add(fullKeys(q.rollupRows(from, from + 24)));
    return day;
  };
  let today = loadDay(clock.now());
  const listeners = new Set<(events: StoredEvent[]) => void>();

  /** Counter changes of one commit, summed before they are written: many events share a row. */
  const pendingRows = new Map<string, Row>();
  const addRows = (delta: RollupDelta, e: IngestEvent) => {
    for (const [hour, key, n] of expandDelta(delta, e, geo)) {
      const id = `${hour}\u0000${key}`;
      const row = pendingRows.get(id);
      if (row) row[2] += n;
      else pendingRows.set(id, [hour, key, n]);
    }
  };
  /** The rows of the last commit, for today's counters once it is durable. */
  let committedRows: Row[] = [];
  const writeRows = () => {
    committedRows = [...pendingRows.values()];
    for (const [hour, key, n] of pendingRows.values()) {
      if (n === 0) continue;
      const [metric, place] = splitKey(key);
      q.bumpRollup.run(place, hour, metric, n);
    }
    pendingRows.clear();
  };

  const applyOne = (item: AppendItem, storedAt: number, out: StoredEvent[]): AppendResult => {
    const e = item.event;
    if (q.isDuplicate.get(e.kind, e.id, e.version)) return { status: 'duplicate' };
    const row = q.entity.get(e.kind, e.id);
    let delta: RollupDelta = [];
    const seq = lastSeq + 1;
    const body = JSON.stringify(e);
    const area = geo.areaOf(e.location.neighbourhoodId) ?? 'A0';
    // Only a newer version moves the entity; a late older version is kept in the log as history.
    if (!row || row.version < e.version) {
      const before = row ? (JSON.parse(row.body) as IngestEvent) : undefined;
      delta = rollupDelta(before, e, geo);
      const due = dueOf(e);
      q.upsertEntity.run({
        kind: e.kind, id: e.id, version: e.version, seq, updatedAt: Date.parse(e.occurredAt),
        open: isOpen(e) ? 1 : 0, urgent: e.urgent ? 1 : 0, dueAt: due ? Date.parse(due) : null,
        area, nb: e.location.neighbourhoodId, grid: e.location.gridId,
        address: e.address, summary: JSON.stringify(summarize(e)), body,
      });
      addRows(delta, e);
    }
    q.insertEvent.run(seq, e.kind, e.id, e.version, item.source, storedAt, Date.parse(e.occurredAt), body, JSON.stringify(delta),
      area, e.location.neighbourhoodId, e.location.gridId);
    lastSeq = seq;
    out.push({ seq, storedAt, source: item.source, event: e, delta });
    return { status: 'stored', seq };
  };

  const commitBatch = db.transaction((items: AppendItem[], out: StoredEvent[]) => {
    const storedAt = clock.now();
    pendingRows.clear();
    const results = items.map((item) => applyOne(item, storedAt, out));
    writeRows();
    return results;
  });

  const group = createGroupCommit<AppendItem, AppendResult>({
    maxQueued,
    commit(items) {
      const stored: StoredEvent[] = [];
      const seqBefore = lastSeq;
      try {
        const results = commitBatch(items, stored);
        today.add(committedRows);
        committedRows = [];
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
    const overdue: Gauges['overdue'] = {};
    for (const r of q.overdueCounts.all(nowMs))
      for (const place of [TOWN_PLACE, r.area, r.nb, r.grid]) (overdue[place] ??= { case: 0, ticket: 0, inspection: 0 })[r.kind] += r.n;
    return { overdue };
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
    snapshot({ nowMs, entityLimit, recentLimit }): SnapshotData {
      // One synchronous read: nothing commits in between, so all parts agree on `seq`.
      const from = hourOf(shanghaiDayStart(nowMs));
      if (today.fromHour !== from) today = loadDay(nowMs);
      const hourNow = hourOf(nowMs);
      // The hours so far summed into today's first hour, except the new-item counters (hour by
      // hour, for the trend); the hours still to come today; the gauges.
      const rollups: RollupDelta = [];
      const summed = new Map<string, number>();
      for (const [hour, key, n] of today.rows()) {
        if (hour === GAUGE_HOUR || hour > hourNow || SERIES.has(splitKey(key)[0])) rollups.push([hour, key, n]);
        else summed.set(key, (summed.get(key) ?? 0) + n);
      }
      for (const [key, n] of summed) if (n !== 0) rollups.push([from, key, n]);
      return {
        seq: lastSeq,
        rollups,
        entities: activeEntities(nowMs, entityLimit),
        recent: q.recent.all(recentLimit).map(toStored).reverse(),
        gauges: gauges(nowMs),
      };
    },
    alarms: createSqliteAlarms(db),
    queries: createSqliteQueries(db, geo),
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
