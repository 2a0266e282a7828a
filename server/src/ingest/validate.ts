// An ingest item is valid when it matches the shared schema AND refers to places that exist in this
// town, fit together (小区 in the 居民区, grid belonging to the 居民区, the point inside both
// polygons) and to times inside a window around the server's clock. Errors name the failing field.
// The geographic rule is explained in docs/geography.md, the time window in docs/input.md.
import { parseEvent, type FieldError, type IngestEvent } from '#shared/events';
import type { GridKind } from '#shared/geo';
import { metresOutsideRing } from '#shared/geometry';
import type { Town } from '../geo/town';

/** Tolerated clock skew between a source system and this server. */
export const MAX_FUTURE_MS = 10 * 60_000;
/**
 * How far back an item may start and occur: imports of history (last year's files, a year compared
 * with the one before) fit; a year typed as 0000 or 1970, or a clock reset to its epoch, do not.
 */
export const MAX_AGE_YEARS = 5;
/** The instant an item's lifecycle began: its report, receipt or inspection. */
const startOf = (e: IngestEvent): [string, string] =>
  e.kind === 'case' ? ['reportedAt', e.reportedAt] : e.kind === 'ticket' ? ['receivedAt', e.receivedAt] : ['inspectedAt', e.inspectedAt];

/** The earliest instant accepted at `nowMs`: the same calendar instant MAX_AGE_YEARS before (UTC). */
export function earliestAccepted(nowMs: number): number {
  const d = new Date(nowMs);
  d.setUTCFullYear(d.getUTCFullYear() - MAX_AGE_YEARS);
  return d.getTime();
}

/**
 * How far (metres) a point may lie outside its 居民区 and grid polygons and still be accepted:
 * covers handheld GPS error, the simplified (schematic) polygon edges, and points on a road that is
 * itself the boundary between two 居民区. Far smaller than any 居民区 (hundreds of metres across).
 */
export const LOCATION_TOLERANCE_M = 30;

const GRID_KIND_NAME: Record<GridKind, string> = { community: '居村网格', street: '街面网格', extended: '拓展网格', disposal: '处置网格' };

const distance = (m: number) => (m >= 1000 ? `${(m / 1000).toFixed(1)} km` : `${Math.round(m)} m`);

export function validateItem(input: unknown, town: Town, nowMs: number): { ok: true; event: IngestEvent } | { ok: false; errors: FieldError[] } {
  const parsed = parseEvent(input);
  if (!parsed.ok) return parsed;
  const e = parsed.event;
  const errors: FieldError[] = [];
  const { lng, lat, gridId, neighbourhoodId, compoundId } = e.location;
  const nbKnown = town.hasNeighbourhood(neighbourhoodId);
  const grid = town.gridInfo(gridId);
  if (!nbKnown) errors.push({ path: 'location.neighbourhoodId', message: `unknown 居民区 ${neighbourhoodId}` });
  if (!grid) errors.push({ path: 'location.gridId', message: `unknown grid ${gridId}` });

  // The grid must be one of the 居民区's own: its 居村网格, or an overlay grid of its 片区.
  let gridFits = grid !== undefined;
  if (grid && nbKnown) {
    const gridName = `${GRID_KIND_NAME[grid.kind]} ${gridId}`;
    if (grid.kind === 'community' && grid.neighbourhoodId !== neighbourhoodId) {
      gridFits = false;
      errors.push({ path: 'location.gridId', message: `${gridName} belongs to 居民区 ${grid.neighbourhoodId ?? '(none)'}, not to 居民区 ${neighbourhoodId}` });
    } else if (grid.kind !== 'community' && grid.areaId !== town.areaOf(neighbourhoodId)) {
      gridFits = false;
      errors.push({ path: 'location.gridId', message: `${gridName} is in 片区 ${grid.areaId}, but 居民区 ${neighbourhoodId} is in 片区 ${town.areaOf(neighbourhoodId) ?? '(none)'}` });
    }
  }

  // The point must lie inside the 居民区 and (when the grid fits, else that error says it all) the grid.
  const point: [number, number] = [lng, lat];
  const outside: string[] = [];
  const nbRing = nbKnown ? town.ringOf(neighbourhoodId) : undefined;
  if (nbRing) {
    const m = metresOutsideRing(point, nbRing);
    if (m > LOCATION_TOLERANCE_M) outside.push(`${distance(m)} outside 居民区 ${neighbourhoodId} (${town.nameOf(neighbourhoodId) ?? neighbourhoodId})`);
  }
  const gridRing = gridFits ? town.gridRing(gridId) : undefined;
  if (gridRing) {
    const m = metresOutsideRing(point, gridRing);
    if (m > LOCATION_TOLERANCE_M) outside.push(`${distance(m)} outside grid ${gridId} (${town.nameOf(gridId) ?? gridId})`);
  }
  if (outside.length)
    errors.push({ path: 'location', message: `point ${lng}, ${lat} lies ${outside.join(' and ')}; at most ${LOCATION_TOLERANCE_M} m is tolerated` });

  if (compoundId !== undefined && town.compoundOwner(compoundId) !== neighbourhoodId)
    errors.push({ path: 'location.compoundId', message: `小区 ${compoundId} is not in 居民区 ${neighbourhoodId}` });
  // The schema keeps every other time between the start and occurredAt, or within a term after the start.
  if (Date.parse(e.occurredAt) > nowMs + MAX_FUTURE_MS)
    errors.push({ path: 'occurredAt', message: 'is in the future (more than 10 minutes ahead of the server clock)' });
  const earliest = earliestAccepted(nowMs);
  for (const [field, time] of [['occurredAt', e.occurredAt], startOf(e)] as const) {
    if (Date.parse(time) < earliest)
      errors.push({ path: field, message: `is more than ${MAX_AGE_YEARS} years before the server clock (the earliest accepted is ${new Date(earliest).toISOString()})` });
  }
  return errors.length ? { ok: false, errors } : { ok: true, event: e };
}
