// The HTTP contract of /api/v1/range: the query the server parses and the answer it returns, as
// schemas (the TypeScript types in range.ts and model/figures.ts are checked against them).
import { z } from 'zod';
import { AREA_ID, GRID_ID, NEIGHBOURHOOD_ID } from './geo';
import { BREAKDOWNS, COUNTS, RATES } from './model/definitions';
import { MAX_RANGE_DAYS, presets, type RangeReport } from './range';
import { DAY_MS, shanghaiMidnight } from './time';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date yyyy-mm-dd');
/** The place as the screen's URL names it: ?area=A2, ?nb=N07 or ?grid=GC07 (the most specific wins). */
export const placeQuerySchema = z.object({
  area: z.string().regex(AREA_ID, 'expected an area id like A1').optional(),
  nb: z.string().regex(NEIGHBOURHOOD_ID, 'expected a 居民区 id like N07').optional(),
  grid: z.string().regex(GRID_ID, 'expected a grid id like GC07').optional(),
});
export const placeOfQuery = (q: z.infer<typeof placeQuerySchema>): string => q.grid ?? q.nb ?? q.area ?? 'town';

const periodQuery = z.union([
  z.object({ preset: z.enum(presets) }),
  z.object({ from: day, to: day })
    .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['to'] })
    .refine((r) => shanghaiMidnight(r.to) - shanghaiMidnight(r.from) < MAX_RANGE_DAYS * DAY_MS, { message: `a range spans at most ${MAX_RANGE_DAYS} days`, path: ['to'] }),
]);
export const rangeQuerySchema = z.intersection(periodQuery, placeQuerySchema);

const count = z.int().min(0);
const rate = z.number().min(0).max(1).nullable();
const keysOf = <T extends object>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
const record = <K extends string, V extends z.ZodType>(keys: readonly K[], value: V) =>
  z.object(Object.fromEntries(keys.map((k) => [k, value])) as Record<K, V>);
const streamCounts = z.object({ case: count, ticket: count, inspection: count });

export const figuresSchema = z.object({
  counts: record(keysOf(COUNTS), count),
  rates: record(keysOf(RATES), rate),
  breakdowns: record(keysOf(BREAKDOWNS), z.array(z.object({ id: z.string(), value: count }))),
  children: z.object({
    level: z.enum(['area', 'neighbourhood', 'grid']),
    items: z.array(z.object({ id: z.string(), case: count, ticket: count, inspection: count })),
  }).nullable(),
});

const iso = z.string();
export const rangeReportSchema = z.object({
  place: z.string(),
  period: z.object({ from: iso, to: iso }),
  previous: z.object({ from: iso, to: iso }),
  comparable: z.boolean(),
  historyFrom: iso.nullable(),
  figures: figuresSchema,
  previousFigures: figuresSchema,
  series: z.object({
    bucket: z.enum(['hour', 'day']),
    points: z.array(streamCounts.extend({ t: iso })),
    previous: z.array(streamCounts),
  }),
  now: z.object({ open: streamCounts, overdue: streamCounts }),
  tookMs: z.number().min(0),
});

// The schema and the interface must describe the same answer.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<z.infer<typeof rangeReportSchema>, RangeReport> = true;
void sameShape;
