// What the screen knows about the town, kept current by the stream: rollup counters, the compact
// state of active entities (map points) and the live feed. Plain data, no Vue: the Pinia store
// wraps one instance with markRaw, so thousands of entries never become reactive objects.
// Every collection is bounded by count and by age (the screen runs for weeks).
import { expandDelta, type GeoLookup } from '#shared/model/contributions';
import { Counters } from '#shared/model/counters';
import type { EntitySummary, Gauges, SnapshotSync, StreamEvent } from '#shared/protocol';
import { summarize } from '#shared/summary';
import { DAY_MS, hourOf, shanghaiDayStart } from '#shared/time';

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
  /** occurredAt as epoch ms: sources may write other offsets than +08:00, so ISO text does not sort */
  occurredAtMs: number;
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

/** A live event older than the feed's newest by more than this is placed by when it happened. */
export const LATE_MS = 3_600_000;

export const emptyGauges = (): Gauges => ({ overdue: {} });

/** Counters of the Shanghai day holding `ms`: the screens keep one day. */
export const dayCounters = (ms: number): Counters => {
  const from = hourOf(shanghaiDayStart(ms));
  return new Counters(from, from + 24);
};

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
    occurredAtMs: Date.parse(e.occurredAt),
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
  /** Today's counters and the gauges; a new day starts with a new snapshot. */
  counters: Counters;
  readonly entities = new Map<string, EntitySummary>();
  /** Newest first. */
  feed: FeedItem[] = [];
  gauges: Gauges = emptyGauges();

  constructor(readonly geo: GeoLookup, readonly limits: Limits = DEFAULT_LIMITS, nowMs = Date.now()) {
    this.counters = dayCounters(nowMs);
  }

  /** The start (ms) of the day the counters hold. */
  get dayStart(): number {
    return this.counters.fromHour * 3_600_000;
  }

  loadSnapshot(s: SnapshotSync, nowMs: number): EntityChanges {
    this.counters = dayCounters(nowMs);
    this.entities.clear();
    this.counters.add(s.rollups);
    for (const e of s.entities) this.entities.set(entityKey(e.kind, e.id), e);
    this.feed = s.recent.slice(-this.limits.feed).reverse().map(toFeedItem);
    this.gauges = s.gauges;
    const pruned = this.prune(nowMs);
    return { reset: true, changed: [...this.entities.values()], removed: pruned };
  }

  /**
   * The feed is newest first: what arrives goes on top (an officer sees what just came in, even if
   * it happened minutes ago), but an event older than the top one by more than LATE_MS (a backfilled
   * older day, a source catching up on yesterday) goes where it happened, or nowhere when older
   * than all kept.
   */
  private addToFeed(item: FeedItem): void {
    const feed = this.feed;
    let i = 0;
    if (feed.length && item.occurredAtMs < feed[0]!.occurredAtMs - LATE_MS)
      while (i < feed.length && feed[i]!.occurredAtMs > item.occurredAtMs) i++;
    if (i >= this.limits.feed) return;
    feed.splice(i, 0, item);
    if (feed.length > this.limits.feed) feed.length = this.limits.feed;
  }

  /** Applies one in-order, not-yet-seen event; returns the entity if its summary changed. */
  apply(s: StreamEvent): EntitySummary | undefined {
    this.counters.add(expandDelta(s.delta, s.event, this.geo));
    this.addToFeed(toFeedItem(s));
    const summary = summarize(s.event);
    const key = entityKey(summary.kind, summary.id);
    const known = this.entities.get(key);
    // A late older version is history: never drawn as current, whether or not this screen holds the entity.
    if (s.stale || (known && known.version >= summary.version)) return undefined;
    this.entities.set(key, summary);
    return summary;
  }

  /**
   * Drops what no panel shows any more: entities closed before today, feed items older than the
   * feed's age, and the oldest entities beyond the cap (closed first). Returns the removed keys.
   */
  prune(nowMs: number): string[] {
    const todayStart = shanghaiDayStart(nowMs);

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
