// POST /api/v1/events: what a source system sends and what it is answered. Items are validated one
// by one (events.ts, then the town's geography): valid items are stored even when others in the
// batch are rejected, so the body's schema documents the items and is never applied to the whole body.
import { z } from 'zod';
import { fieldErrorSchema, ingestEventSchema } from './events';

export const MAX_BATCH_ITEMS = 1_000;

/** The README's example, shown by the documentation (/docs): a new case in 淞五居民区. */
const example = [{
  kind: 'case', id: 'CS-DEMO-1', version: 1, occurredAt: '2026-11-21T09:30:00+08:00', status: 'reported', source: 'patrol',
  category: 'community', subcategory: '楼道堆物', description: '3号楼楼道堆放杂物', address: '淞五居民区 馨兰小区',
  reportedAt: '2026-11-21T09:30:00+08:00', deadline: '2026-11-22T09:30:00+08:00',
  location: { lng: 121.358, lat: 31.203, gridId: 'GC01', neighbourhoodId: 'N01', compoundId: 'C001' },
}];

export const ingestBodySchema = z.union([ingestEventSchema, z.array(ingestEventSchema).min(1).max(MAX_BATCH_ITEMS)]).meta({
  description: `One event, or an array of up to ${MAX_BATCH_ITEMS} (≤ 1 MB). Each item is checked on its own: an invalid item is answered rejected in the 200 answer, naming its fields, and does not stop the others`,
  examples: [example],
});

const item = {
  index: z.int().min(0).describe('the item’s position in the body (in an NDJSON body: among its non-blank lines)'),
  line: z.int().min(1).optional().describe('in an NDJSON body: the item’s line'),
};
export const itemResultSchema = z.discriminatedUnion('status', [
  z.object({ ...item, status: z.literal('stored'), seq: z.int().min(1) }).describe('durably committed at this seq'),
  z.object({ ...item, status: z.literal('duplicate') }).describe('this (kind, id, version) was stored before: nothing changed'),
  z.object({ ...item, status: z.literal('rejected'), errors: z.array(fieldErrorSchema).min(1) }).describe('invalid: not stored'),
]);
export type ItemResult = z.infer<typeof itemResultSchema>;

export const ingestAnswerSchema = z.object({ results: z.array(itemResultSchema).describe('one per item, in order') });
