import { describe, expect, it } from 'vitest';
import { rasterBasemap } from '../../../client/src/map/basemap';
import { MAP_FONTS, buildTownStyle } from '../../../client/src/map/style';
import { geoFixture } from './helpers';

describe('map style', () => {
  const style = buildTownStyle(geoFixture, { u: 1 });
  const json = JSON.stringify(style);

  it('needs no network: no URL, no glyphs, no sprite, only inline GeoJSON', () => {
    expect(json).not.toMatch(/https?:|mapbox:|pmtiles:|\/\//);
    expect(style).not.toHaveProperty('glyphs');
    expect(style).not.toHaveProperty('sprite');
    for (const s of Object.values(style.sources) as Array<{ type: string; data?: unknown }>) {
      expect(s.type).toBe('geojson');
      expect(typeof s.data).toBe('object');
    }
  });

  it('draws outline, 片区, 居民区, grids, compounds, roads, river, points and labels', () => {
    const ids = style.layers.map((l) => l.id);
    for (const id of ['town-line', 'areas-line', 'nb-line', 'grids-fill', 'compounds-fill', 'roads-line', 'water-line', 'events-points', 'events-heat', 'area-labels', 'nb-labels'])
      expect(ids).toContain(id);
    expect(style.sources.events).toMatchObject({ promoteId: 'key' });
    expect(style.sources.grids).toMatchObject({ promoteId: 'id' });
  });

  it('labels use a local Chinese font stack', () => {
    const labels = style.layers.filter((l) => l.type === 'symbol');
    expect(labels.length).toBeGreaterThan(3);
    for (const l of labels) expect((l.layout as Record<string, unknown>)['text-font']).toEqual(expect.arrayContaining(MAP_FONTS));
    expect(MAP_FONTS).toEqual(expect.arrayContaining(['Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC']));
  });

  it('scales widths and text with the wall unit', () => {
    const big = buildTownStyle(geoFixture, { u: 2 });
    const line = (s: typeof style) => (s.layers.find((l) => l.id === 'town-line')!.paint as Record<string, number>)['line-width']!;
    expect(line(big)).toBe(2 * line(style));
  });

  it('adds a configured basemap below the town, and no other URL', () => {
    const url = 'http://tiles.example.local/{z}/{x}/{y}.png';
    const withBase = buildTownStyle(geoFixture, { u: 1, basemap: rasterBasemap(url) });
    expect(withBase.layers[1]!.type).toBe('raster');
    const urls = JSON.stringify(withBase).match(/https?:[^"]*/g);
    expect(urls).toEqual([url]);
  });
});
