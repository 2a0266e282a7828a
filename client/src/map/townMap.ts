// The town map: one MapLibre instance in a real-size box, its live layers and its interactions.
// Every listener registered here is removed in destroy(); the component owns the lifecycle.
import { Map as MapLibreMap, Marker, setWorkerUrl, type GeoJSONSource, type MapMouseEvent } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { StreamKind } from '#shared/vocab';
import type { Selection } from '../stores/screen';
import type { Basemap } from './basemap';
import type { GeoIndex } from '../stores/geoIndex';
import { PointSync, type PointFeature } from './points';
import { Pulse } from './pulse';
import { pointIntervalMs, startLoadMeter } from '../screen/loadMeter';
import { buildTownStyle, choroplethLayer, scaledProps } from './style';

// The worker ships as its own file next to the bundle (served by us, never a CDN).
setWorkerUrl(workerUrl);

export type ChoroplethLevel = keyof typeof choroplethLayer;

export interface TownMapOptions {
  container: HTMLElement;
  index: GeoIndex;
  u: number;
  basemap: Basemap | null;
  onClick: (lngLat: [number, number]) => void;
  /** A click on a live point (its entity key) instead of on the ground. */
  onPointClick?: (key: string) => void;
  /** The GL context is gone (true) or back (false). */
  onContextState: (lost: boolean) => void;
  /** The context did not come back: the owner should build a new map. */
  onFatal: () => void;
}

const choroplethSource: Record<ChoroplethLevel, string> = { area: 'areas', neighbourhood: 'neighbourhoods', grid: 'grids' };
const CSS_FONTS = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';
const RESTORE_TIMEOUT_MS = 8_000;

export class TownMap {
  readonly map: MapLibreMap;
  readonly points: PointSync;
  readonly pulse: Pulse;
  private loaded = false;
  private u: number;
  private restoreTimer: ReturnType<typeof setTimeout> | undefined;
  private choropleth: { level: ChoroplethLevel; values: ReadonlyMap<string, number> } | null = null;
  private readonly sentChoropleth = new Map<string, Map<string, number>>();
  private choroplethDirty = false;
  private choroplethTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly off: Array<() => void> = [];
  private readonly load = startLoadMeter();
  private focusMarker: Marker | undefined;

  constructor(private readonly opts: TownMapOptions) {
    this.u = opts.u;
    const { index } = opts;
    this.map = new MapLibreMap({
      container: opts.container,
      style: buildTownStyle(index.geo, { u: opts.u, basemap: opts.basemap }),
      bounds: index.townBbox,
      fitBoundsOptions: { padding: this.padding() },
      attributionControl: opts.basemap ? { compact: true } : false,
      maplibreLogo: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      keyboard: false,
      trackResize: false, // the component observes its box
      renderWorldCopies: false,
      localIdeographFontFamily: CSS_FONTS,
      fadeDuration: 0, // no label fade-ins: fewer frames to draw after each update
      minZoom: 10,
      maxZoom: 18,
    });
    this.map.touchZoomRotate.disableRotation();
    const source = (id: string) => (this.loaded ? (this.map.getSource(id) as GeoJSONSource | undefined) : undefined);
    this.points = new PointSync(
      () => source('events'),
      () => pointIntervalMs(this.load.busyShare()),
      () => Date.now(),
      () => this.flushChoropleth(),
    );
    this.pulse = new Pulse(() => (this.loaded ? { addRing: (p, alarm) => this.addRing(p, alarm) } : undefined));

    this.listen('load', () => {
      this.loaded = true;
      this.points.reset();
      this.choroplethDirty = true;
      this.flushChoropleth();
    });
    this.listen('click', (e: MapMouseEvent) => {
      const key = opts.onPointClick ? this.pointAt(e.point) : undefined;
      if (key) opts.onPointClick!(key);
      else opts.onClick([e.lngLat.lng, e.lngLat.lat]);
    });
    this.listen('mousemove', (e: MapMouseEvent) => {
      // cheap enough: one small box query per move, only over the point layer
      this.map.getCanvas().style.cursor = opts.onPointClick && this.pointAt(e.point) ? 'pointer' : '';
    });
    this.listen('webglcontextlost', () => {
      opts.onContextState(true);
      clearTimeout(this.restoreTimer);
      this.restoreTimer = setTimeout(() => opts.onFatal(), RESTORE_TIMEOUT_MS);
    });
    this.listen('webglcontextrestored', () => {
      clearTimeout(this.restoreTimer);
      opts.onContextState(false);
      this.points.reset();
      this.map.triggerRepaint();
    });
  }

