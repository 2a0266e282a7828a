// The day plan: every version of every entity created on one Shanghai day, pure and deterministic
// (seed, scale, day) → events. The live simulator reads windows of it through eventsBetween.
import type { IngestEventInput } from '#shared/events';
import { DAY_MS, HOUR_MS, shanghaiDate, shanghaiDayStart } from '#shared/time';
import { campaigns, caseSources, type StreamKind } from '#shared/vocab';
import type { Town } from '../geo/town';
import { CASE_SPAN_MS, caseVersions } from './case';
import { INSPECTION_SPAN_MS, inspectionVersions } from './inspection';
import type { Timed } from './lifecycle';
import { placesOf } from './location';
import { createRng, hashSeed, subSeed, type Rng } from './random';
import { caseRates, inspectionBursts, ticketRates } from './rhythm';
import { TICKET_SPAN_MS, ticketVersions, type TicketMemo } from './ticket';

export interface SimConfig {
  seed: number;
  /** multiplies every arrival rate: 1 = the demo town, 100 = a city-sized load */
  scale: number;
}

/** One stream's plan for one day, sorted; `times[k]` is events[k].occurredAt in epoch ms. */
interface StreamPlan {
  events: IngestEventInput[];
  times: Float64Array;
}

/** How many earlier days can still have events today: each lifecycle's span, in whole days. */
const LOOKBACK_DAYS: Record<StreamKind, number> = {
  case: Math.ceil(CASE_SPAN_MS / DAY_MS),
  ticket: Math.ceil(TICKET_SPAN_MS / DAY_MS),
  inspection: Math.ceil(INSPECTION_SPAN_MS / DAY_MS),
};
const ID_PREFIX: Record<StreamKind, string> = { case: 'CS', ticket: 'RX', inspection: 'JC' };

/** Arrival instants (whole seconds) of a Poisson process with the given hourly rates. */
function arrivals(rng: Rng, dayStart: number, hourly: readonly number[], scale: number): number[] {
  const out: number[] = [];
  hourly.forEach((rate, h) => {
    const n = rng.poisson(rate * scale);
    for (let k = 0; k < n; k++) out.push(dayStart + h * HOUR_MS + rng.int(3600) * 1000);
  });
  return out;
}

/** Entity ids in order of creation, e.g. CS-20261121-0001; more digits at larger scales so they stay unique and sortable. */
function idMaker(kind: StreamKind, dayStart: number, scale: number, count: number): (k: number) => string {
  const width = Math.max(4 + Math.max(0, Math.ceil(Math.log10(scale))), String(count).length);
  const prefix = `${ID_PREFIX[kind]}-${shanghaiDate(dayStart).replaceAll('-', '')}-`;
  return (k) => prefix + String(k + 1).padStart(width, '0');
}

const byTime = (a: { t: number }, b: { t: number }) => a.t - b.t;
function compareTimed(a: Timed, b: Timed): number {
  return a.t - b.t || (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : a.e.version - b.e.version);
}

function buildStreamPlan(town: Town, cfg: SimConfig, kind: StreamKind, dayStart: number): StreamPlan {
  const label = `${shanghaiDate(dayStart)}:${kind}`;
  const rng = createRng(hashSeed(cfg.seed, `${label}:arrivals`));
  const entitySeed = hashSeed(cfg.seed, `${label}:entity`);
  const places = placesOf(town);
  const all: Timed[] = [];

  if (kind === 'case') {
    const news = caseSources
      .flatMap((source) => arrivals(rng, dayStart, caseRates[source], cfg.scale).map((t) => ({ t, source })))
      .sort(byTime);
    const id = idMaker(kind, dayStart, cfg.scale, news.length);
    news.forEach((c, k) => all.push(...caseVersions(createRng(subSeed(entitySeed, k)), places, { id: id(k), reportedAt: c.t, source: c.source })));
  } else if (kind === 'ticket') {
    const news = arrivals(rng, dayStart, ticketRates, cfg.scale).sort((a, b) => a - b);
    const id = idMaker(kind, dayStart, cfg.scale, news.length);
    const memos: TicketMemo[] = [];
    news.forEach((t, k) => {
      const r = ticketVersions(createRng(subSeed(entitySeed, k)), places, { id: id(k), receivedAt: t }, memos);
      memos.push(r.memo);
      all.push(...r.versions);
    });
  } else {
    const hours = inspectionBursts(rng);
    const news = arrivals(rng, dayStart, hours.map((h) => h.rate), cfg.scale)
      .map((t) => ({ t, hour: hours[Math.floor((t - dayStart) / HOUR_MS)]! }))
      .sort(byTime);
    const id = idMaker(kind, dayStart, cfg.scale, news.length);
    news.forEach((n, k) => {
      const er = createRng(subSeed(entitySeed, k));
      const campaign = er.chance(0.85) ? n.hour.campaign : er.pick(campaigns); // most teams are on the hour's campaign
      all.push(...inspectionVersions(er, places, { id: id(k), inspectedAt: n.t, campaign }));
    });
  }
  all.sort(compareTimed);
  return { events: all.map((x) => x.e), times: Float64Array.from(all, (x) => x.t) };
}

