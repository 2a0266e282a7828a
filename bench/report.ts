// A benchmark section: each figure measured against a baseline in the same run, with its target.
import { availableParallelism, loadavg } from 'node:os';

export interface BenchRow {
  metric: string;
  value: string;
  baseline?: string;
  /** value ÷ baseline (or whatever ratio the target is stated in) */
  ratio?: string;
  target: string;
  met: boolean | null;
}

export interface BenchSection {
  title: string;
  rows: BenchRow[];
  notes?: string[];
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
export const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/**
 * The machine's 1-minute load average before a section and at its end, to tell a quiet run from one
 * that shared the cores: `const load = loadBefore()` at the start, `load()` for the note.
 */
export function loadBefore(): () => string {
  const before = loadavg()[0]!;
  return () => `1-minute load average ${fmt(before, 2)} before the section and ${fmt(loadavg()[0]!, 2)} at its end, on ${availableParallelism()} cores (the section itself keeps them busy; a high figure before it is other work or the previous section).`;
}
