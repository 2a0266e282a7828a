// What screens receive, as schemas: events masked (privacy.ts), entity summaries, stored events with
// their counter change. The socket's types (protocol.ts) and the screen API's (http.ts) are inferred
// from them; the server documents its answers with them (/openapi.json) but does not re-parse them.
import { z } from 'zod';
import { caseEventSchema, inspectionEventSchema, ticketEventSchema, type IngestEvent } from './events';
import type { RollupDelta } from './model/keys';
import { streamKinds } from './vocab';

/** Masked phones no longer match the ingest pattern: 139****5678, 021-****5678. */
const maskedPhone = z.string().describe('masked, e.g. 139****5678');

/** An event as any screen may see it: phones, ID numbers and names in free text masked. */
export const screenEventSchema = z
  .discriminatedUnion('kind', [
    caseEventSchema.safeExtend({ reporterPhone: maskedPhone.optional() }).meta({ id: 'ScreenCaseEvent' }),
    ticketEventSchema.safeExtend({ callerPhone: maskedPhone }).meta({ id: 'ScreenTicketEvent' }),
    inspectionEventSchema,
  ])
  .meta({ id: 'ScreenEvent', description: 'An event as screens receive it: phone numbers, ID numbers and names in free text masked' });

/** Counter rows [hour, key, count] (docs/domain.md, "The counter model"); compact keys `metric@*` stand for the event's four places. */
export const rollupDeltaSchema = z
  .array(z.tuple([z.int().describe('hour (epoch ms)'), z.string().describe('metric@place'), z.int()]))
  .meta({ id: 'RollupDelta', description: 'Counter rows [hour (epoch ms), metric@place, change]' });

const iso = z.string().describe('ISO-8601, +08:00');

export const entitySummarySchema = z
  .object({
    kind: z.enum(streamKinds),
    id: z.string(),
    version: z.int().min(1),
    status: z.string(),
    urgent: z.boolean(),
    lng: z.number(),
    lat: z.number(),
    gridId: z.string(),
    neighbourhoodId: z.string(),
    label: z.string().describe('category (cases), topic (tickets) or campaign (inspections)'),
    startedAt: iso,
    updatedAt: iso,
    dueAt: iso.optional(),
    open: z.boolean(),
  })
  .meta({ id: 'EntitySummary', description: 'The compact current state of one entity, for map points and lists' });

/** An accepted event as screens see it: masked, with its counter change (compact: expandDelta). */
export const streamEventSchema = z
  .object({
    seq: z.int().min(1),
    storedAt: iso.describe('when the server stored it (ISO-8601, +08:00)'),
    event: screenEventSchema,
    delta: rollupDeltaSchema,
    stale: z.literal(true).optional().describe('a late older version: history, not the entity\'s current state (its delta is empty)'),
  })
  .meta({ id: 'StreamEvent', description: 'A stored event with its seq and its change to the counters' });

// A masked event has the type of an ingested one; the counter rows keep their named tuple type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameEvent: Same<z.infer<typeof screenEventSchema>, IngestEvent> = true;
const sameDelta: Same<z.infer<typeof rollupDeltaSchema>, RollupDelta> = true;
void sameEvent;
void sameDelta;
