// What the three lifecycles share: timed versions of one entity, and the working day of the departments.
import type { IngestEventInput } from '#shared/events';
import { DAY_MS, HOUR_MS, SHANGHAI_OFFSET_MS, shanghaiDayStart, toShanghaiIso } from '#shared/time';

export type CaseInput = Extract<IngestEventInput, { kind: 'case' }>;
export type TicketInput = Extract<IngestEventInput, { kind: 'ticket' }>;
export type InspectionInput = Extract<IngestEventInput, { kind: 'inspection' }>;

/** One version of an entity and the instant (epoch ms, whole seconds) it happened. */
export interface Timed {
  t: number;
  e: IngestEventInput;
}

export const MINUTE = 60_000;
export const HOUR = HOUR_MS;
export const DAY = DAY_MS;

/** Whole seconds: the wire carries seconds, and sorting by ms must agree with sorting by the ISO text. */
export const sec = (ms: number): number => Math.floor(ms / 1000) * 1000;

/** "yyyy-mm-ddT" per Shanghai day number: formatting is the hottest part of planning a month. */
const dayPrefixes = new Map<number, string>();
const pad2 = (n: number) => (n < 10 ? '0' : '') + n;
/** toShanghaiIso(sec(ms)), e.g. 2026-11-21T09:30:00+08:00, without a Date per call. */
export function iso(ms: number): string {
  const local = Math.floor((ms + SHANGHAI_OFFSET_MS) / 1000);
  const day = Math.floor(local / 86_400);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= 4096) dayPrefixes.clear();
    prefix = toShanghaiIso(day * DAY_MS - SHANGHAI_OFFSET_MS).slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  const s = local - day * 86_400;
  return `${prefix}${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}+08:00`;
}

/** Local hour (Asia/Shanghai) of an instant, fractional. */
export const localHour = (ms: number): number => ((((ms + SHANGHAI_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;

/**
 * Departments work by day: a job that would start in the night (22:00–07:00) starts the next
 * morning between 07:30 and 09:00. Urgent work skips this.
 */
export function dayTime(rng: { between(a: number, b: number): number }, t: number): number {
  const h = localHour(t);
  if (h >= 7 && h < 22) return t;
  const morning = shanghaiDayStart(t) + (h >= 22 ? DAY_MS : 0) + 7.5 * HOUR_MS;
  return morning + rng.between(0, 90 * MINUTE);
}

export interface Step<E> {
  status: string;
  t: number;
  /** fields that change at this step and stay in later versions; a field set to undefined is removed */
  set?: Partial<E>;
}

/**
 * Versions 1..n of one entity: each carries the full state at that step (base fields plus every
 * `set` so far), occurredAt = the step's time. Times are floored to seconds, so order is kept.
 */
export function versionsOf<E extends IngestEventInput>(base: Omit<E, 'version' | 'occurredAt' | 'status'>, steps: Step<E>[]): Timed[] {
  const out: Timed[] = [];
  let state: Record<string, unknown> = { ...base };
  steps.forEach((s, k) => {
    if (s.set) {
      state = { ...state, ...s.set };
      for (const [f, v] of Object.entries(s.set)) if (v === undefined) delete state[f];
    }
    const t = sec(s.t);
    out.push({ t, e: { ...state, version: k + 1, occurredAt: iso(t), status: s.status } as IngestEventInput });
  });
  return out;
}
