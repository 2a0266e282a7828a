// What the screen knows about the town, kept current by the stream: rollup counters, the compact
// state of active entities (map points) and the live feed. Plain data, no Vue: the Pinia store
// wraps one instance with markRaw, so thousands of entries never become reactive objects.
// Every collection is bounded by count and by age (the screen runs for weeks).
import { GAUGE_HOUR, type RollupDelta } from '../../../shared/src/kpi/contributions';
import type { EntitySummary, Gauges, SnapshotSync, StreamEvent } from '../../../shared/src/protocol';
import { summarize } from '../../../shared/src/summary';
import { DAY_MS, HOUR_MS, hourOf, shanghaiDayStart } from '../../../shared/src/time';

export interface FeedItem {
  seq: number;
  /** kind:id, the entity key shared with map points */
  key: string;
  kind: EntitySummary['kind'];
  id: string;
  version: number;
  status: string;
  urgent: boolean;
  /** category, topic or campaign id */
  label: string;
  /** subcategory, ticket topic or inspection target: short and specific */
  title: string;
  address: string;
  occurredAt: string;
  storedAtMs: number;
  neighbourhoodId: string;
  gridId: string;
  dueAt?: string;
  open: boolean;
}

export interface Limits {
  feed: number;
  feedAgeMs: number;
  entities: number;
}
export const DEFAULT_LIMITS: Limits = { feed: 200, feedAgeMs: DAY_MS, entities: 5_000 };

export const entityKey = (kind: string, id: string): string => `${kind}:${id}`;

export const emptyGauges = (): Gauges => ({ overdue: { case: 0, ticket: 0, inspection: 0 }, overdueByArea: {} });

export function toFeedItem(s: StreamEvent): FeedItem {
  const e = s.event;
  const summary = summarize(e);
  const title = e.kind === 'case' ? e.subcategory : e.kind === 'ticket' ? e.topic : e.target.name;
  const item: FeedItem = {
    seq: s.seq,
    key: entityKey(e.kind, e.id),
    kind: e.kind,
    id: e.id,
    version: e.version,
    status: e.status,
    urgent: e.urgent,
    label: summary.label,
    title,
    address: e.address,
    occurredAt: e.occurredAt,
    storedAtMs: Date.parse(s.storedAt),
    neighbourhoodId: e.location.neighbourhoodId,
    gridId: e.location.gridId,
    open: summary.open,
  };
  if (summary.dueAt) item.dueAt = summary.dueAt;
  return item;
}

/** Changes of map-relevant entities caused by one operation. */
export interface EntityChanges {
  reset: boolean;
  changed: EntitySummary[];
  removed: string[];
}

export class StreamData {
  /** hour bucket → rollup key → count; hour 0 holds the gauges ("open now"). */
  readonly rollups = new Map<number, Map<string, number>>();
  readonly entities = new Map<string, EntitySummary>();
  /** Newest first. */
  feed: FeedItem[] = [];
  gauges: Gauges = emptyGauges();

  constructor(readonly limits: Limits = DEFAULT_LIMITS) {}

  loadSnapshot(s: SnapshotSync, nowMs: number): EntityChanges {
    this.rollups.clear();
    this.entities.clear();
    this.addRollups(s.rollups);
    for (const e of s.entities) this.entities.set(entityKey(e.kind, e.id), e);
    this.feed = s.recent.slice(-this.limits.feed).reverse().map(toFeedItem);
    this.gauges = s.gauges;
    const pruned = this.prune(nowMs);
    return { reset: true, changed: [...this.entities.values()], removed: pruned };
  }

  addRollups(delta: RollupDelta): void {
    for (const [hour, key, n] of delta) {
      let row = this.rollups.get(hour);
      if (!row) this.rollups.set(hour, (row = new Map()));
      const next = (row.get(key) ?? 0) + n;
      if (next === 0) row.delete(key);
      else row.set(key, next);
    }
  }

  /** Applies one in-order, not-yet-seen event; returns the entity if its summary changed. */
  apply(s: StreamEvent): EntitySummary | undefined {
    this.addRollups(s.delta);
    this.feed.unshift(toFeedItem(s));
    if (this.feed.length > this.limits.feed) this.feed.length = this.limits.feed;
    const summary = summarize(s.event);
    const key = entityKey(summary.kind, summary.id);
    const known = this.entities.get(key);
    if (known && known.version >= summary.version) return undefined; // an older correction: keep the newer state
    this.entities.set(key, summary);
    return summary;
  }

  count(hour: number, key: string): number {
    return this.rollups.get(hour)?.get(key) ?? 0;
  }

  /**
   * Sums every key over hours [fromHour, toHour), plus `partial` × the hour `toHour` (a pro-rata
   * share of the current hour, for "same time yesterday").
   */
  sum(fromHour: number, toHour: number, partial = 0): Map<string, number> {
    const out = new Map<string, number>();
    const add = (row: Map<string, number> | undefined, w: number) => {
      if (!row) return;
      for (const [k, n] of row) out.set(k, (out.get(k) ?? 0) + n * w);
    };
    for (let h = fromHour; h < toHour; h++) add(this.rollups.get(h), 1);
    if (partial > 0) add(this.rollups.get(toHour), partial);
    return out;
  }

  /** The gauge row (hour 0): "open now" counters. */
  get openNow(): ReadonlyMap<string, number> {
    return this.rollups.get(GAUGE_HOUR) ?? new Map();
  }

  /**
   * Drops what no panel shows any more: rollup hours before yesterday, entities closed before
   * today, feed items older than the feed's age, and the oldest entities beyond the cap (closed
   * first). Returns the removed entity keys.
   */
  prune(nowMs: number): string[] {
    const todayStart = shanghaiDayStart(nowMs);
    const oldestHour = hourOf(todayStart - DAY_MS);
    for (const hour of this.rollups.keys()) if (hour !== GAUGE_HOUR && hour < oldestHour) this.rollups.delete(hour);

    const removed: string[] = [];
    for (const [key, e] of this.entities)
      if (!e.open && Date.parse(e.updatedAt) < todayStart) {
        this.entities.delete(key);
        removed.push(key);
      }
    const excess = this.entities.size - this.limits.entities;
    if (excess > 0) {
      const byAge = [...this.entities.entries()].sort(
        ([, a], [, b]) => Number(a.open) - Number(b.open) || Date.parse(a.updatedAt) - Date.parse(b.updatedAt),
      );
      for (const [key] of byAge.slice(0, excess)) {
        this.entities.delete(key);
        removed.push(key);
      }
    }

    const feedCutoff = nowMs - this.limits.feedAgeMs;
    if (this.feed.length && this.feed.at(-1)!.storedAtMs < feedCutoff) this.feed = this.feed.filter((f) => f.storedAtMs >= feedCutoff);
    return removed;
  }

  /** Entities over the cap get pruned in amortised steps, not on every event. */
  overCap(): boolean {
    return this.entities.size > this.limits.entities + Math.max(10, this.limits.entities / 20);
  }
}

export const hourStart = (hour: number): number => hour * HOUR_MS;
