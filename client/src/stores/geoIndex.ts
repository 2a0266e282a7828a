// Look-ups over the town's GeoJSON bundle: names, parents, children, boxes, centres, and which
// polygon holds a point (drill-down by click). Built once per page; pure.
import type { Position, TownGeo } from '#shared/geo';
import { pointInRing, ringBbox, ringCentre } from '#shared/geometry';
import { placeTree, type PlaceTree } from '#shared/model/places';
import { selectAt, TOWN, type Selection } from './screen';

export type Bbox = [number, number, number, number];
type Poly = { id: string; ring: Position[]; bbox: Bbox };

export interface GeoIndex {
  geo: TownGeo;
  /** the model's places: children of a place, as the figures rank them */
  places: PlaceTree;
  townBbox: Bbox;
  name(id: string): string | undefined;
  areaOfNeighbourhood(nb: string): string | undefined;
  areas(): string[];
  neighbourhoodsOf(areaId: string): string[];
  /** The community grid of a 居民区 and the street/extended grids that overlap it. */
  gridsOf(nb: string): string[];
  bbox(id: string): Bbox | undefined;
  centre(id: string): [number, number] | undefined;
  areaAt(p: [number, number]): string | undefined;
  neighbourhoodAt(p: [number, number]): string | undefined;
  /** The smallest grid at a point: a street/extended overlay first, else the community grid. */
  gridAt(p: [number, number]): string | undefined;
  /** Whether an entity located in (nb, grid) lies inside the selection. */
  contains(sel: Selection, neighbourhoodId: string, gridId: string): boolean;
}

const inBox = (p: [number, number], b: Bbox) => p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];

export function buildGeoIndex(geo: TownGeo): GeoIndex {
  const names = new Map<string, string>();
  const boxes = new Map<string, Bbox>();
  const centres = new Map<string, [number, number]>();
  const areaOfNb = new Map<string, string>();
  const nbsOfArea = new Map<string, string[]>();
  const communityGrid = new Map<string, string>();
  const polys = { areas: [] as Poly[], nbs: [] as Poly[], overlays: [] as Poly[], community: [] as Poly[] };

  const index = (id: string, name: string, ring: Position[], into?: Poly[]) => {
    const bbox = ringBbox(ring);
    names.set(id, name);
    boxes.set(id, bbox);
    centres.set(id, ringCentre(ring));
    into?.push({ id, ring, bbox });
  };
  for (const f of geo.areas.features) index(f.properties.id, f.properties.name, f.geometry.coordinates[0]!, polys.areas);
  for (const f of geo.neighbourhoods.features) {
    const { id, name, areaId } = f.properties;
    index(id, name, f.geometry.coordinates[0]!, polys.nbs);
    areaOfNb.set(id, areaId);
    nbsOfArea.set(areaId, [...(nbsOfArea.get(areaId) ?? []), id]);
  }
  for (const f of geo.grids.features) {
    const { id, name, kind, neighbourhoodId } = f.properties;
    const into = kind === 'community' ? polys.community : kind === 'disposal' ? undefined : polys.overlays;
    index(id, name, f.geometry.coordinates[0]!, into);
    if (kind === 'community' && neighbourhoodId) communityGrid.set(neighbourhoodId, id);
  }
  for (const f of geo.compounds.features) names.set(f.properties.id, f.properties.name);
  names.set('town', geo.town.name);

  const at = (list: Poly[], p: [number, number]) => list.find((x) => inBox(p, x.bbox) && pointInRing(p, x.ring))?.id;

  const places = placeTree(geo);
  return {
    geo,
    places,
    townBbox: geo.town.bbox,
    name: (id) => names.get(id),
    areaOfNeighbourhood: (nb) => areaOfNb.get(nb),
    areas: () => polys.areas.map((a) => a.id),
    neighbourhoodsOf: (areaId) => nbsOfArea.get(areaId) ?? [],
    gridsOf: (nb) => places.gridsOf(nb),
    bbox: (id) => (id === 'town' ? geo.town.bbox : boxes.get(id)),
    centre: (id) => centres.get(id),
    areaAt: (p) => at(polys.areas, p),
    neighbourhoodAt: (p) => at(polys.nbs, p),
    gridAt: (p) => at(polys.overlays, p) ?? at(polys.community, p),
    contains(sel, nb, grid) {
      if (sel.level === 'town') return true;
      if (sel.level === 'area') return areaOfNb.get(nb) === sel.id;
      if (sel.level === 'neighbourhood') return nb === sel.id;
      return grid === sel.id;
    },
  };
}

/**
 * The next drill-down step for a click at `p`: town → 片区 → 居民区 → 网格. A click outside the
 * current selection re-targets at the same level; a click outside the town goes back to it.
 */
export function drillAt(index: GeoIndex, current: Selection, p: [number, number]): Selection {
  const areaId = index.areaAt(p);
  const nb = index.neighbourhoodAt(p);
  if (!areaId) return TOWN;
  const inArea = (a: string) => selectAt({ areaId: a });
  switch (current.level) {
    case 'town':
      return inArea(areaId);
    case 'area':
      if (!nb || index.areaOfNeighbourhood(nb) !== current.id) return inArea(areaId);
      return selectAt({ areaId, neighbourhoodId: nb });
    case 'neighbourhood':
    case 'grid': {
      const parentNb = current.path.neighbourhoodId;
      if (!nb || (parentNb && nb !== parentNb && current.level === 'neighbourhood'))
        return nb ? selectAt({ areaId, neighbourhoodId: nb }) : inArea(areaId);
      const grid = index.gridAt(p);
      return selectAt({ areaId, neighbourhoodId: nb, gridId: grid });
    }
  }
}
