// Where a GeoReport request lies: a lat/long resolved to the 居民区 that contains it (or lies within
// the ingest tolerance of it, docs/geography.md), its 居村网格 and, when the point is in one, its 小区.
// The result is what ingest checks again, so a request it places is never refused for its place.
import { metresOutsideRing, pointInRing } from '#shared/geometry';
import type { Town } from '../geo/town';
import { LOCATION_TOLERANCE_M } from '../ingest/validate';

export interface Placed {
  lng: number;
  lat: number;
  neighbourhoodId: string;
  gridId: string;
  compoundId?: string;
  /** 镇 + 居民区 (+ 小区) names: the address when the request has none */
  address: string;
}

export function placePoint(town: Town, lng: number, lat: number): Placed | undefined {
  const p: [number, number] = [lng, lat];
  let nb = town.neighbourhoodIds.find((id) => pointInRing(p, town.ringOf(id) ?? []));
  if (!nb) {
    // on a boundary road or just outside the town's edge: the nearest 居民区 within the tolerance
    let best = LOCATION_TOLERANCE_M;
    for (const id of town.neighbourhoodIds) {
      const m = metresOutsideRing(p, town.ringOf(id) ?? []);
      if (m <= best) [best, nb] = [m, id];
    }
  }
  const gridId = nb && town.communityGridOf(nb);
  if (!nb || !gridId) return undefined;
  const compoundId = town.compoundsOf(nb).find((c) => pointInRing(p, town.ringOf(c) ?? []));
  const names = [town.geo.town.name, `${town.nameOf(nb) ?? nb}居民区`, ...(compoundId ? [town.nameOf(compoundId) ?? compoundId] : [])];
  return { lng, lat, neighbourhoodId: nb, gridId, ...(compoundId ? { compoundId } : {}), address: names.join(' ') };
}
