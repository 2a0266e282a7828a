// The whole screen as one PNG through modern-screenshot: the DOM cloned with its computed styles
// into an SVG foreignObject and drawn on a canvas of the screen's size. Canvases come in as their
// pixels (the map's captured right after a repaint: captures.ts); fonts are the system's CJK fonts
// (no @font-face), so nothing is fetched. The export's own control is left out of the picture.
import { domToBlob } from 'modern-screenshot';
import { withCaptures } from './captures';

/** An element with this attribute (the export button, with its "导出中…") is not in the image. */
export const NO_EXPORT = 'data-no-export';

function keep(node: Node): boolean {
  if (!(node instanceof Element)) return true;
  if (node.hasAttribute(NO_EXPORT)) return false;
  // The clone does not carry which option a select has chosen: keep only the chosen one, which a
  // closed select shows.
  if (node instanceof HTMLOptionElement) return node.selected;
  return true;
}

/** The element (the screen box) as a PNG of its size in CSS px × `scale`. */
export async function snapshotPng(root: HTMLElement, scale = 1): Promise<Blob> {
  const rect = root.getBoundingClientRect();
  return withCaptures(root, () => domToBlob(root, {
    width: Math.round(rect.width),
    height: Math.round(rect.height),
    scale,
    backgroundColor: getComputedStyle(document.body).backgroundColor || '#020b18',
    filter: keep,
    font: false, // system fonts only: nothing to embed
  }));
}

/** Saves a blob under a file name (an <a download>). */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000); // once the browser has taken the file
}

/** 城运一屏-新泾镇-20261122-1432.png */
export function pngName(town: string, nowMs: number, app: string): string {
  const s = new Date(nowMs + 8 * 3_600_000).toISOString();
  return `${app}-${town}-${s.slice(0, 10).replace(/-/g, '')}-${s.slice(11, 16).replace(':', '')}.png`;
}
