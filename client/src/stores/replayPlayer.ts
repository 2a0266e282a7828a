// Replay of one day: the day's stored versions, in event-time order as the server pages them,
// applied up to a replay clock. Keeps the map state (latest summary per entity) and a feed, both
// bounded, plus a bounded buffer of events still to come; the live stream is never touched.
// Plain data, no Vue, no timers: the replay store drives the clock.
import type { ReplayPage } from '#shared/http';
import { expandDelta, type GeoLookup } from '#shared/model/contributions';
import type { Counters } from '#shared/model/counters';
import type { RollupDelta } from '#shared/model/keys';
import type { EntitySummary, StreamEvent } from '#shared/protocol';
import { summarize } from '#shared/summary';
import { DAY_MS, shanghaiMidnight } from '#shared/time';
import { dayCounters, entityKey, toFeedItem, type EntityChanges, type FeedItem } from './streamData';

export interface ReplayLimits {
  feed: number;
  /** entities kept for the map (closed ones go first) */
  entities: number;
  /** events held ahead of the clock; loading pauses beyond it (and as many already played are kept for rewinding) */
  buffer: number;
}
export const DEFAULT_REPLAY_LIMITS: ReplayLimits = { feed: 200, entities: 20_000, buffer: 20_000 };

/** One event, compacted: what the map, the feed and the counters need, not the whole event. */
interface Item {
  t: number;
  summary: EntitySummary;
  feed: FeedItem;
  delta: RollupDelta;
}

const NO_CHANGES: EntityChanges = Object.freeze({ reset: false, changed: [], removed: [] }) as EntityChanges;

export class ReplayPlayer {
  readonly dayStart: number;
  /** end of the day, or now for today */
  readonly dayEnd: number;
  clock: number;
  /** the day's counters as of the clock: the opening state plus every applied event's change */
  counters: Counters;
  readonly entities = new Map<string, EntitySummary>();
  /** the town as the day began (first page) */
  private base: NonNullable<ReplayPage['base']> = { rollups: [], entities: [] };
  /** newest first */
  feed: FeedItem[] = [];
  /** all pages received */
  loadedAll = false;
  /** events received so far */
  loaded = 0;
  /** events applied since the start of the day */
  applied = 0;
  private items: Item[] = [];
  private head = 0;
  /** played events were dropped to bound memory: rewinding needs the pages again */
  private trimmed = false;

  constructor(readonly date: string, readonly geo: GeoLookup, readonly limits: ReplayLimits = DEFAULT_REPLAY_LIMITS, nowMs = Infinity) {
    this.dayStart = shanghaiMidnight(date);
    this.dayEnd = Math.max(this.dayStart, Math.min(this.dayStart + DAY_MS, nowMs));
    this.clock = this.dayStart;
    this.counters = dayCounters(this.dayStart);
  }

  /** Events loaded and not yet applied. */
  get ahead(): number {
    return this.items.length - this.head;
  }

  /** Should another page be loaded now? */
  get wantsMore(): boolean {
    return !this.loadedAll && this.ahead < this.limits.buffer;
  }

  /** Up to this time every event is loaded (the clock cannot pass it). */
  get frontier(): number {
    if (this.loadedAll) return this.dayEnd;
    const last = this.items.at(-1);
    return last ? last.t : this.dayStart;
  }

  get ended(): boolean {
    return this.loadedAll && this.head >= this.items.length && this.clock >= this.dayEnd;
  }

  /** A page from /api/v1/replay (event-time order); `last` when the server said there is no next page. */
  append(page: readonly StreamEvent[], last: boolean, base?: ReplayPage['base']): EntityChanges {
    let changes: EntityChanges = NO_CHANGES;
    if (base) {
      this.base = base;
      changes = this.start();
    }
    for (const v of page) {
      const t = Date.parse(v.event.occurredAt);
      if (!Number.isFinite(t)) continue;
      this.items.push({ t, summary: summarize(v.event), feed: toFeedItem(v), delta: expandDelta(v.delta, v.event, this.geo) });
    }
    this.loaded += page.length;
    if (last) this.loadedAll = true;
    return changes;
  }

  /** The opening state: the counters and open entities as the day began. */
  private start(): EntityChanges {
    this.counters = dayCounters(this.dayStart);
    this.counters.add(this.base.rollups);
    this.entities.clear();
    for (const e of this.base.entities) this.entities.set(entityKey(e.kind, e.id), e);
    return { reset: true, changed: [...this.entities.values()], removed: [] };
  }

  /** Time of the next event to apply, if loaded. */
  nextTime(): number | null {
    return this.items[this.head]?.t ?? null;
  }

  /** Applies every event up to `ms` (never past what is loaded, never backwards). */
  advanceTo(ms: number): EntityChanges {
    const target = Math.max(this.clock, Math.min(ms, this.frontier, this.dayEnd));
    const changed = new Map<string, EntitySummary>();
    while (this.head < this.items.length && this.items[this.head]!.t <= target) this.apply(this.items[this.head++]!, changed);
    this.clock = target;
    if (this.head > this.limits.buffer) {
      this.items = this.items.slice(this.head);
      this.head = 0;
      this.trimmed = true;
    }
    return changed.size || this.entities.size > this.limits.entities ? this.bound(changed) : NO_CHANGES;
  }

  /** Jumps to the next event and applies it (with any others at the same instant). */
  step(): EntityChanges {
    const t = this.nextTime();
    return t === null ? NO_CHANGES : this.advanceTo(t);
  }

  /**
   * Back to 00:00 with an empty map. Returns true when the loaded events suffice, false when played
   * events were dropped and the pages must be loaded again from the start.
   */
  rewind(): boolean {
    this.start();
    this.feed = [];
    this.applied = 0;
    this.clock = this.dayStart;
    this.head = 0;
    if (!this.trimmed) return true;
    this.items = [];
    this.loaded = 0;
    this.loadedAll = false;
    this.trimmed = false;
    return false;
  }

  private apply(it: Item, changed: Map<string, EntitySummary>): void {
    this.applied++;
    this.counters.add(it.delta);
    this.feed.unshift(it.feed);
    if (this.feed.length > this.limits.feed) this.feed.length = this.limits.feed;
    const key = entityKey(it.summary.kind, it.summary.id);
    const known = this.entities.get(key);
    if (known && known.version >= it.summary.version) return; // an older correction
    this.entities.delete(key); // re-insert: Map order is the order of last change
    this.entities.set(key, it.summary);
    changed.set(key, it.summary);
  }

  private bound(changed: Map<string, EntitySummary>): EntityChanges {
    const removed: string[] = [];
    const drop = (key: string) => {
      this.entities.delete(key);
      changed.delete(key);
      removed.push(key);
    };
    if (this.entities.size > this.limits.entities) {
      const goal = Math.floor(this.limits.entities * 0.9);
      for (const [key, s] of this.entities) {
        if (this.entities.size <= goal) break;
        if (!s.open) drop(key);
      }
      for (const key of this.entities.keys()) {
        if (this.entities.size <= this.limits.entities) break;
        drop(key);
      }
    }
    return { reset: false, changed: [...changed.values()], removed };
  }
}
