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
  /** Page coordinates of the live point of an entity ("kind:id"), null when it is not drawn. */
  pointPosition(key: string): { x: number; y: number } | null;
  /** Keys of the points the map holds (after filters). */
  pointKeys(): string[];
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
  topic: string;
  selection: { level: string; id: string };
  layout: { mode: string; u: number; width: number; height: number; left: number; top: number };
  replay: { active: boolean; clock: number; applied: number; loaded: number; playing: boolean };
  alarms: number;
  range: string;
}

/** What the panels draw now (the dashboard's FigureView, selected), for tests that check it against the API. */
export interface PanelFigures {
  mode: 'live' | 'range' | 'replay';
  place: string;
  kpis: Array<{ id: string; value: number | null }>;
  /** 发现 → 派单 → 处置 → 结案 */
  funnel: Array<{ id: string; value: number }>;
  /** the children of the place by the topic's new items; null at a grid */
  ranking: { level: string; metric: string; items: Array<{ id: string; value: number }> } | null;
  /** the rings: hotline and inspection rates */
  rates: Array<{ id: string; value: number | null }>;
}

export interface OneScreenHook {
  state(): ScreenState;
  /** null until the view's figures are there (e.g. a range report still loading) */
  panels(): PanelFigures | null;
  centre(id: string): [number, number] | undefined;
  map?: MapHook;
}
