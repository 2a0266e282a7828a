// The town map's MapLibre style, generated from the geography bundle: every source is inline
// GeoJSON and there is no glyphs, sprite, tile or font URL, so the map works with no network.
// Without `glyphs`, MapLibre (≥ 5.11) draws labels with local fonts named by `text-font`.
import type { Feature, FeatureCollection, GeoJSON as GeoJSONData } from 'geojson';
import type { ExpressionSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { TownGeo } from '#shared/geo';
import { ringCentre } from '#shared/geometry';

/** Fonts present on Windows, macOS and Linux walls, in that order of preference. */
export const MAP_FONTS = ['PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'sans-serif'];
/** MapLibre reads the weight from the first name; the real families follow it. */
export const MAP_FONTS_BOLD = ['PingFang SC Semibold', ...MAP_FONTS];

export const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export const mapColors = {
  background: '#020b18',
  town: '#071b36',
  compound: '#0f2f55',
  road: '#1f4672',
  water: '#1f7bc0',
  nbLine: '#27598c',
  areaLine: '#38bdf8',
  townLine: '#22d3ee',
  overlayLine: '#a78bfa',
  selected: '#fbbf24',
  case: '#22d3ee',
  ticket: '#c084fc',
  inspection: '#34d399',
  alarm: '#f43f5e',
  closed: '#64748b',
};

/** Choropleth ramp over a 0..1 share of the maximum (feature-state `value`). */
export const choroplethRamp: Array<[number, string]> = [
  [0, 'rgba(14, 58, 107, 0.05)'],
  [0.2, '#0f4c81'],
  [0.45, '#1479a8'],
  [0.7, '#d97706'],
  [1, '#e11d48'],
];

const choroplethColor: ExpressionSpecification = [
  'interpolate', ['linear'], ['coalesce', ['feature-state', 'value'], 0],
  ...choroplethRamp.flatMap(([v, c]) => [v, c]),
] as unknown as ExpressionSpecification;

/** The layers whose feature-state `value` colours a level, by level. */
export const choroplethLayer = { area: 'areas-fill', neighbourhood: 'nb-fill', grid: 'grids-fill' } as const;

/** Size-dependent paint/layout values, recomputed when the wall scale `u` changes. */
export function scaledProps(u: number): Array<[layer: string, kind: 'paint' | 'layout', prop: string, value: unknown]> {
  const s = (n: number) => Math.round(n * u * 10) / 10;
  return [
    ['town-line', 'paint', 'line-width', s(3)],
    ['town-glow', 'paint', 'line-width', s(12)],
    ['areas-line', 'paint', 'line-width', s(2)],
    ['nb-line', 'paint', 'line-width', s(1)],
    ['grids-line', 'paint', 'line-width', s(0.8)],
    ['overlay-grids-line', 'paint', 'line-width', s(1.4)],
    ['roads-line', 'paint', 'line-width', ['match', ['get', 'rank'], 'main', s(4), s(2)]],
    ['water-line', 'paint', 'line-width', s(7)],
    ['selected-line', 'paint', 'line-width', s(3.5)],
    ['events-points', 'paint', 'circle-radius', ['case', ['get', 'alarm'], s(7), ['get', 'open'], s(4.5), s(3)]],
    ['events-points', 'paint', 'circle-stroke-width', ['case', ['get', 'alarm'], s(1.5), s(0.6)]],
    ['events-heat', 'paint', 'heatmap-radius', s(28)],
    ['area-labels', 'layout', 'text-size', s(20)],
    ['nb-labels', 'layout', 'text-size', s(13)],
    ['road-labels', 'layout', 'text-size', s(12)],
    ['water-labels', 'layout', 'text-size', s(13)],
    ['place-labels', 'layout', 'text-size', s(13)],
  ];
}

function labelPoints(geo: TownGeo): FeatureCollection {
  const pt = (id: string, name: string, level: string, ring: [number, number][]): Feature => ({
    type: 'Feature', properties: { id, name, level }, geometry: { type: 'Point', coordinates: ringCentre(ring) },
  });
  return {
    type: 'FeatureCollection',
    features: [
      ...geo.areas.features.map((f) => pt(f.properties.id, f.properties.name, 'area', f.geometry.coordinates[0]!)),
      ...geo.neighbourhoods.features.map((f) => pt(f.properties.id, f.properties.name, 'neighbourhood', f.geometry.coordinates[0]!)),
    ],
  };
}

export interface StyleOptions {
  u: number;
  /** Layers and sources of a configured basemap, drawn under the town (see basemap.ts). */
  basemap?: { sources: Record<string, SourceSpecification>; layers: LayerSpecification[]; glyphs?: string; sprite?: StyleSpecification['sprite'] } | null;
}

export function buildTownStyle(geo: TownGeo, { u, basemap }: StyleOptions): StyleSpecification {
  const json = (data: unknown, promoteId?: string): SourceSpecification =>
    ({ type: 'geojson', data: data as GeoJSONData, ...(promoteId ? { promoteId } : {}) }) as SourceSpecification;
  const text = (size: number, bold = false) => ({ 'text-font': bold ? MAP_FONTS_BOLD : MAP_FONTS, 'text-size': size * u });
  const halo = { 'text-halo-color': 'rgba(2, 11, 24, 0.9)', 'text-halo-width': 1.6 * u };
  const none = ['==', ['get', 'id'], ''] as ExpressionSpecification;

  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': mapColors.background } },
    ...(basemap?.layers ?? []),
    { id: 'town-fill', type: 'fill', source: 'outline', paint: { 'fill-color': mapColors.town, 'fill-opacity': basemap ? 0.55 : 0.95 } },
    { id: 'areas-fill', type: 'fill', source: 'areas', layout: { visibility: 'none' }, paint: { 'fill-color': choroplethColor, 'fill-opacity': 0.6 } },
    { id: 'nb-fill', type: 'fill', source: 'neighbourhoods', layout: { visibility: 'none' }, paint: { 'fill-color': choroplethColor, 'fill-opacity': 0.6 } },
    {
      id: 'grids-fill', type: 'fill', source: 'grids', filter: ['==', ['get', 'kind'], 'community'],
      paint: { 'fill-color': choroplethColor, 'fill-opacity': 0.6 },
    },
    { id: 'compounds-fill', type: 'fill', source: 'compounds', paint: { 'fill-color': mapColors.compound, 'fill-opacity': 0.55 } },
    { id: 'water-line', type: 'line', source: 'water', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': mapColors.water, 'line-width': 7 * u, 'line-opacity': 0.85 } },
    {
      id: 'roads-line', type: 'line', source: 'roads', layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': mapColors.road, 'line-width': ['match', ['get', 'rank'], 'main', 4 * u, 2 * u] },
    },
    { id: 'grids-line', type: 'line', source: 'grids', filter: ['==', ['get', 'kind'], 'community'], paint: { 'line-color': mapColors.nbLine, 'line-width': 0.8 * u, 'line-opacity': 0.5 } },
    {
      id: 'overlay-grids-line', type: 'line', source: 'grids', filter: ['in', ['get', 'kind'], ['literal', ['street', 'extended']]],
      paint: { 'line-color': mapColors.overlayLine, 'line-width': 1.4 * u, 'line-opacity': 0.75, 'line-dasharray': [2, 2] },
    },
    { id: 'nb-line', type: 'line', source: 'neighbourhoods', paint: { 'line-color': mapColors.nbLine, 'line-width': 1 * u } },
    { id: 'areas-line', type: 'line', source: 'areas', paint: { 'line-color': mapColors.areaLine, 'line-width': 2 * u, 'line-opacity': 0.7 } },
    { id: 'town-glow', type: 'line', source: 'outline', paint: { 'line-color': mapColors.townLine, 'line-width': 12 * u, 'line-opacity': 0.18, 'line-blur': 6 * u } },
    { id: 'town-line', type: 'line', source: 'outline', paint: { 'line-color': mapColors.townLine, 'line-width': 3 * u } },
    { id: 'selected-line', type: 'line', source: 'areas', filter: none, paint: { 'line-color': mapColors.selected, 'line-width': 3.5 * u } },
    { id: 'selected-nb-line', type: 'line', source: 'neighbourhoods', filter: none, paint: { 'line-color': mapColors.selected, 'line-width': 3.5 * u } },
    { id: 'selected-grid-line', type: 'line', source: 'grids', filter: none, paint: { 'line-color': mapColors.selected, 'line-width': 3.5 * u } },
    {
      id: 'road-labels', type: 'symbol', source: 'roads',
      layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], ...text(12), 'text-letter-spacing': 0.2 },
      paint: { 'text-color': '#7fa6cf', ...halo },
    },
    {
      id: 'water-labels', type: 'symbol', source: 'water',
      layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], ...text(13), 'text-letter-spacing': 0.3 },
      paint: { 'text-color': '#60a5fa', ...halo },
    },
    {
      id: 'nb-labels', type: 'symbol', source: 'labels', filter: ['==', ['get', 'level'], 'neighbourhood'],
      layout: { 'text-field': ['get', 'name'], ...text(13), 'text-padding': 1 },
      paint: { 'text-color': '#bcd7f2', ...halo },
    },
    {
      id: 'place-labels', type: 'symbol', source: 'places',
      layout: { 'text-field': ['get', 'name'], ...text(13), 'text-offset': [0, 0.2], 'text-optional': true },
      paint: { 'text-color': '#a7f3d0', ...halo },
    },
    // Live layers above the street and 居民区 names (an alarm must never hide under a label), below the 片区 names.
    {
      id: 'events-heat', type: 'heatmap', source: 'events', layout: { visibility: 'none' },
      paint: {
        'heatmap-weight': ['case', ['get', 'alarm'], 1, ['get', 'open'], 0.6, 0.2],
        'heatmap-radius': 28 * u,
        'heatmap-intensity': 0.9,
        'heatmap-opacity': 0.75,
        'heatmap-color': ['interpolate', ['linear'], ['heatmap-density'], 0, 'rgba(0,0,0,0)', 0.2, '#0e7490', 0.45, '#22d3ee', 0.7, '#fbbf24', 1, '#f43f5e'],
      },
    },
    {
      id: 'events-points', type: 'circle', source: 'events',
      paint: {
        'circle-color': ['case', ['get', 'alarm'], mapColors.alarm, ['!', ['get', 'open']], mapColors.closed,
          ['match', ['get', 'kind'], 'case', mapColors.case, 'ticket', mapColors.ticket, mapColors.inspection]],
        'circle-radius': ['case', ['get', 'alarm'], 7 * u, ['get', 'open'], 4.5 * u, 3 * u],
        'circle-opacity': ['case', ['get', 'open'], 0.95, 0.45],
        'circle-stroke-color': ['case', ['get', 'alarm'], '#ffe4e6', 'rgba(2,11,24,0.8)'],
        'circle-stroke-width': ['case', ['get', 'alarm'], 1.5 * u, 0.6 * u],
      },
    },
    {
      id: 'area-labels', type: 'symbol', source: 'labels', filter: ['==', ['get', 'level'], 'area'],
      layout: { 'text-field': ['get', 'name'], ...text(20, true), 'text-allow-overlap': true, 'text-letter-spacing': 0.15 },
      paint: { 'text-color': '#e0f2fe', 'text-opacity': 0.92, ...halo, 'text-halo-width': 2.2 * u },
    },
  ];

  return {
    version: 8,
    name: `${geo.town.name} · OneScreen`,
    ...(basemap?.glyphs ? { glyphs: basemap.glyphs } : {}),
    ...(basemap?.sprite ? { sprite: basemap.sprite } : {}),
    sources: {
      ...(basemap?.sources ?? {}),
      outline: json(geo.outline),
      areas: json(geo.areas, 'id'),
      neighbourhoods: json(geo.neighbourhoods, 'id'),
      grids: json(geo.grids, 'id'),
      compounds: json(geo.compounds, 'id'),
      roads: json(geo.roads),
      water: json(geo.water),
      places: json(geo.places),
      labels: json(labelPoints(geo)),
      events: json(EMPTY, 'key'),
    },
    layers,
  };
}
