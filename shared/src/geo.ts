// Geography of a town: ids, their formats, and the GeoJSON bundle both sides load.
// Town (镇) → 片区 area → 居民区 neighbourhood → 小区 compound; 网格 grids of four kinds overlay it.
import { z } from 'zod';

export const AREA_ID = /^A\d{1,2}$/;
export const NEIGHBOURHOOD_ID = /^N\d{2,3}$/;
export const COMPOUND_ID = /^C\d{3,4}$/;
export const GRID_ID = /^G[CSED]\d{2,3}$/;

export const gridKinds = ['community', 'street', 'extended', 'disposal'] as const;
export type GridKind = (typeof gridKinds)[number];
/** 居村网格 · 街面网格 · 拓展网格 · 处置网格 */
export const gridKindPrefix: Record<GridKind, string> = { community: 'GC', street: 'GS', extended: 'GE', disposal: 'GD' };

export const areaId = z.string().regex(AREA_ID, 'expected an area id like A1');
export const neighbourhoodId = z.string().regex(NEIGHBOURHOOD_ID, 'expected a 居民区 id like N07');
export const compoundId = z.string().regex(COMPOUND_ID, 'expected a 小区 id like C012');
export const gridId = z.string().regex(GRID_ID, 'expected a grid id like GC07');

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z.array(position).min(4);
const polygon = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) });
const lineString = z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2) });
const point = z.object({ type: z.literal('Point'), coordinates: position });

const feature = <G extends z.ZodType, P extends z.ZodType>(geometry: G, properties: P) =>
  z.object({ type: z.literal('Feature'), geometry, properties });
const collection = <F extends z.ZodType>(f: F) =>
  z.object({ type: z.literal('FeatureCollection'), features: z.array(f) });

const name = z.string().min(1).max(40);

export const townGeoSchema = z.object({
  town: z.object({ id: z.string(), name, district: name, bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]) }),
  outline: collection(feature(polygon, z.object({ id: z.string(), name }))),
  areas: collection(feature(polygon, z.object({ id: areaId, name }))),
  neighbourhoods: collection(feature(polygon, z.object({ id: neighbourhoodId, name, areaId }))),
  compounds: collection(feature(polygon, z.object({ id: compoundId, name, neighbourhoodId }))),
  grids: collection(
    feature(
      polygon,
      z.object({ id: gridId, name, kind: z.enum(gridKinds), areaId, neighbourhoodId: neighbourhoodId.optional() }),
    ),
  ),
  roads: collection(feature(lineString, z.object({ id: z.string(), name, rank: z.enum(['main', 'minor']) }))),
  water: collection(feature(lineString, z.object({ id: z.string(), name }))),
  places: collection(feature(point, z.object({ id: z.string(), name, kind: z.string().max(20) }))),
});
export type TownGeo = z.infer<typeof townGeoSchema>;
export type Position = z.infer<typeof position>;
