// Places of the model: the town, its 片区, 居民区 and grids. Every counter exists at every level
// (docs/domain.md, "Places"). A place is named by its id; the town by 'town'.
import { AREA_ID, GRID_ID, NEIGHBOURHOOD_ID, type TownGeo } from '../geo';
import { ringBbox } from '../geometry';

export type PlaceLevel = 'town' | 'area' | 'neighbourhood' | 'grid';
export const TOWN_PLACE = 'town';

export function levelOf(place: string): PlaceLevel | undefined {
  if (place === TOWN_PLACE) return 'town';
  if (AREA_ID.test(place)) return 'area';
  if (NEIGHBOURHOOD_ID.test(place)) return 'neighbourhood';
  if (GRID_ID.test(place)) return 'grid';
  return undefined;
}

/** The URL and query parameter that names a place (?area= / ?nb= / ?grid=); null for the town. */
export function placeParam(place: string): 'area' | 'nb' | 'grid' | null {
  const level = levelOf(place);
  return level === 'area' ? 'area' : level === 'neighbourhood' ? 'nb' : level === 'grid' ? 'grid' : null;
}

/** The four places an event located in (neighbourhood, grid) counts at, town first. */
export function placesOf(areaId: string, neighbourhoodId: string, gridId: string): [string, string, string, string] {
  return [TOWN_PLACE, areaId, neighbourhoodId, gridId];
}

/** What a drill-down ranks under a place, and by which counters: child places, or a breakdown of the place's own. */
export interface Children {
  level: Exclude<PlaceLevel, 'town'>;
  ids: string[];
  /**
   * 'place': the children are places of their own (片区 of the town, 居民区 of a 片区: they nest).
   * 'dim': grids of a 居民区 are counted as a breakdown `|grid:` of the 居民区's counters, because a
   * street or extended grid spans several 居民区 and only that breakdown adds up to the 居民区.
   */
  by: 'place' | 'dim';
}

export interface PlaceTree {
  areas: string[];
  neighbourhoodsOf(areaId: string): string[];
  /** The 居民区's community grid and the other grids of its 片区 that overlap it. */
  gridsOf(neighbourhoodId: string): string[];
  areaOf(neighbourhoodId: string): string | undefined;
  children(place: string): Children | null;
  has(place: string): boolean;
}

const overlaps = (a: number[], b: number[]) => a[0]! <= b[2]! && b[0]! <= a[2]! && a[1]! <= b[3]! && b[1]! <= a[3]!;

export function placeTree(geo: TownGeo): PlaceTree {
  const areas = geo.areas.features.map((f) => f.properties.id);
  const areaOfNb = new Map<string, string>();
  const nbsOfArea = new Map<string, string[]>();
  const nbBox = new Map<string, number[]>();
  for (const f of geo.neighbourhoods.features) {
    const { id, areaId } = f.properties;
    areaOfNb.set(id, areaId);
    nbsOfArea.set(areaId, [...(nbsOfArea.get(areaId) ?? []), id]);
    nbBox.set(id, ringBbox(f.geometry.coordinates[0]!));
  }
  const gridsOfNb = new Map<string, string[]>();
  const grids = new Set<string>();
  for (const g of geo.grids.features) {
    grids.add(g.properties.id);
    const { id, kind, neighbourhoodId, areaId } = g.properties;
    if (kind === 'community' && neighbourhoodId) gridsOfNb.set(neighbourhoodId, [id, ...(gridsOfNb.get(neighbourhoodId) ?? [])]);
    else if (kind !== 'disposal') {
      const box = ringBbox(g.geometry.coordinates[0]!);
      for (const nb of nbsOfArea.get(areaId) ?? []) if (overlaps(box, nbBox.get(nb)!)) gridsOfNb.set(nb, [...(gridsOfNb.get(nb) ?? []), id]);
    }
  }
  const tree: PlaceTree = {
    areas,
    neighbourhoodsOf: (a) => nbsOfArea.get(a) ?? [],
    gridsOf: (nb) => gridsOfNb.get(nb) ?? [],
    areaOf: (nb) => areaOfNb.get(nb),
    has: (p) => p === TOWN_PLACE || areas.includes(p) || areaOfNb.has(p) || grids.has(p),
    children(place) {
      switch (levelOf(place)) {
        case 'town': return { level: 'area', ids: areas, by: 'place' };
        case 'area': return { level: 'neighbourhood', ids: tree.neighbourhoodsOf(place), by: 'place' };
        case 'neighbourhood': return { level: 'grid', ids: tree.gridsOf(place), by: 'dim' };
        default: return null;
      }
    },
  };
  return tree;
}

/** Whether something located in (neighbourhood, grid) lies in a place. */
export function inPlace(place: string, areaOf: (nb: string) => string | undefined, neighbourhoodId: string, gridId: string): boolean {
  switch (levelOf(place)) {
    case 'town': return true;
    case 'area': return areaOf(neighbourhoodId) === place;
    case 'neighbourhood': return neighbourhoodId === place;
    case 'grid': return gridId === place;
    default: return false;
  }
}
