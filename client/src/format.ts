// Number formatting for the wall. "—" always means "no data" (a null rate), never zero.
import { shanghaiDate, SHANGHAI_OFFSET_MS } from '#shared/time';

export const NO_DATA = '—';

export const fmtCount = (n: number | null): string => (n === null ? NO_DATA : Math.round(n).toLocaleString('en-US'));

/** 0.934 → "93.4%" */
export const fmtRate = (r: number | null): string => (r === null ? NO_DATA : `${(r * 100).toFixed(1)}%`);

/** Relative change of a count: 0.12 → "+12%". */
export function fmtChange(c: number | null): string {
  if (c === null) return NO_DATA;
  const pct = Math.round(c * 100);
  return `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct)}%`;
}

/** Change of a rate in percentage points: 0.021 → "+2.1pt". */
export function fmtPoints(d: number | null): string {
  if (d === null) return NO_DATA;
  const p = Math.round(d * 1000) / 10;
  return `${p > 0 ? '+' : p < 0 ? '−' : '±'}${Math.abs(p).toFixed(1)}pt`;
}

/** hh:mm:ss Shanghai time of an epoch ms; "—" when unknown. */
export const fmtClock = (ms: number | null): string =>
  ms === null ? NO_DATA : new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(11, 19);

/** hh:mm Shanghai time of an ISO instant. */
export const fmtHourMinute = (iso: string): string => fmtClock(Date.parse(iso)).slice(0, 5);

/** hh:mm for an instant of the day `todayMs` falls in, else mm-dd hh:mm: a feed line says when it is not from today. */
export const fmtFeedTime = (iso: string, todayMs: number): string =>
  shanghaiDate(Date.parse(iso)) === shanghaiDate(todayMs) ? fmtHourMinute(iso) : `${shanghaiDate(Date.parse(iso)).slice(5)} ${fmtHourMinute(iso)}`;

/** mm-dd hh:mm Shanghai time of an ISO instant ("—" when unparsable). */
export function fmtDayTime(iso: string | undefined): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) return NO_DATA;
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(5, 16).replace('T', ' ');
}
