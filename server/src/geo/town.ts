// The town's geography, loaded once from a GeoJSON bundle (a trust boundary: parsed with the schema).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { townGeoSchema, type GridKind, type Position, type TownGeo } from '#shared/geo';
import type { GeoLookup } from '#shared/model/contributions';
import { pointInRing, ringBbox } from '#shared/geometry';

export const DEFAULT_GEO_FILE = fileURLToPath(new URL('../../../fixtures/geo/xinjing.json', import.meta.url));

/** What a grid is and where it belongs: a community grid to its 居民区, any other kind to a 片区. */
export interface GridInfo {
  kind: GridKind;
  areaId: string;
  /** only for kind 'community' */
  neighbourhoodId?: string;
}

export interface Town extends GeoLookup {
  geo: TownGeo;
  neighbourhoodIds: string[];
  hasGrid(id: string): boolean;
  hasNeighbourhood(id: string): boolean;
  compoundOwner(id: string): string | undefined;
  compoundsOf(neighbourhoodId: string): string[];
  communityGridOf(neighbourhoodId: string): string | undefined;
  /** The polygon ring of a neighbourhood or compound. */
  ringOf(id: string): Position[] | undefined;
  /** The polygon ring of a grid (any kind). */
  gridRing(id: string): Position[] | undefined;
  gridInfo(id: string): GridInfo | undefined;
  /** A grid of a kind other than community (street, extended) whose polygon contains the point;
   *  with `areaId`, only one of that 片区 (the only kind a 居民区 of that 片区 may report, see validate.ts). */
  overlayGridAt(point: [number, number], areaId?: string): { id: string; kind: string } | undefined;
  nameOf(id: string): string | undefined;
}

export function loadTown(file = DEFAULT_GEO_FILE): Town {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read geography file ${file}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = townGeoSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`geography file ${file} is invalid at ${first?.path.join('.')}: ${first?.message}`);
  }
  return indexTown(parsed.data);
}

export function indexTown(geo: TownGeo): Town {
  const areaByNb = new Map<string, string>();
  const names = new Map<string, string>();
  const rings = new Map<string, Position[]>();
  const compoundNb = new Map<string, string>();
  const compoundsByNb = new Map<string, string[]>();
  const communityGrid = new Map<string, string>();
  const grids = new Map<string, GridInfo & { ring: Position[] }>();
  for (const a of geo.areas.features) names.set(a.properties.id, a.properties.name);
  for (const n of geo.neighbourhoods.features) {
    areaByNb.set(n.properties.id, n.properties.areaId);
    names.set(n.properties.id, n.properties.name);
    rings.set(n.properties.id, n.geometry.coordinates[0]!);
  }
  for (const c of geo.compounds.features) {
    compoundNb.set(c.properties.id, c.properties.neighbourhoodId);
    names.set(c.properties.id, c.properties.name);
    rings.set(c.properties.id, c.geometry.coordinates[0]!);
    const list = compoundsByNb.get(c.properties.neighbourhoodId) ?? [];
    list.push(c.properties.id);
    compoundsByNb.set(c.properties.neighbourhoodId, list);
  }
  const overlays: Array<{ id: string; kind: string; areaId: string; ring: Position[]; bbox: number[] }> = [];
  for (const g of geo.grids.features) {
    const ring = g.geometry.coordinates[0]!;
    const { kind, areaId, neighbourhoodId } = g.properties;
    grids.set(g.properties.id, { kind, areaId, ...(kind === 'community' && neighbourhoodId ? { neighbourhoodId } : {}), ring });
    names.set(g.properties.id, g.properties.name);
    if (g.properties.kind === 'community' && g.properties.neighbourhoodId)
      communityGrid.set(g.properties.neighbourhoodId, g.properties.id);
    else if (g.properties.kind === 'street' || g.properties.kind === 'extended')
      overlays.push({ id: g.properties.id, kind: g.properties.kind, areaId, ring, bbox: ringBbox(ring) });
  }
  return {
    geo,
    neighbourhoodIds: [...areaByNb.keys()],
    areaOf: (nb) => areaByNb.get(nb),
    hasGrid: (id) => grids.has(id),
    hasNeighbourhood: (id) => areaByNb.has(id),
    compoundOwner: (id) => compoundNb.get(id),
    compoundsOf: (nb) => compoundsByNb.get(nb) ?? [],
    communityGridOf: (nb) => communityGrid.get(nb),
    ringOf: (id) => rings.get(id),
    gridRing: (id) => grids.get(id)?.ring,
    gridInfo(id) {
      const g = grids.get(id);
      return g && { kind: g.kind, areaId: g.areaId, ...(g.neighbourhoodId ? { neighbourhoodId: g.neighbourhoodId } : {}) };
    },
    nameOf: (id) => names.get(id),
    overlayGridAt(p, areaId) {
      const hit = overlays.find(
        (o) => (areaId === undefined || o.areaId === areaId) && p[0] >= o.bbox[0]! && p[0] <= o.bbox[2]! && p[1] >= o.bbox[1]! && p[1] <= o.bbox[3]! && pointInRing(p, o.ring),
      );
      return hit && { id: hit.id, kind: hit.kind };
    },
  };
}
