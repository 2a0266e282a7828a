import { describe, expect, it } from 'vitest';
import { pmtilesBasemap, rasterBasemap, styleBasemap } from '../../../client/src/map/basemap';

describe('optional basemaps', () => {
  it('an XYZ template and a TileJSON become one raster source under the town', () => {
    expect(rasterBasemap('http://tiles.intranet/{z}/{x}/{y}.png').sources['basemap-raster']).toEqual({ type: 'raster', tiles: ['http://tiles.intranet/{z}/{x}/{y}.png'], tileSize: 256 });
    expect(rasterBasemap('http://tiles.intranet/tile.json').sources['basemap-raster']).toEqual({ type: 'raster', url: 'http://tiles.intranet/tile.json', tileSize: 256 });
  });

  it('a raster PMTiles archive is read through the pmtiles:// protocol; a vector one needs a style', () => {
    expect(pmtilesBasemap('http://gis.intranet/town.pmtiles', 2)!.sources['basemap-raster']).toMatchObject({ type: 'raster', url: 'pmtiles://http://gis.intranet/town.pmtiles' });
    expect(pmtilesBasemap('pmtiles://http://gis.intranet/town.pmtiles', 4)!.sources['basemap-raster']).toMatchObject({ url: 'pmtiles://http://gis.intranet/town.pmtiles' });
    expect(pmtilesBasemap('http://gis.intranet/streets.pmtiles', 1)).toBeNull();
  });

  it("a style.json's sources and layers are renamed so they cannot clash with the town's", () => {
    const b = styleBasemap({
      version: 8,
      sources: { streets: { type: 'vector', url: 'pmtiles://http://gis.intranet/streets.pmtiles' } },
      layers: [{ id: 'bg', type: 'background' }, { id: 'roads', type: 'line', source: 'streets', 'source-layer': 'roads' }],
    });
    expect(Object.keys(b.sources)).toEqual(['basemap-streets']);
    expect(b.layers).toEqual([{ id: 'basemap-roads', type: 'line', source: 'basemap-streets', 'source-layer': 'roads' }]);
  });
});
