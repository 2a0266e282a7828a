// What the three lifecycles share: timed versions of one entity, and the working day of the departments.
import type { IngestEventInput } from '../../../shared/src/events';
import { DAY_MS, HOUR_MS, SHANGHAI_OFFSET_MS, shanghaiDayStart, toShanghaiIso } from '../../../shared/src/time';

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
export const iso = (ms: number): string => toShanghaiIso(sec(ms));

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
  /** fields that change at this step and stay in later versions */
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
    if (s.set) state = { ...state, ...s.set };
    const t = sec(s.t);
    out.push({ t, e: { ...state, version: k + 1, occurredAt: toShanghaiIso(t), status: s.status } as IngestEventInput });
  });
  return out;
}
