// The arithmetic of a replayed day (docs/domain.md, "Replay"), apart from how a backend reads its
// inputs: each replayed event's change at its moment, and the town's state at the day's start.
import type { IngestEvent } from '#shared/events';
import { contributions, rollupDelta, type GeoLookup } from '#shared/model/contributions';
import { GAUGE_HOUR, counterKey, type RollupDelta } from '#shared/model/keys';
import type { EntitySummary } from '#shared/protocol';
import { isOverdue, summarize } from '#shared/summary';
import { hourOf } from '#shared/time';
import type { ReplayBase, ReplayEvent } from './types';

/**
 * Sets each event's delta to its change as of its moment: against the highest version that came
 * before it in replay order (a late-arriving older version changes nothing). `stateBefore` is asked
 * once per entity, for its first event on the page: its highest version before that event.
 */
export function replayDeltas(page: ReplayEvent[], stateBefore: (ev: ReplayEvent) => IngestEvent | undefined, geo: GeoLookup): ReplayEvent[] {
  const state = new Map<string, IngestEvent | null>();
  for (const ev of page) {
    const key = `${ev.event.kind}:${ev.event.id}`;
    if (!state.has(key)) state.set(key, stateBefore(ev) ?? null);
    const before = state.get(key) ?? undefined;
    let delta: RollupDelta = [];
    if (!before || before.version < ev.event.version) {
      delta = rollupDelta(before, ev.event, geo);
      state.set(key, ev.event);
    }
    ev.delta = delta;
  }
  return page;
}

/** An entity changed since the day's start: its state now and as it stood then (undefined: none). */
export interface ChangedEntity { now: IngestEvent | undefined; then: IngestEvent | undefined }

export interface ReplayBaseInput {
  fromMs: number;
  toMs: number;
  entityLimit: number;
  /** today's counter rows [hour, place, key, n] of the hours [fromMs, toMs) and the gauges (hour 0) */
  rows: Iterable<readonly [number, string, string, number]>;
  /** every entity with an event that occurred at or after fromMs */
  changed: Iterable<ChangedEntity & { kind: string; id: string }>;
  /** summaries of the entities open now whose state is older than fromMs */
  openBefore: Iterable<EntitySummary>;
}

/**
 * The town as of `fromMs` for the hours [fromMs, toMs): today's counters minus what the entities
 * changed since then contribute now, plus what they contributed as they stood then. Exact for any
 * order of arrival.
 */
export function replayBaseOf({ fromMs, toMs, entityLimit, rows, changed, openBefore }: ReplayBaseInput, geo: GeoLookup): ReplayBase {
  const [fromHour, toHour] = [hourOf(fromMs), Math.ceil(toMs / 3_600_000)];
  const sums = new Map<string, [number, string, number]>();
  const bump = (hour: number, key: string, n: number) => {
    if (hour !== GAUGE_HOUR && (hour < fromHour || hour >= toHour)) return;
    const id = `${hour}\u0000${key}`;
    const r = sums.get(id);
    if (r) r[2] += n;
    else sums.set(id, [hour, key, n]);
  };
  for (const [hour, place, key, n] of rows) bump(hour, counterKey(key, place), n);
  const seen = new Set<string>();
  const open: EntitySummary[] = [];
  for (const { kind, id, now, then } of changed) {
    seen.add(`${kind}:${id}`);
    if (now) for (const [hour, key] of contributions(now, geo)) bump(hour, key, -1);
    if (then) {
      for (const [hour, key] of contributions(then, geo)) bump(hour, key, +1);
      const s = summarize(then);
      if (s.open) open.push(s);
    }
  }
  for (const s of openBefore) if (!seen.has(`${s.kind}:${s.id}`)) open.push(s);
  // Overdue first, then urgent, then the most recently changed: what an officer looks at first.
  const rank = (s: EntitySummary) => (isOverdue(s, fromMs) ? 0 : s.urgent ? 1 : 2);
  open.sort((a, b) => rank(a) - rank(b) || (a.updatedAt < b.updatedAt ? 1 : -1));
  return { rollups: [...sums.values()].filter((r) => r[2] !== 0), entities: open.slice(0, entityLimit) };
}
