// What one commit writes, computed once for both backends: for each item its seq (or duplicate),
// the log row, the entity row it moves and the counter rows it changes, summed over the commit
// (many events share a row). Pure: the backend looks entities up and writes the plan in one transaction.
import type { IngestEvent } from '#shared/events';
import { dueOf, isOpen } from '#shared/lifecycle';
import { expandDelta, rollupDelta, type GeoLookup } from '#shared/model/contributions';
import { splitKey, type RollupDelta } from '#shared/model/keys';
import { maskText } from '#shared/privacy';
import { summarize } from '#shared/summary';
import type { AppendItem, AppendResult, CounterRow, StoredEvent } from './types';

/** The current state of an entity as stored (its latest version's body). */
export type EntityLookup = (kind: string, id: string) => IngestEvent | undefined;

export interface EntityRowData {
  kind: string; id: string; version: number; seq: number; updatedAt: number; open: boolean; urgent: boolean;
  dueAt: number | null; area: string; nb: string; grid: string; address: string; summary: string; body: string;
  /** what search matches besides the id: the address masked as screens see it (docs/privacy.md) */
  searchText: string;
  /** the summary's first-report instant (epoch ms) and label, as list columns (Open311 requests) */
  startedAt: number; label: string;
}

export interface LogRowData {
  stored: StoredEvent;
  occurredAt: number; body: string; delta: string; area: string; nb: string; grid: string;
}

export interface CommitPlan {
  results: AppendResult[];
  /** the new log rows, in seq order */
  log: LogRowData[];
  /** entity rows to upsert (the last state of each entity in the commit) */
  entities: EntityRowData[];
  /** counter changes summed by (hour, full key), zeros left out */
  counters: CounterRow[];
  /** the same, as [place, hour, metric, n] for a table keyed by place */
  counterRows: Array<[string, number, string, number]>;
  lastSeq: number;
}

/**
 * What an item's rows hold that does not depend on the stored state: computed before the commit
 * takes its turn, so a PostgreSQL writer holds the seq lock for less time.
 */
export interface PreparedItem {
  item: AppendItem;
  body: string;
  summary: string;
  area: string;
  occurredAt: number;
  dueAt: number | null;
  searchText: string;
  startedAt: number;
  label: string;
}

export function prepareItems(items: readonly AppendItem[], geo: GeoLookup): PreparedItem[] {
  return items.map((item) => {
    const e = item.event;
    const due = dueOf(e);
    const summary = summarize(e);
    return {
      item, body: JSON.stringify(e), summary: JSON.stringify(summary), area: geo.areaOf(e.location.neighbourhoodId) ?? 'A0',
      occurredAt: Date.parse(e.occurredAt), dueAt: due ? Date.parse(due) : null, searchText: maskText(e.address),
      startedAt: Date.parse(summary.startedAt), label: summary.label,
    };
  });
}

export interface PlanInput {
  items: readonly PreparedItem[];
  /** the last seq committed before this commit */
  lastSeq: number;
  storedAt: number;
  geo: GeoLookup;
  entity: EntityLookup;
  /** whether (kind, id, version) is in the log already */
  stored: (kind: string, id: string, version: number) => boolean;
}

/** An entity's key in plans and lookups. */
export const entityKey = (kind: string, id: string) => `${kind}\u0000${id}`;
const key = entityKey;
/** One stored version's key. */
export const versionKey = (kind: string, id: string, version: number) => `${entityKey(kind, id)}\u0000${version}`;

/** Counter changes summed by (hour, full key); `rows()` leaves the zeros out. */
export function counterSums() {
  const sums = new Map<string, CounterRow>();
  return {
    add(hour: number, full: string, n: number) {
      const id = `${hour}\u0000${full}`;
      const row = sums.get(id);
      if (row) row[2] += n;
      else sums.set(id, [hour, full, n]);
    },
    rows: (): CounterRow[] => [...sums.values()].filter((r) => r[2] !== 0),
  };
}

/** Counter sums as [place, hour, metric, n] rows for a table keyed by place. */
export const toCounterRows = (counters: readonly CounterRow[]) =>
  counters.map(([hour, full, n]): [string, number, string, number] => {
    const [metric, place] = splitKey(full);
    return [place, hour, metric, n];
  });

export function planCommit({ items, lastSeq, storedAt, geo, entity, stored }: PlanInput): CommitPlan {
  const results: AppendResult[] = [];
  const log: LogRowData[] = [];
  const entities = new Map<string, EntityRowData>();
  /** states moved within this commit, ahead of the store */
  const current = new Map<string, IngestEvent>();
  const seen = new Set<string>();
  const sums = counterSums();
  let seq = lastSeq;

  for (const { item, body, summary, area, occurredAt, dueAt, searchText, startedAt, label } of items) {
    const e = item.event;
    const version = versionKey(e.kind, e.id, e.version);
    if (seen.has(version) || stored(e.kind, e.id, e.version)) {
      results.push({ status: 'duplicate' });
      continue;
    }
    seen.add(version);
    seq += 1;
    const k = key(e.kind, e.id);
    const before = current.has(k) ? current.get(k) : entity(e.kind, e.id);
    let delta: RollupDelta = [];
    // Only a newer version moves the entity; a late older version is kept in the log as history.
    const moves = !before || before.version < e.version;
    if (moves) {
      delta = rollupDelta(before, e, geo);
      current.set(k, e);
      entities.set(k, {
        kind: e.kind, id: e.id, version: e.version, seq, updatedAt: occurredAt, open: isOpen(e), urgent: Boolean(e.urgent),
        dueAt, area, nb: e.location.neighbourhoodId, grid: e.location.gridId, address: e.address, summary, body, searchText, startedAt, label,
      });
      for (const [hour, full, n] of expandDelta(delta, e, geo)) sums.add(hour, full, n);
    }
    log.push({
      stored: { seq, storedAt, source: item.source, event: e, delta, ...(moves ? {} : { stale: true as const }) },
      occurredAt, body, delta: JSON.stringify(delta),
      area, nb: e.location.neighbourhoodId, grid: e.location.gridId,
    });
    results.push({ status: 'stored', seq });
  }
  const counters = sums.rows();
  return { results, log, entities: [...entities.values()], counters, counterRows: toCounterRows(counters), lastSeq: seq };
}
