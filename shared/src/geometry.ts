// Small planar geometry on lng/lat rings; good enough at town scale.
import type { Position } from './geo';

/** Ray casting; `ring` closed or not. */
export function pointInRing([x, y]: readonly [number, number], ring: readonly Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function ringBbox(ring: readonly Position[]): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of ring) {
    minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX, maxY];
}

/** Vertex average of a ring (without its closing point): a label/centre point for convex shapes. */
export function ringCentre(ring: readonly Position[]): [number, number] {
  const pts = ring.length > 1 && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1] ? ring.slice(0, -1) : ring;
  const sx = pts.reduce((s, p) => s + p[0], 0);
  const sy = pts.reduce((s, p) => s + p[1], 0);
  return [sx / pts.length, sy / pts.length];
}

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/**
 * Distance in metres from a point to the nearest edge of a ring (closed or not), in an
 * equirectangular projection centred on the point: exact enough (well under a metre) at town scale,
 * only indicative over hundreds of kilometres. It says nothing about inside/outside — see `pointInRing`.
 */
export function distanceToRingMetres([lng, lat]: readonly [number, number], ring: readonly Position[]): number {
  if (ring.length === 0) return Infinity;
  const kx = Math.cos(lat * RAD) * RAD * EARTH_RADIUS_M;
  const ky = RAD * EARTH_RADIUS_M;
  const project = ([x, y]: Position): [number, number] => [(x - lng) * kx, (y - lat) * ky];
  if (ring.length === 1) return Math.hypot(...project(ring[0]!));
  let best = Infinity;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [ax, ay] = project(ring[j]!);
    const [bx, by] = project(ring[i]!);
    // Nearest point of segment a–b to the origin (the point itself).
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2));
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return best;
}

/**
 * How far outside a ring a point lies, in metres: 0 when it is inside (or on the edge), else the
 * distance to the nearest edge (see `distanceToRingMetres`).
 */
export function metresOutsideRing(point: readonly [number, number], ring: readonly Position[]): number {
  return pointInRing(point, ring) ? 0 : distanceToRingMetres(point, ring);
}
