// Counter rows of hours [fromHour, toHour) and the gauges (hour 0) at every place, read place by
// place through the primary key (place, hour, key): a loose index scan finds the places, so the
// read costs the rows it returns, not the whole table (which holds every day kept).
import type pg from 'pg';

const ROWS_BETWEEN = `WITH RECURSIVE p(place) AS (
    SELECT min(place) FROM rollups
    UNION ALL
    SELECT (SELECT min(r.place) FROM rollups r WHERE r.place > p.place) FROM p WHERE p.place IS NOT NULL)
  SELECT r.hour, r.place, r.key, r.count FROM p CROSS JOIN LATERAL (
    SELECT hour, place, key, count FROM rollups WHERE place = p.place AND hour = 0 AND count <> 0
    UNION ALL
    SELECT hour, place, key, count FROM rollups WHERE place = p.place AND hour >= $1 AND hour < $2 AND hour <> 0 AND count <> 0) r
  WHERE p.place IS NOT NULL`;

/** [hour, place, key, count] */
export type PlaceRow = [number, string, string, number];

export async function rollupRowsBetween(client: pg.ClientBase | pg.Pool, fromHour: number, toHour: number): Promise<PlaceRow[]> {
  const { rows } = await client.query<PlaceRow>({ name: 'onescreen_rollups_between', text: ROWS_BETWEEN, values: [fromHour, toHour], rowMode: 'array' });
  return rows;
}
