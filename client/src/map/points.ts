// Live event points: entity summaries → GeoJSON features, pushed to one GeoJSON source with
// `updateData` diffs (promoteId "key"), with at most one update in flight. Changes that arrive
// while an update is pending are coalesced into the next one, so a burst costs one diff.
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { EntitySummary } from '#shared/protocol';
import { isOverdue } from '#shared/summary';
import { entityKey } from '../stores/streamData';

export interface PointProps {
  key: string;
  kind: EntitySummary['kind'];
  open: boolean;
  /** urgent or overdue, and still open: drawn red */
  alarm: boolean;
  nb: string;
  grid: string;
}

export type PointFeature = Feature<Point, PointProps>;

export function pointFeature(s: EntitySummary, nowMs: number): PointFeature {
  const key = entityKey(s.kind, s.id);
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [s.lng, s.lat] },
    properties: { key, kind: s.kind, open: s.open, alarm: s.open && (s.urgent || isOverdue(s, nowMs)), nb: s.neighbourhoodId, grid: s.gridId },
  };
}

/** What PointSync needs of a MapLibre GeoJSONSource (a fake in unit tests). */
export interface PointTarget {
  setData(data: FeatureCollection): Promise<void>;
  updateData(diff: GeoJSONSourceDiff): Promise<void>;
}

export class PointSync {
  /** What the source should hold: the mirror survives style reloads and context loss. */
  readonly features = new Map<string, PointFeature>();
  private readonly dirty = new Set<string>();
  private needsReset = true;
  private inFlight = false;
  /** Diffs sent (for tests and the benchmark). */
  updates = 0;
  private lastSent = -Infinity;
  private wait: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param minIntervalMs at most one diff per this interval (a number or a live reading): each
   *   one re-tiles the source and redraws the map, and a wall gains nothing from more than a
   *   couple per second.
   */
  constructor(
    private readonly target: () => PointTarget | undefined,
    private readonly minIntervalMs: number | (() => number) = 0,
    private readonly now: () => number = () => Date.now(),
    /** Runs just before each send, so other paced map changes share the same redraw. */
    private readonly beforeSend: () => void = () => undefined,
  ) {}

  upsert(list: Iterable<PointFeature>): void {
    for (const f of list) {
      this.features.set(f.properties.key, f);
      this.dirty.add(f.properties.key);
    }
    this.pump();
  }

  remove(keys: Iterable<string>): void {
    for (const k of keys) if (this.features.delete(k)) this.dirty.add(k);
    this.pump();
  }

  /**
   * Replace everything (a snapshot, or a new map instance). `now`: the user changed what is shown
   * (a filter, replay mode) — sent without waiting for the pacing interval.
   */
  reset(list?: Iterable<PointFeature>, now = false): void {
    if (list) {
      this.features.clear();
      for (const f of list) this.features.set(f.properties.key, f);
    }
    this.dirty.clear();
    this.needsReset = true;
    if (now) {
      clearTimeout(this.wait);
      this.wait = undefined;
      this.lastSent = -Infinity;
    }
    this.pump();
  }

  /** Re-evaluates overdue (time passes without events) and pushes the points that turned red. */
  refreshAlarms(entities: ReadonlyMap<string, EntitySummary>, nowMs: number): void {
    const changed: PointFeature[] = [];
    for (const [key, f] of this.features) {
      const s = entities.get(key);
      if (!s || !s.open || !s.dueAt) continue;
      const next = pointFeature(s, nowMs);
      if (next.properties.alarm !== f.properties.alarm) changed.push(next);
    }
    if (changed.length) this.upsert(changed);
  }

  dispose(): void {
    clearTimeout(this.wait);
    this.wait = undefined;
  }

  get busy(): boolean {
    return this.inFlight;
  }

  private pump(): void {
    if (this.inFlight || this.wait) return;
    const target = this.target();
    if (!target) return; // the map is not ready; the mirror is sent on reset
    if (!this.needsReset && !this.dirty.size) return;
    const interval = typeof this.minIntervalMs === 'number' ? this.minIntervalMs : this.minIntervalMs();
    const early = this.lastSent + interval - this.now();
    if (early > 0) {
      this.wait = setTimeout(() => {
        this.wait = undefined;
        this.pump();
      }, early);
      return;
    }
    this.lastSent = this.now();
    this.beforeSend();
    let send: Promise<void>;
    if (this.needsReset) {
      this.needsReset = false;
      this.dirty.clear();
      send = target.setData({ type: 'FeatureCollection', features: [...this.features.values()] });
    } else {
      const add: PointFeature[] = [];
      const remove: string[] = [];
      for (const k of this.dirty) {
        const f = this.features.get(k);
        if (f) add.push(f);
        else remove.push(k);
      }
      this.dirty.clear();
      // `add` of a known id replaces the feature (promoteId makes `key` the id).
      send = target.updateData({ ...(add.length ? { add } : {}), ...(remove.length ? { remove } : {}) });
    }
    this.inFlight = true;
    this.updates++;
    let failed = false;
    send
      .catch((err: unknown) => {
        console.warn('[map] point update failed; resending everything', err);
        this.needsReset = failed = true;
      })
      .finally(() => {
        this.inFlight = false;
        if (failed) setTimeout(() => this.pump(), 1_000);
        else this.pump();
      });
  }
}
