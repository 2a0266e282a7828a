// The town's geography, loaded once from a GeoJSON bundle (a trust boundary: parsed with the schema).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { townGeoSchema, type Position, type TownGeo } from '../../../shared/src/geo';
import type { GeoLookup } from '../../../shared/src/kpi/contributions';
import { pointInRing, ringBbox } from '../../../shared/src/geometry';

export const DEFAULT_GEO_FILE = fileURLToPath(new URL('../../../fixtures/geo/xinjing.json', import.meta.url));

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
  /** Grids of a kind other than community whose polygon contains the point. */
  overlayGridAt(point: [number, number]): { id: string; kind: string } | undefined;
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
  const grids = new Set<string>();
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
  const overlays: Array<{ id: string; kind: string; ring: Position[]; bbox: number[] }> = [];
  for (const g of geo.grids.features) {
    grids.add(g.properties.id);
    names.set(g.properties.id, g.properties.name);
    const ring = g.geometry.coordinates[0]!;
    if (g.properties.kind === 'community' && g.properties.neighbourhoodId)
      communityGrid.set(g.properties.neighbourhoodId, g.properties.id);
    else if (g.properties.kind === 'street' || g.properties.kind === 'extended')
      overlays.push({ id: g.properties.id, kind: g.properties.kind, ring, bbox: ringBbox(ring) });
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
    nameOf: (id) => names.get(id),
    overlayGridAt(p) {
      const hit = overlays.find((o) => p[0] >= o.bbox[0]! && p[0] <= o.bbox[2]! && p[1] >= o.bbox[1]! && p[1] <= o.bbox[3]! && pointInRing(p, o.ring));
      return hit && { id: hit.id, kind: hit.kind };
    },
  };
}
