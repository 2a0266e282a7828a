// The HTTP answers besides ranges (rangeSchema.ts) and ingest (ingestApi.ts), as schemas: the
// server's routes are typed and documented by them (/openapi.json), the screen's fetches use the
// inferred types (type imports only: the screen's bundle does not carry the schema library).
import { z } from 'zod';
import { entitySummarySchema, rollupDeltaSchema, screenEventSchema, streamEventSchema } from './screenSchemas';

/** Every error answer: a stable code, a message for people, and the query field at fault if one is. */
export const apiErrorSchema = <C extends string>(codes: readonly [C, ...C[]]) =>
  z.object({
    error: z.enum(codes),
    message: z.string(),
    path: z.string().optional().describe('the query field at fault'),
  });

/** One stored version of an entity (masked), as the entity read returns it. */
export const storedVersionSchema = z.object({ seq: z.int().min(1), storedAt: z.string(), event: screenEventSchema });
export type StoredVersion = z.infer<typeof storedVersionSchema>;

/** GET /api/v1/entities/:kind/:id */
export const entityDetailSchema = z.object({
  entity: screenEventSchema,
  timeline: z.array(storedVersionSchema).describe('every stored version, in version order'),
});
export type EntityDetail = z.infer<typeof entityDetailSchema>;

/** GET /api/v1/search, /api/v1/overdue: one entity each, its address masked. */
export const entityRowSchema = entitySummarySchema.extend({ address: z.string() }).meta({ id: 'EntityRow' });
export type EntityRow = z.infer<typeof entityRowSchema>;
export const entityListSchema = z.object({ results: z.array(entityRowSchema) });

/** GET /api/v1/replay: a day's events in event-time order, each with its counter change at that moment. */
export const replayPageSchema = z.object({
  base: z
    .object({ rollups: rollupDeltaSchema, entities: z.array(entitySummarySchema) })
    .optional()
    .describe('on the first page: the place as the day began (counter rows of the day and gauges; open entities)'),
  events: z.array(streamEventSchema),
  next: z.string().nullable().describe('the cursor of the next page (after=…), null on the last'),
});
export type ReplayPage = z.infer<typeof replayPageSchema>;

/** GET /api/v1/feed: the latest events of the screen's topic, place and filters, newest first (delta left out). */
export const feedPageSchema = z.object({ events: z.array(streamEventSchema) });
export type FeedPage = z.infer<typeof feedPageSchema>;

/** GET /api/v1/screen-config: what a screen needs before it connects. */
export const screenConfigSchema = z.object({
  town: z.object({ id: z.string(), name: z.string(), district: z.string() }),
  demoToken: z.string().nullable().describe('set only when the server runs with demo credentials'),
  heartbeatMs: z.int(),
  batchMs: z.int(),
  basemap: z.string().nullable().describe('optional basemap: XYZ raster template, TileJSON or style.json URL'),
});
export type ScreenConfig = z.infer<typeof screenConfigSchema>;

const healthBase = {
  store: z.enum(['sqlite', 'postgres']),
  delivered: z.int().min(0).describe("the latest seq sent to this node's screens"),
  serverTime: z.string(),
};
/**
 * GET /healthz, for a load balancer: 200 while this node serves screens, also when its disk is full
 * (`read_only`: ingest answers 503 meanwhile; a monitor alerts on it, docs/operations.md).
 */
export const healthSchema = z.object({
  status: z.enum(['ok', 'read_only']),
  seq: z.int().min(0).describe('the latest stored seq'),
  readOnly: z.object({ reason: z.enum(['disk_full', 'io_error']), since: z.string() }).optional().describe('why the store takes no writes, since when'),
  ...healthBase,
});
export const healthDownSchema = z.object({ status: z.literal('store_unavailable'), ...healthBase });
