// An optional basemap for sites that host one (?basemap=… or screen-config `basemap`). Without it
// the map needs no network at all. Supported: an XYZ raster template ("…/{z}/{x}/{y}.png"), a
// raster TileJSON, or a MapLibre style.json whose sources and layers go under the town layers.
// PMTiles needs the `pmtiles` protocol package, which is not bundled: such URLs are refused.
import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { StyleOptions } from './style';

export type Basemap = NonNullable<StyleOptions['basemap']>;

const PREFIX = 'basemap-';

export function rasterBasemap(url: string): Basemap {
  const source: SourceSpecification = url.includes('{z}')
    ? { type: 'raster', tiles: [url], tileSize: 256 }
    : { type: 'raster', url, tileSize: 256 };
  return {
    sources: { [`${PREFIX}raster`]: source },
    layers: [{ id: `${PREFIX}raster`, type: 'raster', source: `${PREFIX}raster`, paint: { 'raster-opacity': 0.6, 'raster-saturation': -0.6 } }],
  };
}

/** A style's sources and layers, renamed so they cannot clash with the town's. */
export function styleBasemap(style: StyleSpecification): Basemap {
  const sources: Record<string, SourceSpecification> = {};
  for (const [id, s] of Object.entries(style.sources)) sources[PREFIX + id] = s;
  const layers = style.layers
    .filter((l) => l.type !== 'background')
    .map((l) => ({ ...l, id: PREFIX + l.id, ...('source' in l && typeof l.source === 'string' ? { source: PREFIX + l.source } : {}) }) as LayerSpecification);
  return { sources, layers, ...(style.glyphs ? { glyphs: style.glyphs } : {}), ...(style.sprite ? { sprite: style.sprite } : {}) };
}

export async function loadBasemap(url: string | null | undefined): Promise<Basemap | null> {
  if (!url) return null;
  if (url.startsWith('pmtiles://')) {
    console.warn('[map] PMTiles basemaps need the pmtiles protocol, which this build does not include; basemap ignored');
    return null;
  }
  if (url.includes('{z}')) return rasterBasemap(url);
  try {
    const res = await fetch(url);
    const doc = (await res.json()) as Partial<StyleSpecification> & { tiles?: string[] };
    if (doc.version === 8 && Array.isArray(doc.layers) && doc.sources) return styleBasemap(doc as StyleSpecification);
    if (Array.isArray(doc.tiles)) return rasterBasemap(url);
  } catch (err) {
    console.warn('[map] basemap could not be loaded; drawing the town alone', err);
  }
  return null;
}
