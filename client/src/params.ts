// The screen's URL parameters, parsed once at load (a wall is configured by its URL).
// Every value has a safe default, and nonsense falls back to it rather than breaking the screen.
export type Lang = 'zh' | 'en';
export const topics = ['overview', 'cases', 'hotline', 'inspections'] as const;
export type Topic = (typeof topics)[number];
export type LayoutRequest = 'auto' | 'fit' | 'wall' | 'stretch';

export interface ScreenParams {
  lang: Lang;
  /** Seconds between topic changes; 0 = no rotation. */
  rotateSec: number;
  layout: LayoutRequest;
  /** Reload the page after this many minutes without data (0 = never). */
  staleReloadMin: number;
  /** Optional basemap: an XYZ raster template, a TileJSON URL or a style.json URL. */
  basemap: string | null;
  /** Start on (and pin) this topic. */
  topic: Topic | null;
  token: string | null;
  heatmap: boolean;
  /** `briefing`: the printable briefing instead of the live screen. */
  view: 'screen' | 'briefing';
  /** Show the control bar (time range, filters, replay, export); `controls=0` for an unattended wall. */
  controls: boolean;
}

const num = (v: string | null, def: number, min: number, max: number): number => {
  if (v === null || v.trim() === '') return def;
  const n = Number(v);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : def;
};

const oneOf = <T extends string>(v: string | null, allowed: readonly T[]): T | null =>
  v !== null && (allowed as readonly string[]).includes(v) ? (v as T) : null;

export function parseScreenParams(search: string): ScreenParams {
  const q = new URLSearchParams(search);
  const token = q.get('token')?.trim();
  const basemap = q.get('basemap')?.trim();
  return {
    lang: q.get('lang')?.toLowerCase().startsWith('en') ? 'en' : 'zh',
    rotateSec: num(q.get('rotate'), 60, 0, 24 * 3600),
    layout: oneOf(q.get('layout'), ['auto', 'fit', 'wall', 'stretch'] as const) ?? 'auto',
    staleReloadMin: num(q.get('staleReloadMin'), 10, 0, 24 * 60),
    basemap: basemap ? basemap : null,
    topic: oneOf(q.get('topic'), topics),
    token: token ? token : null,
    heatmap: q.get('heatmap') === '1' || q.get('heatmap') === 'on',
    view: q.get('view') === 'briefing' ? 'briefing' : 'screen',
    controls: q.get('controls') !== '0' && q.get('controls') !== 'off',
  };
}
