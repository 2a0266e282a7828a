// New events pulse for a few seconds. The rings are small DOM markers animated by CSS (transform
// and opacity run on the compositor), not WebGL layers: the map is not redrawn for an animation,
// which matters on walls driven by weak GPUs or software rendering. At most `max` rings live at
// once; the newest win.
import type { PointFeature } from './points';

export interface PulseTarget {
  /** Shows a pulsing ring at a place; returns its removal. */
  addRing(lngLat: [number, number], alarm: boolean): () => void;
}

export interface PulseOptions {
  durationMs: number;
  max: number;
}

export class Pulse {
  private readonly rings = new Map<string, { remove: () => void; until: number }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly opts: PulseOptions;

  constructor(
    private readonly target: () => PulseTarget | undefined,
    opts: Partial<PulseOptions> = {},
    private readonly now: () => number = () => Date.now(),
  ) {
    this.opts = { durationMs: 3_000, max: 24, ...opts };
  }

  get size(): number {
    return this.rings.size;
  }

  add(features: readonly PointFeature[]): void {
    const target = this.target();
    if (!target) return;
    const until = this.now() + this.opts.durationMs;
    // A burst larger than the cap: only its newest members get a ring.
    for (const f of features.slice(-this.opts.max)) {
      const key = f.properties.key;
      this.rings.get(key)?.remove();
      this.rings.delete(key); // re-insert: Map order is age order
      const [lng, lat] = f.geometry.coordinates as [number, number];
      this.rings.set(key, { remove: target.addRing([lng, lat], f.properties.alarm), until });
    }
    for (const [key, ring] of this.rings) {
      if (this.rings.size <= this.opts.max) break;
      ring.remove();
      this.rings.delete(key);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || !this.rings.size) return;
    const next = Math.min(...[...this.rings.values()].map((r) => r.until));
    this.timer = setTimeout(() => this.expire(), Math.max(50, next - this.now()));
  }

  private expire(): void {
    this.timer = undefined;
    const t = this.now();
    for (const [key, ring] of this.rings)
      if (ring.until <= t) {
        ring.remove();
        this.rings.delete(key);
      }
    this.schedule();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const ring of this.rings.values()) ring.remove();
    this.rings.clear();
  }

  destroy(): void {
    this.clear();
  }
}