  /** A CSS-animated ring (see styles.css): the wrapper is positioned by MapLibre, the child pulses. */
  private addRing(lngLat: [number, number], alarm: boolean): () => void {
    const wrap = document.createElement('div');
    wrap.className = 'pulse-marker';
    const ring = document.createElement('div');
    ring.className = alarm ? 'pulse-ring alarm' : 'pulse-ring';
    wrap.appendChild(ring);
    const marker = new Marker({ element: wrap }).setLngLat(lngLat).addTo(this.map);
    return () => marker.remove();
  }

  // Typed loosely on purpose: MapLibre's overloads do not compose with a generic helper.
  private listen(type: string, fn: (e: MapMouseEvent) => void): void {
    const m = this.map as unknown as { on(t: string, f: unknown): void; off(t: string, f: unknown): void };
    m.on(type, fn);
    this.off.push(() => m.off(type, fn));
  }

  /** Sets a paint or layout property by name (MapLibre types each name; ours come from style.ts). */
  private setProp(kind: 'paint' | 'layout', layer: string, prop: string, value: unknown): void {
    const m = this.map as unknown as Record<'setPaintProperty' | 'setLayoutProperty', (l: string, p: string, v: unknown) => void>;
    if (kind === 'paint') m.setPaintProperty.call(this.map, layer, prop, value);
    else m.setLayoutProperty.call(this.map, layer, prop, value);
  }

  /** Room for the breadcrumb (top) and the legend strip (bottom) so they never cover the town. */
  private padding(extra = 1): { top: number; bottom: number; left: number; right: number } {
    const p = (n: number) => Math.round(n * this.u * extra);
    return { top: Math.round(50 * this.u) + p(8), bottom: Math.round(50 * this.u) + p(8), left: p(20), right: p(20) };
  }

  /** Applies a new wall scale: sizes of lines, points and labels follow it. */
  setScale(u: number): void {
    if (u === this.u) return;
    this.u = u;
    if (!this.loaded) return;
    for (const [layer, kind, prop, value] of scaledProps(u)) {
      if (!this.map.getLayer(layer)) continue;
      this.setProp(kind, layer, prop, value);
    }
  }

  resize(): void {
    this.map.resize();
  }

  /** Which streams' points are shown, and which level carries the choropleth. */
  setLayers(kinds: readonly StreamKind[], level: ChoroplethLevel, heatmap: boolean): void {
    const run = () => {
      const filter = ['in', ['get', 'kind'], ['literal', [...kinds]]] as never;
      this.map.setFilter('events-points', filter);
      this.map.setFilter('events-heat', filter);
      this.map.setLayoutProperty('events-heat', 'visibility', heatmap ? 'visible' : 'none');
      for (const [lvl, layer] of Object.entries(choroplethLayer))
        this.map.setLayoutProperty(layer, 'visibility', lvl === level ? 'visible' : 'none');
    };
    if (this.loaded) run();
    else this.map.once('load', run);
  }

  /**
   * Shares of the maximum (0..1) per polygon id of a level. A new level is drawn at once; changes
   * within a level wait for the next paced point update, so both cost one redraw.
   */
  setChoropleth(level: ChoroplethLevel, values: ReadonlyMap<string, number>): void {
    const levelChanged = this.choropleth?.level !== level;
    this.choropleth = { level, values };
    this.choroplethDirty = true;
    if (levelChanged) this.flushChoropleth();
    else {
      this.choroplethTimer ??= setTimeout(() => this.flushChoropleth(), 5_000); // in case no point update comes
    }
  }

  private flushChoropleth(): void {
    clearTimeout(this.choroplethTimer);
    this.choroplethTimer = undefined;
    if (!this.loaded || !this.choropleth || !this.choroplethDirty) return;
    this.choroplethDirty = false;
    const { level, values } = this.choropleth;
    const source = choroplethSource[level];
    let sent = this.sentChoropleth.get(source);
    if (!sent) this.sentChoropleth.set(source, (sent = new Map()));
    for (const [id, v] of values) {
      if (sent.get(id) === v) continue;
      sent.set(id, v);
      this.map.setFeatureState({ source, id }, { value: v });
    }
  }

