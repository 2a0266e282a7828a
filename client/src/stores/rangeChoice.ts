// The time range a view shows (今日 · 昨日 · 近7天 · 近30天 · custom) as the URL and the range API
// name it. 今日 is the live screen. Pure.
import type { Preset, RangeReport } from '#shared/range';
import { DAY_MS, shanghaiDate, shanghaiMidnight } from '#shared/time';
import { t } from '../i18n';
import type { Lang } from '../params';

export const rangePresets = ['today', 'yesterday', '7d', '30d'] as const satisfies readonly Preset[];

export type RangeChoice = { preset: Preset } | { preset: 'custom'; from: string; to: string };
export const LIVE_RANGE: RangeChoice = { preset: 'today' };
export const isLiveRange = (c: RangeChoice): boolean => c.preset === 'today';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (d: string | null): d is string => d !== null && DATE.test(d) && Number.isFinite(shanghaiMidnight(d));

/** The query string of /api/v1/range for a choice. */
export const rangeQuery = (c: RangeChoice): string =>
  c.preset === 'custom' ? `from=${c.from}&to=${c.to}` : `preset=${c.preset}`;

export function readRange(q: URLSearchParams): RangeChoice {
  const from = q.get('from');
  const to = q.get('to');
  if (validDate(from) && validDate(to) && from <= to) return { preset: 'custom', from, to };
  const preset = q.get('range');
  return (rangePresets as readonly string[]).includes(preset ?? '') ? { preset: preset as Preset } : LIVE_RANGE;
}

export function writeRange(q: URLSearchParams, c: RangeChoice): void {
  q.delete('range');
  q.delete('from');
  q.delete('to');
  if (c.preset === 'custom') {
    q.set('from', c.from);
    q.set('to', c.to);
  } else if (c.preset !== 'today') q.set('range', c.preset);
}

export function rangeLabel(c: RangeChoice, lang?: Lang): string {
  if (c.preset === 'custom') return c.from === c.to ? c.from : t('range.customSpan', { from: c.from, to: c.to }, lang);
  return t(`range.${c.preset}`, undefined, lang);
}

/** "2026-11-16 – 2026-11-22" of a report period ({from, to} ISO, `to` exclusive); `short` drops the years. */
export function periodDates(p: { from: string; to: string }, short = false): string {
  const cut = (d: string) => (short ? d.slice(5) : d);
  const from = cut(shanghaiDate(Date.parse(p.from)));
  const to = cut(shanghaiDate(Date.parse(p.to) - 1));
  return from === to ? from : `${from} – ${to}`;
}

/** Does the period reach up to now (its figures keep changing)? */
export const reachesNow = (report: RangeReport, nowMs: number): boolean => Date.parse(report.period.to) > nowMs - 5 * 60_000;

/** Days in a custom range (inclusive), for the custom picker's sanity check. */
export const spanDays = (from: string, to: string): number => Math.round((shanghaiMidnight(to) - shanghaiMidnight(from)) / DAY_MS) + 1;