// ---- cache: a few day plans per stream, least recently used out ---------------------------------

const caches = new WeakMap<Town, Map<string, StreamPlan>>();
/** Per stream: its lookback plus today plus one for a window across midnight. */
const capacity = (kind: StreamKind) => LOOKBACK_DAYS[kind] + 2;

function streamPlan(town: Town, cfg: SimConfig, kind: StreamKind, dayStart: number): StreamPlan {
  let lru = caches.get(town);
  if (!lru) caches.set(town, (lru = new Map()));
  const key = `${kind}|${cfg.seed}|${cfg.scale}|${dayStart}`;
  const hit = lru.get(key);
  if (hit) {
    lru.delete(key); // re-insert: Map order is the recency order
    lru.set(key, hit);
    return hit;
  }
  const plan = buildStreamPlan(town, cfg, kind, dayStart);
  lru.set(key, plan);
  const mine = [...lru.keys()].filter((k) => k.startsWith(`${kind}|`));
  for (const k of mine.slice(0, Math.max(0, mine.length - capacity(kind)))) lru.delete(k);
  return plan;
}

// ---- reading plans ------------------------------------------------------------------------------

interface Slice { plan: StreamPlan; lo: number; hi: number }

/** First index whose time is ≥ t. */
function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether the head of slice a comes before the head of slice b (occurredAt, id, version). */
function before(a: Slice, b: Slice): boolean {
  const ea = a.plan.events[a.lo]!;
  const eb = b.plan.events[b.lo]!;
  const d = a.plan.times[a.lo]! - b.plan.times[b.lo]! || (ea.id < eb.id ? -1 : ea.id > eb.id ? 1 : ea.version - eb.version);
  return d < 0;
}

/**
 * Merge sorted slices into one list sorted by occurredAt, id, version: a binary heap of the slice
 * heads, O(n log k) — a month's backfill merges over a hundred day plans.
 */
function merge(slices: Slice[]): IngestEventInput[] {
  const out: IngestEventInput[] = [];
  const heap = slices.filter((s) => s.hi > s.lo).map((s) => ({ ...s }));
  const down = (k: number) => {
    for (;;) {
      const l = 2 * k + 1;
      if (l >= heap.length) return;
      const c = l + 1 < heap.length && before(heap[l + 1]!, heap[l]!) ? l + 1 : l;
      if (!before(heap[c]!, heap[k]!)) return;
      [heap[c], heap[k]] = [heap[k]!, heap[c]!];
      k = c;
    }
  };
  for (let k = (heap.length >> 1) - 1; k >= 0; k--) down(k);
  while (heap.length > 0) {
    const h = heap[0]!;
    out.push(h.plan.events[h.lo++]!);
    if (h.lo >= h.hi) {
      const last = heap.pop()!;
      if (heap.length === 0) break;
      heap[0] = last;
    }
    down(0);
  }
  return out;
}

const KINDS: readonly StreamKind[] = ['case', 'ticket', 'inspection'];

/**
 * Every version of every entity created on the Shanghai day that contains `dayStartMs`, sorted by
 * occurredAt, id, version. Lifecycles may run past midnight. Events are shared with the plan cache:
 * treat them as read-only.
 */
export function planDay(town: Town, cfg: SimConfig, dayStartMs: number): IngestEventInput[] {
  const day = shanghaiDayStart(dayStartMs);
  return merge(KINDS.map((k) => {
    const plan = streamPlan(town, cfg, k, day);
    return { plan, lo: 0, hi: plan.events.length };
  }));
}

/** All events with occurredAt in [fromMs, toMs), from every day plan that can reach the window, sorted as planDay. */
export function eventsBetween(town: Town, cfg: SimConfig, fromMs: number, toMs: number): IngestEventInput[] {
  if (!(toMs > fromMs)) return [];
  const slices: Slice[] = [];
  const lastDay = shanghaiDayStart(toMs - 1);
  for (const kind of KINDS) {
    for (let day = shanghaiDayStart(fromMs) - LOOKBACK_DAYS[kind] * DAY_MS; day <= lastDay; day += DAY_MS) {
      const plan = streamPlan(town, cfg, kind, day);
      slices.push({ plan, lo: lowerBound(plan.times, fromMs), hi: lowerBound(plan.times, toMs) });
    }
  }
  return merge(slices);
}
