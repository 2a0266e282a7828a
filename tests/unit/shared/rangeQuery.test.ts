// The range query as one flat object (as /openapi.json documents it): a preset, or from and to; the
// first refusal names the field the screen API answers with (400 invalid_query, path).
import { describe, expect, it } from 'vitest';
import { rangeQuerySchema } from '#shared/rangeSchema';

const parse = (query: string) => {
  const o: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(query)) o[k] = k in o ? [o[k]!].flat().concat(v) : v;
  const r = rangeQuerySchema.safeParse(o);
  return r.success ? r.data : { path: r.error.issues[0]!.path.join('.'), message: r.error.issues[0]!.message };
};

describe('range query', () => {
  it('reads a preset or a custom range, with the place; a preset wins over from and to', () => {
    expect(parse('preset=7d')).toEqual({ preset: '7d' });
    expect(parse('preset=today&nb=N07')).toEqual({ preset: 'today', nb: 'N07' });
    expect(parse('from=2026-11-01&to=2026-11-05&grid=GC07')).toEqual({ from: '2026-11-01', to: '2026-11-05', grid: 'GC07' });
    expect(parse('preset=30d&from=2026-11-01&to=2026-11-05')).toEqual({ preset: '30d' });
    expect(parse('from=2024-01-01&to=2024-12-31')).toEqual({ from: '2024-01-01', to: '2024-12-31' }); // 366 days, the most
  });

  it('names the field at fault', () => {
    expect(parse('')).toEqual({ path: 'preset', message: 'expected a preset, or from and to' });
    expect(parse('preset=week')).toMatchObject({ path: 'preset' });
    expect(parse('preset=7d&preset=30d')).toMatchObject({ path: 'preset' });
    expect(parse('from=2026-11-01')).toEqual({ path: 'to', message: 'a custom range needs from and to' });
    expect(parse('to=2026-11-01')).toEqual({ path: 'from', message: 'a custom range needs from and to' });
    expect(parse('from=1.11.2026&to=2026-11-05')).toEqual({ path: 'from', message: 'expected a date yyyy-mm-dd' });
    expect(parse('from=2026-11-05&to=2026-11-01')).toEqual({ path: 'to', message: 'from must not be after to' });
    expect(parse('from=2024-01-01&to=2025-01-01')).toEqual({ path: 'to', message: 'a range spans at most 366 days' }); // 367 days
    expect(parse('preset=7d&nb=X1')).toEqual({ path: 'nb', message: 'expected a 居民区 id like N07' });
  });
});
