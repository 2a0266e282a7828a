// Fitting the 1920×1080 design to any wall without CSS transforms: a unit u (CSS px per design
// px) sizes everything through calc(N * var(--u)), so text, charts and the map render at their
// real pixel size — sharp at 4K, and pointer coordinates stay true for ECharts and MapLibre.
import type { LayoutRequest } from '../params';

export const DESIGN_W = 1920;
export const DESIGN_H = 1080;
/** Aspect ratio from which "auto" picks the wall layout (e.g. 5760×1080 = 5.3). */
export const WALL_ASPECT = 2.4;

export type LayoutMode = 'fit' | 'wall' | 'stretch';

export interface Layout {
  mode: LayoutMode;
  /** CSS px per design px */
  u: number;
  left: number;
  top: number;
  width: number;
  height: number;
  /** side panel columns on each side of the map (1 normally, 2 on a wall) */
  sideColumns: 1 | 2;
}

export function computeLayout(viewportW: number, viewportH: number, request: LayoutRequest): Layout {
  const w = Math.max(1, viewportW);
  const h = Math.max(1, viewportH);
  const mode: LayoutMode = request === 'auto' ? (w / h >= WALL_ASPECT ? 'wall' : 'fit') : request;
  if (mode === 'fit') {
    const u = Math.min(w / DESIGN_W, h / DESIGN_H);
    // Whole CSS pixels for the box avoid a hairline of background at the edges.
    const width = Math.floor(DESIGN_W * u);
    const height = Math.floor(DESIGN_H * u);
    return { mode, u, left: Math.floor((w - width) / 2), top: Math.floor((h - height) / 2), width, height, sideColumns: 1 };
  }
  // wall and stretch fill the viewport; the extra width goes to the map (and, on a wall, to a
  // second column of panels on each side).
  const u = mode === 'wall' ? h / DESIGN_H : Math.min(w / DESIGN_W, h / DESIGN_H);
  const designWidth = w / u;
  return { mode, u, left: 0, top: 0, width: w, height: h, sideColumns: mode === 'wall' && designWidth >= 3000 ? 2 : 1 };
}
