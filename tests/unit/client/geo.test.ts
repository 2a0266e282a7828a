import { describe, expect, it } from 'vitest';
import { computeFigures } from '#shared/model/figures';
import { buildGeoIndex, drillAt } from '../../../client/src/stores/geoIndex';
import { ranking } from '../../../client/src/stores/figureViews';
import { TOWN } from '../../../client/src/stores/screen';
import { geoFixture } from './helpers';

const index = buildGeoIndex(geoFixture);

describe('geography index and drill-down', () => {
  it('drills town → 片区 → 居民区 → grid at one place', () => {
    const p = index.centre('N01')!;
    const area = drillAt(index, TOWN, p);
    expect(area).toMatchObject({ level: 'area', id: 'A1' });
    const nb = drillAt(index, area, p);
    expect(nb).toMatchObject({ level: 'neighbourhood', id: 'N01', path: { areaId: 'A1', neighbourhoodId: 'N01' } });
    const grid = drillAt(index, nb, p);
    expect(grid.level).toBe('grid');
    expect(index.name(grid.id)).toMatch(/网格$/);
    expect(drillAt(index, grid, [120, 30])).toEqual(TOWN); // outside the town
  });

  it('re-targets within a level when the click lands in another 片区', () => {
    const other = index.centre(index.neighbourhoodsOf('A3')[0]!)!;
    expect(drillAt(index, { level: 'area', id: 'A1', path: { areaId: 'A1' } }, other)).toMatchObject({ level: 'area', id: 'A3' });
  });

  it('knows which entity locations a selection contains', () => {
    const sel = { level: 'area' as const, id: 'A1', path: { areaId: 'A1' } };
    expect(index.contains(sel, 'N01', 'GC01')).toBe(true);
    expect(index.contains(sel, index.neighbourhoodsOf('A2')[0]!, 'GC99')).toBe(false);
  });

  it('the model\'s places: 片区 of the town and 居民区 of a 片区 nest; a 居民区\'s grids are its own breakdown', () => {
    expect(index.places.children('town')).toEqual({ level: 'area', ids: ['A1', 'A2', 'A3', 'A4'], by: 'place' });
    expect(index.places.children('A1')).toEqual({ level: 'neighbourhood', ids: index.neighbourhoodsOf('A1'), by: 'place' });
    const grids = index.places.children('N01')!;
    expect(grids).toMatchObject({ level: 'grid', by: 'dim' });
    expect(grids.ids[0]).toBe('GC01'); // its community grid first, then the overlays over it
    expect(grids.ids.every((g) => index.geo.grids.features.some((f) => f.properties.id === g && f.properties.areaId === 'A1'))).toBe(true);
    expect(index.places.children('GC01')).toBeNull();
    expect(index.places.has('N33')).toBe(true);
    expect(index.places.has('N99')).toBe(false);
  });

  it('ranks the children of the selection by the topic\'s new items, with names', () => {
    const counters = new Map([['case.new@N01', 5], ['case.new@A1', 5], ['insp.done@N03', 2], ['insp.done@A1', 2], ['case.new@N09', 40]]);
    const f = computeFigures((k) => counters.get(k) ?? 0, 'A1', index.places.children('A1'));
    const nbs = ranking(f, 'cases', (id) => index.name(id) ?? id)!;
    expect(nbs.level).toBe('neighbourhood');
    expect(nbs.items[0]).toEqual({ id: 'N01', name: '淞五', value: 5 });
    expect(nbs.items).toHaveLength(index.neighbourhoodsOf('A1').length);
    expect(nbs.items.every((i) => index.areaOfNeighbourhood(i.id) === 'A1')).toBe(true);
    expect(ranking(f, 'inspections', (id) => id)!.items[0]).toEqual({ id: 'N03', name: 'N03', value: 2 });
    expect(ranking(f, 'overview', (id) => id)!.items.slice(0, 2).map((i) => [i.id, i.value])).toEqual([['N01', 5], ['N03', 2]]);
  });
});
