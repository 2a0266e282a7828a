// Ingest checks the geography: the point inside the 居民区 and grid polygons (within a tolerance),
// and the grid one that belongs to the 居民区. Places are real ones of the demo town.
import { describe, expect, it } from 'vitest';
import type { Position } from '#shared/geo';
import { distanceToRingMetres, EARTH_RADIUS_M, pointInRing } from '#shared/geometry';
import { loadTown } from '../../../server/src/geo/town';
import { LOCATION_TOLERANCE_M, validateItem } from '../../../server/src/ingest/validate';
import { BASE_MS, makeCase } from '../../support/events';

const town = loadTown();
const NOW = BASE_MS + 3600_000;

type Location = { lng: number; lat: number; gridId: string; neighbourhoodId: string; compoundId?: string };
const check = (location: Location) => validateItem(makeCase({ location }), town, NOW);
const errorsOf = (location: Location) => {
  const r = check(location);
  return r.ok ? [] : r.errors;
};

/**
 * A point `metres` from the middle of edge i of a ring, perpendicular to it: outward for a
 * positive distance, inward for a negative one (equirectangular at the edge's latitude).
 */
function besideEdge(ring: readonly Position[], i: number, metres: number): [number, number] {
  const [ax, ay] = ring[i]!;
  const [bx, by] = ring[i + 1]!;
  const mid: [number, number] = [(ax + bx) / 2, (ay + by) / 2];
  const ky = (Math.PI / 180) * EARTH_RADIUS_M;
  const kx = Math.cos((mid[1] * Math.PI) / 180) * ky;
  const ex = (bx - ax) * kx;
  const ey = (by - ay) * ky;
  const len = Math.hypot(ex, ey);
  const normal = [ey / len, -ex / len] as const; // one of the two perpendiculars, in metres
  const at = (m: number): [number, number] => [mid[0] + (normal[0] * m) / kx, mid[1] + (normal[1] * m) / ky];
  const outward = pointInRing(at(1), ring) ? -1 : 1;
  return at(outward * metres);
}

const N01 = town.ringOf('N01')!;
const WEST_EDGE = N01.findIndex((p, k) => k + 1 < N01.length && Math.max(p[0], N01[k + 1]![0]) < 121.355); // the town's western boundary

describe('ingest geography: the point', () => {
  it('accepts a point inside the 居民区 and its grid (the README example)', () => {
    expect(check({ lng: 121.358, lat: 31.203, gridId: 'GC01', neighbourhoodId: 'N01', compoundId: 'C001' }).ok).toBe(true);
  });

  it('rejects a point in Beijing for a 新泾 grid, at `location`, naming both polygons', () => {
    const errors = errorsOf({ lng: 116.397, lat: 39.909, gridId: 'GC01', neighbourhoodId: 'N01' });
    expect(errors.map((e) => e.path)).toEqual(['location']);
    expect(errors[0]!.message).toMatch(/^point 116\.397, 39\.909 lies \d[\d.]* km outside 居民区 N01 \(淞五\) and \d[\d.]* km outside grid GC01 \(淞五居村网格\); at most 30 m is tolerated$/);
  });

  it('accepts a point just outside the polygons, within the tolerance', () => {
    expect(WEST_EDGE).toBeGreaterThanOrEqual(0);
    const p = besideEdge(N01, WEST_EDGE, 20);
    expect(pointInRing(p, N01)).toBe(false);
    expect(distanceToRingMetres(p, N01)).toBeCloseTo(20, 0);
    expect(check({ lng: p[0], lat: p[1], gridId: 'GC01', neighbourhoodId: 'N01' })).toMatchObject({ ok: true });
  });

  it('rejects a point 100 m outside, saying how far and from which polygon', () => {
    const p = besideEdge(N01, WEST_EDGE, 100);
    expect(distanceToRingMetres(p, N01)).toBeCloseTo(100, 0);
    const errors = errorsOf({ lng: p[0], lat: p[1], gridId: 'GC01', neighbourhoodId: 'N01' });
    expect(errors).toEqual([
      { path: 'location', message: `point ${p[0]}, ${p[1]} lies 100 m outside 居民区 N01 (淞五) and 100 m outside grid GC01 (淞五居村网格); at most 30 m is tolerated` },
    ]);
  });

  it('names only the polygon the point is outside of: inside the 居民区 but beside its street grid', () => {
    // 剑河路 runs along the eastern edge of 刘三 N18 (片区 A3); its 街面网格 GS01 (A3) is a ~60 m wide buffer.
    const n18 = town.ringOf('N18')!;
    const east = n18.findIndex((p, k) => k + 1 < n18.length && pointInRing(besideEdge(n18, k, -10), town.gridRing('GS01')!));
    expect(east).toBeGreaterThanOrEqual(0);
    const onRoad = besideEdge(n18, east, -10);
    expect(check({ lng: onRoad[0], lat: onRoad[1], gridId: 'GS01', neighbourhoodId: 'N18' })).toMatchObject({ ok: true });
    const inside = besideEdge(n18, east, -200); // well inside N18, ~170 m from the buffer's edge
    const errors = errorsOf({ lng: inside[0], lat: inside[1], gridId: 'GS01', neighbourhoodId: 'N18' });
    expect(errors.map((e) => e.path)).toEqual(['location']);
    expect(errors[0]!.message).toMatch(/lies 1\d\d m outside grid GS01 \(剑河路街面网格\); at most 30 m/);
    expect(errors[0]!.message).not.toMatch(/居民区/);
  });

  it('uses a tolerance of 30 m', () => {
    expect(LOCATION_TOLERANCE_M).toBe(30);
    const edge = besideEdge(N01, WEST_EDGE, LOCATION_TOLERANCE_M - 0.5);
    const beyond = besideEdge(N01, WEST_EDGE, LOCATION_TOLERANCE_M + 0.5);
    expect(check({ lng: edge[0], lat: edge[1], gridId: 'GC01', neighbourhoodId: 'N01' }).ok).toBe(true);
    expect(errorsOf({ lng: beyond[0], lat: beyond[1], gridId: 'GC01', neighbourhoodId: 'N01' }).map((e) => e.path)).toEqual(['location']);
  });
});

