// The HTTP contract of /api/v1/range: the query the server parses and the answer it returns, as
// schemas (the TypeScript types in range.ts and model/figures.ts are checked against them).
import { z } from 'zod';
import { AREA_ID, GRID_ID, NEIGHBOURHOOD_ID } from './geo';
import { BREAKDOWNS, COUNTS, RATES } from './model/definitions';
import { MAX_RANGE_DAYS, presets, type RangeQuery, type RangeReport } from './range';
import { DAY_MS, shanghaiMidnight } from './time';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = z.string().regex(DAY, 'expected a date yyyy-mm-dd');
/** The place as the screen's URL names it: ?area=A2, ?nb=N07 or ?grid=GC07 (the most specific wins). */
export const placeQuerySchema = z.object({
  area: z.string().regex(AREA_ID, 'expected an area id like A1').optional(),
  nb: z.string().regex(NEIGHBOURHOOD_ID, 'expected a 居民区 id like N07').optional(),
  grid: z.string().regex(GRID_ID, 'expected a grid id like GC07').optional(),
});
export const placeOfQuery = (q: z.infer<typeof placeQuerySchema>): string => q.grid ?? q.nb ?? q.area ?? 'town';

/**
 * A period and a place: `preset`, or a custom range `from`…`to` (a preset wins over both). One flat
 * object, as query parameters are documented (/openapi.json); parsed into a RangeQuery and the place.
 */
export const rangeQuerySchema = placeQuerySchema
  .extend({
    preset: z.enum(presets).optional().describe('today, yesterday, 7d or 30d; without it, from and to'),
    from: day.optional().describe('the first day of a custom range (Shanghai)'),
    to: day.optional().describe('the last day of a custom range, inclusive'),
  })
  .superRefine((q, ctx) => {
    if (q.preset) return;
    const refuse = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (q.from === undefined && q.to === undefined) return refuse('preset', 'expected a preset, or from and to');
    if (q.from === undefined || q.to === undefined) return refuse(q.from === undefined ? 'from' : 'to', 'a custom range needs from and to');
    if (!DAY.test(q.from) || !DAY.test(q.to)) return; // already refused, naming the field
    if (q.from > q.to) return refuse('to', 'from must not be after to');
    if (shanghaiMidnight(q.to) - shanghaiMidnight(q.from) >= MAX_RANGE_DAYS * DAY_MS) refuse('to', `a range spans at most ${MAX_RANGE_DAYS} days`);
  })
  .transform(({ preset, from, to, ...place }): RangeQuery & z.infer<typeof placeQuerySchema> =>
    preset ? { preset, ...place } : { from: from!, to: to!, ...place });

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
