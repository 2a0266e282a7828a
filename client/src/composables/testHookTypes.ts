// The shape of window.__onescreen, shared by the screen and its e2e tests/benchmark (which
// compile without DOM types, hence no DOM references here).
export interface MapHook {
  loaded(): boolean;
  /** Page (viewport) coordinates of a place. */
  project(lng: number, lat: number): { x: number; y: number };
  pointCount(): number;
  /** Live points actually drawn on the canvas now (queryRenderedFeatures). */
  renderedPoints(): number;
  moving(): boolean;
  pointUpdates(): number;
  loseContext(restoreAfterMs?: number): void;
  recreated(): number;
}

export interface ScreenState {
  appliedSeq: number;
  /** performance.now() when the first sync was applied */
  firstSyncAt: number | null;
  eventsApplied: number;
  status: string;
  stale: boolean;
  entities: number;
  feed: number;
  rollupHours: number;
  topic: string;
  selection: { level: string; id: string };
  layout: { mode: string; u: number; width: number; height: number; left: number; top: number };
}

export interface OneScreenHook {
  state(): ScreenState;
  centre(id: string): [number, number] | undefined;
  map?: MapHook;
}