describe('ingest geography: the grid belongs to the 居民区', () => {
  it('rejects the community grid of another 居民区 at `location.gridId`', () => {
    const errors = errorsOf({ lng: 121.358, lat: 31.203, gridId: 'GC02', neighbourhoodId: 'N01' });
    expect(errors).toEqual([{ path: 'location.gridId', message: '居村网格 GC02 belongs to 居民区 N02, not to 居民区 N01' }]);
  });

  it('rejects a street grid of another 片区 at `location.gridId`, even where the point lies inside it', () => {
    // 剑河路 is also the eastern edge of 淞三 N02 (片区 A1), but its 街面网格 GS01 belongs to 片区 A3.
    const n02 = town.ringOf('N02')!;
    const east = n02.findIndex((p, k) => k + 1 < n02.length && pointInRing(besideEdge(n02, k, -10), town.gridRing('GS01')!));
    expect(east).toBeGreaterThanOrEqual(0);
    const p = besideEdge(n02, east, -10);
    expect(errorsOf({ lng: p[0], lat: p[1], gridId: 'GS01', neighbourhoodId: 'N02' })).toEqual([
      { path: 'location.gridId', message: '街面网格 GS01 is in 片区 A3, but 居民区 N02 is in 片区 A1' },
    ]);
    // The same spot reported with the 居民区's own grid is fine.
    expect(check({ lng: p[0], lat: p[1], gridId: 'GC02', neighbourhoodId: 'N02' }).ok).toBe(true);
  });

  it('accepts a 处置网格 of the 居民区’s own 片区 and rejects one of another', () => {
    const at = { lng: 121.358, lat: 31.203, neighbourhoodId: 'N01' };
    expect(check({ ...at, gridId: 'GD01' }).ok).toBe(true);
    expect(errorsOf({ ...at, gridId: 'GD02' })).toEqual([
      { path: 'location.gridId', message: '处置网格 GD02 is in 片区 A2, but 居民区 N01 is in 片区 A1' },
    ]);
  });
});

describe('ingest geography: the existing checks stay', () => {
  it.each([
    ['an unknown 居民区', { lng: 121.358, lat: 31.203, gridId: 'GC01', neighbourhoodId: 'N99' }, 'location.neighbourhoodId', 'unknown 居民区 N99'],
    ['an unknown grid', { lng: 121.358, lat: 31.203, gridId: 'GC77', neighbourhoodId: 'N01' }, 'location.gridId', 'unknown grid GC77'],
    ['a 小区 of another 居民区', { lng: 121.358, lat: 31.203, gridId: 'GC01', neighbourhoodId: 'N01', compoundId: 'C004' }, 'location.compoundId', '小区 C004 is not in 居民区 N01'],
  ])('rejects %s, naming only that field', (_what, location, path, message) => {
    expect(errorsOf(location)).toEqual([{ path, message }]);
  });

  it('rejects a time in the future', () => {
    const r = validateItem(makeCase({}, NOW + 3600_000), town, NOW);
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(['occurredAt']);
  });
});
