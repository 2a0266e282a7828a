// Where things happen: points strictly inside the town's polygons, with the ids and an address to match.
import type { Position } from '#shared/geo';
import { pointInRing, ringBbox } from '#shared/geometry';
import type { Town } from '../geo/town';
import { hashSeed, type Rng } from './random';

/** compound: inside a 小区 · street: at a roadside (street grid when one covers it) · open: elsewhere in the 居民区 · river: on 周家浜 */
export type SpotKind = 'compound' | 'street' | 'open' | 'river';

export interface Spot {
  lng: number;
  lat: number;
  neighbourhoodId: string;
  compoundId?: string;
  gridId: string;
  /** 地址 as a screen shows it */
  address: string;
  /** short place for free text: the compound, road or 居民区 name */
  place: string;
  /** building number inside a compound, shared by address and free text */
  building?: number;
}

interface Shape { id: string; ring: Position[]; bbox: [number, number, number, number] }
interface Segment { road: string; a: Position; b: Position }
interface Nb extends Shape { name: string; compounds: (Shape & { name: string })[]; roads: Segment[]; nearestRoad: string }

export interface Places {
  pick(rng: Rng, kind: SpotKind): Spot;
  /** A spot at a roadside along the given road between two crossing roads (or all of it). */
  alongRoad(rng: Rng, road: string, from?: string, to?: string): Spot;
  /** 镇 name, the head of every address */
  townName: string;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const METRE = 1 / 111_320; // degrees of latitude per metre; good enough for offsets of a few metres

function shape(id: string, ring: Position[]): Shape {
  return { id, ring, bbox: ringBbox(ring) };
}
const inBox = (p: Position, b: readonly number[]) => p[0] >= b[0]! && p[0] <= b[2]! && p[1] >= b[1]! && p[1] <= b[3]!;

/** Uniform point strictly inside a ring: rejection in its bbox, after rounding to 6 decimals (what is sent). */
function pointIn(rng: Rng, s: Shape, avoid: readonly Shape[] = []): Position | undefined {
  const [x0, y0, x1, y1] = s.bbox;
  for (let k = 0; k < 60; k++) {
    const p: Position = [round6(rng.between(x0, x1)), round6(rng.between(y0, y1))];
    if (pointInRing(p, s.ring) && !avoid.some((a) => inBox(p, a.bbox) && pointInRing(p, a.ring))) return p;
  }
  return undefined;
}

/** A point a few metres to one side of a random spot on the segment. */
function besideSegment(rng: Rng, seg: Segment, minM: number, maxM: number): Position {
  const t = rng.between(0.05, 0.95);
  const dx = seg.b[0] - seg.a[0];
  const dy = seg.b[1] - seg.a[1];
  const len = Math.hypot(dx, dy) || 1;
  const off = rng.between(minM, maxM) * METRE * (rng.chance(0.5) ? 1 : -1);
  return [round6(seg.a[0] + t * dx - (dy / len) * off), round6(seg.a[1] + t * dy + (dx / len) * off)];
}

function segmentsOf(name: string, coords: Position[]): Segment[] {
  const out: Segment[] = [];
  for (let k = 0; k + 1 < coords.length; k++) out.push({ road: name, a: coords[k]!, b: coords[k + 1]! });
  return out;
}

const cache = new WeakMap<Town, Places>();

/** The town's places, indexed once per Town (pure: depends only on the geography). */
export function placesOf(town: Town): Places {
  let p = cache.get(town);
  if (!p) cache.set(town, (p = buildPlaces(town)));
  return p;
}

function buildPlaces(town: Town): Places {
  const TOWN = town.geo.town.name;
  const roads = town.geo.roads.features.map((f) => ({ name: f.properties.name, segments: segmentsOf(f.properties.name, f.geometry.coordinates) }));
  const allSegments = roads.flatMap((r) => r.segments);
  const river = town.geo.water.features.flatMap((f) => segmentsOf(f.properties.name, f.geometry.coordinates));

  const nbs: Nb[] = town.neighbourhoodIds.map((id) => {
    const s = shape(id, town.ringOf(id) ?? []);
    const [x0, y0, x1, y1] = s.bbox;
    const near = (seg: Segment) =>
      Math.max(seg.a[0], seg.b[0]) >= x0 && Math.min(seg.a[0], seg.b[0]) <= x1 && Math.max(seg.a[1], seg.b[1]) >= y0 && Math.min(seg.a[1], seg.b[1]) <= y1;
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    let nearestRoad = roads[0]?.name ?? '';
    let best = Infinity;
    for (const seg of allSegments) {
      const d = Math.hypot((seg.a[0] + seg.b[0]) / 2 - cx, (seg.a[1] + seg.b[1]) / 2 - cy);
      if (d < best) [best, nearestRoad] = [d, seg.road];
    }
    return {
      ...s,
      name: town.nameOf(id) ?? id,
      compounds: town.compoundsOf(id).map((c) => ({ ...shape(c, town.ringOf(c) ?? []), name: town.nameOf(c) ?? c })),
      roads: allSegments.filter(near),
      nearestRoad,
    };
  });
  // Denser 居民区 (more compounds) see more events; a fixed per-id jitter keeps them from looking uniform.
  const weights = nbs.map((n) => 1 + 0.4 * n.compounds.length + (hashSeed(0, n.id) % 1000) / 1250);
  const withRoads = nbs.map((n, k) => (n.roads.length > 0 ? weights[k]! : 0));

  const nbAt = (p: Position) => nbs.find((n) => inBox(p, n.bbox) && pointInRing(p, n.ring));
  const inCompound = (n: Nb, p: Position) => n.compounds.some((c) => inBox(p, c.bbox) && pointInRing(p, c.ring));
  const communityGrid = (n: Nb) => town.communityGridOf(n.id) ?? 'GC00';
  const houseNo = (rng: Rng) => 1 + rng.int(1200);

  function spotOf(n: Nb, p: Position, address: string, place: string, compoundId?: string, street = false): Spot {
    // A street grid reports only for the 居民区 of its own 片区 (ingest rejects any other pairing);
    // elsewhere along the same road the 居民区's own 居村网格 takes the case.
    const overlay = street ? town.overlayGridAt([p[0], p[1]], town.areaOf(n.id)) : undefined;
    const gridId = overlay?.kind === 'street' ? overlay.id : communityGrid(n);
    const spot: Spot = { lng: p[0], lat: p[1], neighbourhoodId: n.id, gridId, address, place };
    if (compoundId) spot.compoundId = compoundId;
    return spot;
  }

  function openSpot(rng: Rng, n: Nb): Spot {
    const p = pointIn(rng, n, n.compounds) ?? pointIn(rng, n) ?? n.ring[0]!;
    return spotOf(n, p, `${TOWN}${n.name}居民区 ${n.nearestRoad}${houseNo(rng)}号`, `${n.name}居民区`);
  }

  function streetSpot(rng: Rng, n: Nb, segments: Segment[]): Spot | undefined {
    for (let k = 0; k < 40 && segments.length > 0; k++) {
      const seg = rng.pick(segments);
      const p = besideSegment(rng, seg, 4, 24);
      if (pointInRing(p, n.ring) && !inCompound(n, p))
        return spotOf(n, p, `${TOWN}${seg.road}${houseNo(rng)}号附近`, seg.road, undefined, true);
    }
    return undefined;
  }

  /** Roadside or riverside spot anywhere along the segments, in whichever 居民区 it falls. */
  function besideAnywhere(rng: Rng, segments: Segment[], minM: number, maxM: number, address: (seg: Segment) => string): Spot | undefined {
    for (let k = 0; k < 80 && segments.length > 0; k++) {
      const seg = rng.pick(segments);
      const p = besideSegment(rng, seg, minM, maxM);
      const n = nbAt(p);
      if (n && !inCompound(n, p)) return spotOf(n, p, address(seg), seg.road, undefined, true);
    }
    return undefined;
  }

  const places: Places = {
    townName: TOWN,
    pick(rng, kind) {
      if (kind === 'river') {
        const s = besideAnywhere(rng, river, 3, 12, (seg) => `${TOWN}${seg.road}河道（近${houseNo(rng)}号）`);
        if (s) return s;
      }
      const n = nbs[rng.weightedIndex(kind === 'street' ? withRoads : weights)]!;
      if (kind === 'compound' && n.compounds.length > 0) {
        const c = rng.pick(n.compounds);
        const p = pointIn(rng, c);
        const building = 1 + rng.int(60);
        if (p) return { ...spotOf(n, p, `${TOWN}${n.name}居民区 ${c.name}${building}号`, c.name, c.id), building };
      }
      if (kind === 'street') return streetSpot(rng, n, n.roads) ?? openSpot(rng, n);
      return openSpot(rng, n);
    },
    alongRoad(rng, road, from, to) {
      const line = town.geo.roads.features.find((f) => f.properties.name === road)?.geometry.coordinates ?? [];
      const crossing = (other?: string) => {
        const o = town.geo.roads.features.find((f) => f.properties.name === other)?.geometry.coordinates ?? [];
        return line.findIndex((p) => o.some((q) => q[0] === p[0] && q[1] === p[1]));
      };
      const i = crossing(from);
      const j = crossing(to);
      const part = i >= 0 && j >= 0 ? line.slice(Math.min(i, j), Math.max(i, j) + 1) : line;
      const s = besideAnywhere(rng, segmentsOf(road, part), 8, 28, (seg) => `${TOWN}${seg.road}${houseNo(rng)}号`);
      return s ?? places.pick(rng, 'street');
    },
  };
  return places;
}