  /** Outlines the selection and frames it. */
  select(sel: Selection): void {
    const run = () => {
      const none = ['==', ['get', 'id'], ''] as never;
      const is = ['==', ['get', 'id'], sel.id] as never;
      this.map.setFilter('selected-line', sel.level === 'area' ? is : none);
      this.map.setFilter('selected-nb-line', sel.level === 'neighbourhood' ? is : none);
      this.map.setFilter('selected-grid-line', sel.level === 'grid' ? is : none);
      const box = this.opts.index.bbox(sel.id) ?? this.opts.index.townBbox;
      this.map.fitBounds(box, { padding: this.padding(sel.level === 'town' ? 1 : 2), duration: 700, maxZoom: 16.5 });
    };
    if (this.loaded) run();
    else this.map.once('load', run);
  }

  /** The live point under a pixel of the map (the nearest within a few pixels), by entity key. */
  pointAt(p: { x: number; y: number }): string | undefined {
    if (!this.loaded || !this.map.getLayer('events-points')) return undefined;
    const r = Math.max(4, 8 * this.u);
    const hits = this.map.queryRenderedFeatures([[p.x - r, p.y - r], [p.x + r, p.y + r]], { layers: ['events-points'] });
    let best: string | undefined;
    let bestD = Infinity;
    for (const h of hits) {
      const key = h.properties?.key as string | undefined;
      const f = key ? this.points.features.get(key) : undefined;
      if (!key || !f) continue;
      const q = this.map.project(f.geometry.coordinates as [number, number]);
      const d = (q.x - p.x) ** 2 + (q.y - p.y) ** 2;
      if (d < bestD) [best, bestD] = [key, d];
    }
    return best;
  }

  /**
   * Flies to an entity and rings it (the event detail); null removes the ring. `rightPx` keeps the
   * place clear of a panel over the right of the map.
   */
  focus(at: { lng: number; lat: number } | null, rightPx = 0): void {
    this.focusMarker?.remove();
    this.focusMarker = undefined;
    if (!at) return;
    const wrap = document.createElement('div');
    wrap.className = 'focus-marker';
    const ring = document.createElement('div');
    ring.className = 'focus-ring';
    wrap.appendChild(ring);
    this.focusMarker = new Marker({ element: wrap }).setLngLat([at.lng, at.lat]).addTo(this.map);
    const pad = this.padding();
    this.map.flyTo({ center: [at.lng, at.lat], zoom: Math.max(this.map.getZoom(), 15), duration: 900, padding: { ...pad, right: pad.right + rightPx } });
  }

  /**
   * The map as a PNG data URL. The WebGL drawing buffer is only readable right after a frame is
   * drawn (no preserveDrawingBuffer: that costs every frame on a weak wall GPU), so a repaint is
   * asked for and the canvas read in its 'render' event.
   */
  capture(timeoutMs = 3_000): Promise<string> {
    return new Promise((resolve) => {
      const canvas = this.map.getCanvas();
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.map.off('render', finish);
        resolve(canvas.toDataURL('image/png'));
      };
      const timer = setTimeout(finish, timeoutMs);
      this.map.on('render', finish);
      this.map.triggerRepaint();
    });
  }

  upsertPoints(features: PointFeature[], fresh: boolean): void {
    this.points.upsert(features);
    if (fresh) this.pulse.add(features);
  }

  /** Page coordinates of a place (test hook and click tests). */
  project(lng: number, lat: number): { x: number; y: number } {
    const p = this.map.project([lng, lat]);
    const r = this.map.getContainer().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }

  /** Simulates a lost GL context (test hook): MapLibre should restore it. */
  loseContext(restoreAfterMs = 500): void {
    const gl = this.map.getCanvas().getContext('webgl2') ?? this.map.getCanvas().getContext('webgl');
    const ext = gl?.getExtension('WEBGL_lose_context');
    ext?.loseContext();
    if (ext && restoreAfterMs >= 0) setTimeout(() => ext.restoreContext(), restoreAfterMs);
  }

  destroy(): void {
    clearTimeout(this.restoreTimer);
    clearTimeout(this.choroplethTimer);
    for (const off of this.off.splice(0)) off();
    this.focusMarker?.remove();
    this.pulse.destroy();
    this.points.dispose();
    this.load.stop();
    this.map.remove();
  }
}
