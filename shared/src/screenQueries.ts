// The screen API's path and query parameters (the range's are in rangeSchema.ts): the server parses
// requests with them, a refusal names the field (400 invalid_query), and /openapi.json documents them.
import { z } from 'zod';
import { placeQuerySchema } from './rangeSchema';
import { streamKinds } from './vocab';

const limit = (max: number, byDefault: number) =>
  z.coerce.number().int().min(1).max(max).default(byDefault).describe(`how many (1–${max})`);

/** GET /api/v1/entities/:kind/:id */
export const entityParamsSchema = z.object({ kind: z.enum(streamKinds), id: z.string().min(1).max(64) });

/** GET /api/v1/search */
export const searchQuerySchema = z.object({
  q: z.string().trim().min(1).max(60).describe('an exact id, or text contained in ids and masked addresses (a hidden number or name finds nothing)'),
  limit: limit(50, 20),
});

/** GET /api/v1/overdue */
export const overdueQuerySchema = placeQuerySchema.extend({ limit: limit(100, 20) });

/**
 * GET /api/v1/feed: the view named as the screen's URL names it (streams of the topic, place and
 * filters). A filter value the stream does not have is ignored, as on the screen (filters.ts).
 */
export const feedQuerySchema = placeQuerySchema.extend({
  kinds: z
    .string()
    .regex(/^(case|ticket|inspection)(,(case|ticket|inspection))*$/, 'expected streams like case,ticket')
    .default('case,ticket,inspection'),
  stream: z.enum(streamKinds).optional().catch(undefined),
  category: z.string().optional().catch(undefined).describe('case category, hotline topic or inspection campaign'),
  status: z.string().optional().catch(undefined).describe('open, overdue, finished, or a lifecycle status of the stream'),
  urgent: z.enum(['1', 'true', '0', 'false']).optional().catch(undefined),
  limit: limit(50, 16),
});

/** GET /api/v1/replay */
export const replayQuerySchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date yyyy-mm-dd').describe('the day (Shanghai)'),
  after: z.string().regex(/^\d+:\d+$/, 'expected the cursor of the previous page').optional().describe('the `next` cursor of the previous page'),
  limit: limit(5000, 2000),
});
