// Today's counters of this node, in memory: loaded once as of a seq, then moved by every event the
// commit feed delivers after that seq. A snapshot is built from here in a few milliseconds, not summed
// over today's rows in SQL on every connect. A new day loads the new day's rows.
import { NEW_METRICS, expandDelta, type GeoLookup } from '#shared/model/contributions';
import { Counters } from '#shared/model/counters';
import { GAUGE_HOUR, splitKey, type RollupDelta } from '#shared/model/keys';
import { hourOf, shanghaiDayStart } from '#shared/time';
import type { Store, StoredEvent } from '../store/types';

const SERIES = new Set<string>(Object.values(NEW_METRICS));

export interface Today {
  /** Loads the day of `nowMs` when it is not the day held (a new day, or the first call). */
  ready(nowMs: number): Promise<void>;
  /** The seq the counters are as of. */
  seq(): number;
  /**
   * Today's rows as a snapshot carries them: the hours so far summed into the day's first hour, except
   * the new-item counters (hour by hour, for the trend); the hours still to come; the gauges.
   */
  rollups(nowMs: number): RollupDelta;
  close(): void;
}

export function createToday(store: Store, geo: GeoLookup): Today {
  let day: Counters | undefined;
  let seq = 0;
  /** batches that arrive while a day loads, applied once it has */
  let waiting: StoredEvent[][] | null = null;
  let loading: Promise<void> | undefined;

  const apply = (events: StoredEvent[]) => {
    for (const s of events) {
      if (s.seq <= seq) continue;
      day?.add(expandDelta(s.delta, s.event, geo));
      seq = s.seq;
    }
  };
  const unsubscribe = store.feed.subscribe((events) => (waiting ? waiting.push(events) : apply(events)));

  async function load(nowMs: number) {
    waiting = [];
    try {
      const from = hourOf(shanghaiDayStart(nowMs));
      const read = await store.read.counterRows(from, from + 24);
      day = new Counters(from, from + 24);
      day.add(read.rows);
      seq = read.seq;
      for (const events of waiting) apply(events);
    } finally {
      waiting = null;
    }
  }

  return {
    ready(nowMs) {
      const from = hourOf(shanghaiDayStart(nowMs));
      if (day?.fromHour === from) return Promise.resolve();
      loading ??= load(nowMs).finally(() => (loading = undefined));
      return loading;
    },
    seq: () => seq,
    rollups(nowMs) {
      if (!day) return [];
      const hourNow = hourOf(nowMs);
      const out: RollupDelta = [];
      const summed = new Map<string, number>();
      for (const [hour, key, n] of day.rows()) {
        if (hour === GAUGE_HOUR || hour > hourNow || SERIES.has(splitKey(key)[0])) out.push([hour, key, n]);
        else summed.set(key, (summed.get(key) ?? 0) + n);
      }
      for (const [key, n] of summed) if (n !== 0) out.push([day.fromHour, key, n]);
      return out;
    },
    close: unsubscribe,
  };
}
