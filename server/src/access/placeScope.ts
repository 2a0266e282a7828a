// Three-level screens (镇·片·居): what a screen bound to a place may see. A screen token may be
// bound to a 片区, 居民区 or grid (config.ts, `token@A2`); unbound tokens see the whole town. One
// module answers "is this inside that place" for the stream, the alarms and the screen API alike.
import type { EntitySummary, Gauges } from '#shared/protocol';
import type { IngestEvent } from '#shared/events';
import { EACH_PLACE, expandDelta, eventPlaces } from '#shared/model/contributions';
import { splitKey, type RollupDelta } from '#shared/model/keys';
import { TOWN_PLACE, levelOf } from '#shared/model/places';
import type { Town } from '../geo/town';

type Located = { neighbourhoodId: string; gridId: string };

export interface PlaceScope {
  /** Whether the place exists in this town ('town', a 片区, 居民区 or grid id). */
  has(place: string): boolean;
  /**
   * Whether every item counted at `place` is also counted at `bound`: the place itself, and for the
   * town everything; for a 片区 its 居民区 and its grids; for a 居民区 its 居村网格 (a street or
   * extended grid spans several 居民区, so it is not inside any one of them); for a grid itself.
   */
  contains(bound: string, place: string): boolean;
  /** The four places of a location: town, 片区, 居民区, grid. */
  placesOf(at: Located): string[];
  /** Whether an item located at `at` counts at `bound` (it is one of its four places). */
  locatedIn(bound: string, at: Located): boolean;
  eventIn(bound: string, e: IngestEvent): boolean;
  entityIn(bound: string, e: EntitySummary): boolean;
  /** Whether a counter key (`metric@place`, the town's without `@`) is one of `bound`'s figures. */
  keyIn(bound: string, key: string): boolean;
  /** The rows of `bound`'s figures (the town's: all of them). */
  rollupsFor(bound: string, rows: RollupDelta): RollupDelta;
  /**
   * An event's counter change as a screen bound to `bound` applies it: written out place by place
   * (expandDelta) and cut to that place's keys. The town's screens get the compact delta unchanged.
   */
  deltaFor(bound: string, delta: RollupDelta, e: IngestEvent): RollupDelta;
  /**
   * The places whose screens an event concerns: its four places, and the places its counter change
   * touches (an entity that moved away takes its counts from its former places: their screens get
   * the event too, or their figures would drift).
   */
  placesTouched(delta: RollupDelta, e: IngestEvent): Set<string>;
  gaugesFor(bound: string, g: Gauges): Gauges;
}

export function placeScope(town: Town): PlaceScope {
  const areas = new Set(town.geo.areas.features.map((f) => f.properties.id));

  function has(place: string): boolean {
    switch (levelOf(place)) {
      case 'town': return true;
      case 'area': return areas.has(place);
      case 'neighbourhood': return town.hasNeighbourhood(place);
      case 'grid': return town.hasGrid(place);
      default: return false;
    }
  }

  function contains(bound: string, place: string): boolean {
    if (bound === TOWN_PLACE || bound === place) return true;
    switch (levelOf(bound)) {
      case 'area':
        switch (levelOf(place)) {
          case 'neighbourhood': return town.areaOf(place) === bound;
          case 'grid': return town.gridInfo(place)?.areaId === bound;
          default: return false;
        }
      case 'neighbourhood': {
        const g = levelOf(place) === 'grid' ? town.gridInfo(place) : undefined;
        return g?.kind === 'community' && g.neighbourhoodId === bound;
      }
      default: return false;
    }
  }

  const areaOf = (nb: string) => town.areaOf(nb) ?? 'A0';
  function locatedIn(bound: string, at: Located): boolean {
    switch (levelOf(bound)) {
      case 'town': return true;
      case 'area': return areaOf(at.neighbourhoodId) === bound;
      case 'neighbourhood': return at.neighbourhoodId === bound;
      case 'grid': return at.gridId === bound;
      default: return false;
    }
  }

  const keyIn = (bound: string, key: string) => bound === TOWN_PLACE || contains(bound, splitKey(key)[1]);
  const rollupsFor = (bound: string, rows: RollupDelta) => (bound === TOWN_PLACE ? rows : rows.filter(([, key]) => keyIn(bound, key)));

  return {
    has,
    contains,
    placesOf: (at) => [TOWN_PLACE, areaOf(at.neighbourhoodId), at.neighbourhoodId, at.gridId],
    locatedIn,
    eventIn: (bound, e) => locatedIn(bound, e.location),
    entityIn: (bound, e) => locatedIn(bound, e),
    keyIn,
    rollupsFor,
    deltaFor: (bound, delta, e) => (bound === TOWN_PLACE ? delta : rollupsFor(bound, expandDelta(delta, e, town))),
    placesTouched(delta, e) {
      const out = new Set<string>(eventPlaces(e, town));
      for (const [, key] of delta) {
        const place = splitKey(key)[1];
        if (place !== EACH_PLACE) out.add(place); // `@*` stands for the event's own four places, already in
      }
      return out;
    },
    gaugesFor(bound, g) {
      if (bound === TOWN_PLACE) return g;
      return { overdue: Object.fromEntries(Object.entries(g.overdue).filter(([place]) => contains(bound, place))) };
    },
  };
}

/** The Socket.IO room of a place's stream: a screen joins its place's room once it is in sync. */
export const streamRoom = (place: string) => `place:${place}`;
/** The room of a place's alarms: joined on connection, kept across resyncs. */
export const alarmRoom = (place: string) => `alarms:${place}`;

/**
 * The first `limit` rows that `keep` keeps, from a query that reads its first n rows: for a screen
 * bound to a place, asking the town-wide query for more (×4 each round) until enough are kept, the
 * query runs out, or `maxRead` rows were read.
 */
export async function firstKept<T>(read: (n: number) => Promise<T[]>, keep: (row: T) => boolean, limit: number, maxRead = 100_000): Promise<T[]> {
  for (let n = Math.min(limit * 4, maxRead); ; n = Math.min(n * 4, maxRead)) {
    const rows = await read(n);
    const kept = rows.filter(keep);
    if (kept.length >= limit || rows.length < n || n >= maxRead) return kept.slice(0, limit);
  }
}
