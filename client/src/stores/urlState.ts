// The view in the address bar: filters, place (片区/居民区/网格) and time range, so a view can be
// bookmarked or put on a wall (`?stream=case&urgent=1&area=A2&range=7d`). Other parameters
// (lang, rotate, topic …) are left as they are. Pure.
import { placeParam } from '#shared/model/places';
import type { GeoIndex } from './geoIndex';
import { readFilters, writeFilters, type Filters } from '#shared/filters';
import { readRange, writeRange, type RangeChoice } from './rangeChoice';
import { selectAt, TOWN, type Selection } from './screen';

export interface ViewState {
  filters: Filters;
  selection: Selection;
  range: RangeChoice;
}

/** The selection named by ?area= / ?nb= / ?grid= (the most specific valid one); the town otherwise. */
export function readPlace(q: URLSearchParams, index: GeoIndex): Selection {
  const grid = q.get('grid');
  const nb = q.get('nb');
  const area = q.get('area');
  if (grid && index.name(grid) && /^G/.test(grid)) {
    const f = index.geo.grids.features.find((g) => g.properties.id === grid);
    if (f) {
      const nbId = f.properties.neighbourhoodId ?? (nb && index.areaOfNeighbourhood(nb) === f.properties.areaId ? nb : undefined);
      return selectAt({ areaId: f.properties.areaId, neighbourhoodId: nbId, gridId: grid });
    }
  }
  if (nb) {
    const areaId = index.areaOfNeighbourhood(nb);
    if (areaId) return selectAt({ areaId, neighbourhoodId: nb });
  }
  if (area && index.areas().includes(area)) return selectAt({ areaId: area });
  return TOWN;
}

/** The selection of a place id ('town', a 片区, 居民区 or grid), with its ancestors. */
export function selectionOf(place: string, index: GeoIndex): Selection {
  const key = placeParam(place);
  return key ? readPlace(new URLSearchParams({ [key]: place }), index) : TOWN;
}

export function writePlace(q: URLSearchParams, sel: Selection): void {
  q.delete('area');
  q.delete('nb');
  q.delete('grid');
  if (sel.level === 'town') return;
  if (sel.path.areaId) q.set('area', sel.path.areaId);
  if (sel.path.neighbourhoodId && sel.level !== 'area') q.set('nb', sel.path.neighbourhoodId);
  if (sel.level === 'grid') q.set('grid', sel.id);
}

export function readViewState(search: string, index: GeoIndex): ViewState {
  const q = new URLSearchParams(search);
  return { filters: readFilters(q), selection: readPlace(q, index), range: readRange(q) };
}

/** The search string ("?…" or "") with the view written over `search`. */
export function writeViewState(search: string, v: ViewState): string {
  const q = new URLSearchParams(search);
  writeFilters(q, v.filters);
  writePlace(q, v.selection);
  writeRange(q, v.range);
  const s = q.toString();
  return s ? `?${s}` : '';
}
