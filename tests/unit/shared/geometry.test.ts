import { describe, expect, it } from 'vitest';
import type { Position } from '#shared/geo';
import { distanceToRingMetres, EARTH_RADIUS_M, metresOutsideRing } from '#shared/geometry';

// A square of 0.01° (about 950 m east–west, 1,112 m north–south at 31.2° N), closed.
const SQUARE: Position[] = [[121.36, 31.2], [121.37, 31.2], [121.37, 31.21], [121.36, 31.21], [121.36, 31.2]];
const M_PER_DEG_LAT = (Math.PI / 180) * EARTH_RADIUS_M; // ≈ 111,195 m

describe('distanceToRingMetres', () => {
  it('measures to the nearest edge, in metres, from outside and inside', () => {
    expect(distanceToRingMetres([121.365, 31.2 - 100 / M_PER_DEG_LAT], SQUARE)).toBeCloseTo(100, 6); // 100 m south
    expect(distanceToRingMetres([121.365, 31.201], SQUARE)).toBeCloseTo(M_PER_DEG_LAT * 0.001, 6); // inside, 111 m from the south edge
    const east = 50 / (Math.cos((31.205 * Math.PI) / 180) * M_PER_DEG_LAT);
    expect(distanceToRingMetres([121.37 + east, 31.205], SQUARE)).toBeCloseTo(50, 6); // 50 m east: longitude shrinks with cos(lat)
  });

  it('measures to a corner beyond the ends of the edges', () => {
    const d = 30 / M_PER_DEG_LAT;
    const kx = Math.cos((31.21 + d) * (Math.PI / 180)) * M_PER_DEG_LAT;
    expect(distanceToRingMetres([121.37 + 40 / kx, 31.21 + d], SQUARE)).toBeCloseTo(50, 1); // 40 m east, 30 m north of the NE corner
  });

  it('treats an open ring as closed, and a point on an edge as 0', () => {
    expect(distanceToRingMetres([121.36 - 10 / M_PER_DEG_LAT / 0.855, 31.205], SQUARE.slice(0, -1))).toBeCloseTo(10, 0);
    expect(distanceToRingMetres([121.365, 31.2], SQUARE)).toBeCloseTo(0, 9);
    expect(distanceToRingMetres([121.365, 31.2], [])).toBe(Infinity);
  });
});

describe('metresOutsideRing', () => {
  it('is 0 inside and the distance to the edge outside', () => {
    expect(metresOutsideRing([121.365, 31.205], SQUARE)).toBe(0);
    expect(metresOutsideRing([121.365, 31.21 + 20 / M_PER_DEG_LAT], SQUARE)).toBeCloseTo(20, 6);
  });
});
