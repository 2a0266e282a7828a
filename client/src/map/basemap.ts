// An optional basemap for sites that host one (?basemap=… or screen-config `basemap`). Without it
// the map needs no network at all. Supported: an XYZ raster template ("…/{z}/{x}/{y}.png"), a
// raster TileJSON, a raster PMTiles archive ("….pmtiles"), or a MapLibre style.json whose sources
// and layers go under the town layers (its sources may be pmtiles:// archives, vector or raster).
// The pmtiles reader is loaded only when a site configures one.
import { addProtocol, type LayerSpecification, type SourceSpecification, type StyleSpecification } from 'maplibre-gl';
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

const isPmtiles = (url: string) => url.startsWith('pmtiles://') || /\.pmtiles(\?|$)/.test(url);

/** A PMTiles archive as a basemap by its tile type (pmtiles' TileType: 1 MVT, 2 PNG, 3 JPEG, 4 WebP, 5 AVIF). */
export function pmtilesBasemap(url: string, tileType: number): Basemap | null {
  if (tileType < 2 || tileType > 5) return null; // vector tiles need a style.json that says how to draw them
  const source = `pmtiles://${url.replace(/^pmtiles:\/\//, '')}`;
  return rasterBasemap(source);
}

let pmtilesProtocol: Promise<typeof import('pmtiles')> | undefined;
/** Registers the pmtiles:// protocol with MapLibre once. */
function withPmtiles(): Promise<typeof import('pmtiles')> {
  pmtilesProtocol ??= import('pmtiles').then((pm) => {
    addProtocol('pmtiles', new pm.Protocol().tile);
    return pm;
  });
  return pmtilesProtocol;
}

export async function loadBasemap(url: string | null | undefined): Promise<Basemap | null> {
  if (!url) return null;
  try {
    if (isPmtiles(url)) {
      const pm = await withPmtiles();
      const header = await new pm.PMTiles(url.replace(/^pmtiles:\/\//, '')).getHeader();
      const basemap = pmtilesBasemap(url, header.tileType);
      if (!basemap) console.warn('[map] a vector PMTiles basemap needs a style.json that uses it; basemap ignored');
      return basemap;
    }
  } catch (err) {
    console.warn('[map] PMTiles basemap could not be read; drawing the town alone', err);
    return null;
  }
  if (url.includes('{z}')) return rasterBasemap(url);
  try {
    const res = await fetch(url);
    const doc = (await res.json()) as Partial<StyleSpecification> & { tiles?: string[] };
    if (doc.version === 8 && Array.isArray(doc.layers) && doc.sources) {
      if (JSON.stringify(doc.sources).includes('pmtiles://')) await withPmtiles();
      return styleBasemap(doc as StyleSpecification);
    }
    if (Array.isArray(doc.tiles)) return rasterBasemap(url);
  } catch (err) {
    console.warn('[map] basemap could not be loaded; drawing the town alone', err);
  }
  return null;
}
