// The published 数字城管 bulletin figures (docs/domain.md, "Anchors") come out of the model's rates.
import { describe, expect, it } from 'vitest';
import { computeFigures } from '#shared/model/figures';

const figuresOf = (counters: Record<string, number>) => computeFigures((k) => counters[k] ?? 0, 'town', null);

describe('bulletin anchors', () => {
  it('天门, December: 结案率 93.72 % and 按期结案率 75.82 % of 972 应结案, not of 996 立案', () => {
    const f = figuresOf({ 'case.new': 996, 'case.due': 972, 'case.closed': 911, 'case.onTime': 737 });
    expect(f.rates.closure!.toFixed(4)).toBe('0.9372');
    expect(f.rates.onTime!.toFixed(4)).toBe('0.7582');
    expect(f.counts.casesNew).toBe(996);
  });

  it('福州, 2024 Q1: 99.99 % closed, 99.83 % on time, 0.05 % rework', () => {
    const f = figuresOf({ 'case.due': 10_000, 'case.closed': 9_999, 'case.onTime': 9_983, 'case.reworked': 5 });
    expect(f.rates.closure).toBe(0.9999);
    expect(f.rates.onTime).toBe(0.9983);
    expect(f.rates.rework).toBe(0.0005);
  });

  it('a zero denominator is no data, never 0 % or 100 %', () => {
    const f = figuresOf({ 'case.new': 3, 'case.closed': 0 });
    expect(f.rates.closure).toBeNull();
    expect(f.rates.onTime).toBeNull();
    expect(f.rates.smart).toBe(0);
  });
});
