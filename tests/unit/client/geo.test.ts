import { describe, expect, it } from 'vitest';
import { buildGeoIndex, drillAt } from '../../../client/src/map/geoIndex';
import { childRanking } from '../../../client/src/stores/chartData';
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

  it('ranks the children of the selection, falling back where the metric has no breakdown', () => {
    const today = new Map([['case.new|nb:N01', 5], ['case.new|area:A1', 5], ['insp.done|area:A1', 2]]);
    const area = { level: 'area' as const, id: 'A1', path: { areaId: 'A1' } };
    const nbs = childRanking(today, index, area, 'cases');
    expect(nbs.level).toBe('neighbourhood');
    expect(nbs.items[0]).toMatchObject({ id: 'N01', name: '淞五', value: 5 });
    expect(nbs.items.every((i) => index.areaOfNeighbourhood(i.id) === 'A1')).toBe(true);
    const insp = childRanking(today, index, area, 'inspections');
    expect(insp).toMatchObject({ level: 'area', townWide: true });
    expect(childRanking(today, index, TOWN, 'overview')).toMatchObject({ level: 'area', townWide: false });
  });
});
