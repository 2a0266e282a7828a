// An ingest item is valid when it matches the shared schema AND refers to places that exist in this
// town and to a time that is not in the future. Errors name the failing field.
import { parseEvent, type FieldError, type IngestEvent } from '../../../shared/src/events';
import type { Town } from '../geo/town';

/** Tolerated clock skew between a source system and this server. */
export const MAX_FUTURE_MS = 10 * 60_000;

export function validateItem(input: unknown, town: Town, nowMs: number): { ok: true; event: IngestEvent } | { ok: false; errors: FieldError[] } {
  const parsed = parseEvent(input);
  if (!parsed.ok) return parsed;
  const e = parsed.event;
  const errors: FieldError[] = [];
  const { gridId, neighbourhoodId, compoundId } = e.location;
  if (!town.hasNeighbourhood(neighbourhoodId))
    errors.push({ path: 'location.neighbourhoodId', message: `unknown 居民区 ${neighbourhoodId}` });
  if (!town.hasGrid(gridId)) errors.push({ path: 'location.gridId', message: `unknown grid ${gridId}` });
  if (compoundId !== undefined && town.compoundOwner(compoundId) !== neighbourhoodId)
    errors.push({ path: 'location.compoundId', message: `小区 ${compoundId} is not in 居民区 ${neighbourhoodId}` });
  if (Date.parse(e.occurredAt) > nowMs + MAX_FUTURE_MS)
    errors.push({ path: 'occurredAt', message: 'is in the future (more than 10 minutes ahead of the server clock)' });
  return errors.length ? { ok: false, errors } : { ok: true, event: e };
}
