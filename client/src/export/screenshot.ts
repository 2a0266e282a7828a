// The whole screen as one PNG, without a screenshot library: the DOM is cloned with its computed
// styles inlined into an SVG <foreignObject>, every canvas (ECharts, and the map captured right
// after a frame) replaced in the clone by an image of itself, and the SVG drawn onto a canvas of
// the screen's size. No external resource is involved, so the canvas stays exportable.
import { captureCanvas } from './captures';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Properties that would make the snapshot differ from the screen (or move it). */
const SKIP = new Set(['animation', 'transition', 'will-change', 'cursor', 'pointer-events']);

/** Default computed style per tag, from a blank document, so only differences are inlined. */
function defaultsFor(doc: Document, cache: Map<string, Map<string, string>>, tag: string): Map<string, string> {
  let d = cache.get(tag);
  if (d) return d;
  const el = doc.createElement(tag);
  doc.body.appendChild(el);
  const cs = doc.defaultView!.getComputedStyle(el);
  d = new Map();
  for (let i = 0; i < cs.length; i++) d.set(cs[i]!, cs.getPropertyValue(cs[i]!));
  el.remove();
  cache.set(tag, d);
  return d;
}

function inlineStyle(src: Element, dst: HTMLElement | SVGElement, defaults: Map<string, string>): void {
  const cs = getComputedStyle(src);
  const parts: string[] = [];
  for (let i = 0; i < cs.length; i++) {
    const name = cs[i]!;
    if (SKIP.has(name) || name.startsWith('animation-') || name.startsWith('transition-')) continue;
    const v = cs.getPropertyValue(name);
    if (v !== defaults.get(name)) parts.push(`${name}:${v}`);
  }
  dst.setAttribute('style', parts.join(';'));
}

/** A styled copy of `src` (recursively), canvases replaced by images of their pixels. */
async function cloneStyled(src: Element, doc: Document, cache: Map<string, Map<string, string>>): Promise<Node> {
  if (src instanceof HTMLCanvasElement) {
    const img = document.createElement('img');
    inlineStyle(src, img, defaultsFor(doc, cache, 'img'));
    const r = src.getBoundingClientRect();
    img.setAttribute('width', String(r.width));
    img.setAttribute('height', String(r.height));
    const url = await captureCanvas(src);
    if (url) img.setAttribute('src', url);
    return img;
  }
  const dst = src.cloneNode(false) as Element;
  dst.removeAttribute('class');
  dst.removeAttribute('id');
  if (dst instanceof HTMLElement || dst instanceof SVGElement) inlineStyle(src, dst, defaultsFor(doc, cache, src.tagName.toLowerCase()));
  if (src instanceof HTMLInputElement) dst.setAttribute('value', src.value);
  if (src instanceof HTMLSelectElement) {
    // a closed select draws its chosen option's text: keep only that one
    const opt = document.createElement('option');
    opt.textContent = src.selectedOptions[0]?.textContent ?? '';
    opt.setAttribute('selected', '');
    dst.appendChild(opt);
    return dst;
  }
  for (const child of Array.from(src.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) dst.appendChild(child.cloneNode());
    else if (child instanceof Element && !(child instanceof HTMLScriptElement) && getComputedStyle(child).display !== 'none') dst.appendChild(await cloneStyled(child, doc, cache));
  }
  return dst;
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('the screen snapshot could not be rendered'));
    img.src = url;
  });
}

/** The element (the screen box) as a PNG of its size in CSS px × `scale`. */
export async function snapshotPng(root: HTMLElement, scale = 1): Promise<Blob> {
  const rect = root.getBoundingClientRect();
  const width = Math.round(rect.width);
  const height = Math.round(rect.height);
  const frame = document.createElement('iframe');
  frame.style.cssText = 'position:absolute;width:0;height:0;border:0;visibility:hidden';
  document.body.appendChild(frame);
  try {
    const doc = frame.contentDocument!;
    const clone = (await cloneStyled(root, doc, new Map())) as HTMLElement;
    // the screen box sits at the snapshot's origin
    clone.style.left = '0px';
    clone.style.top = '0px';
    clone.style.position = 'relative';
    clone.setAttribute('xmlns', 'http://www.w3.org/1999/xhtml');
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('xmlns', SVG_NS);
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    const fo = document.createElementNS(SVG_NS, 'foreignObject');
    fo.setAttribute('width', '100%');
    fo.setAttribute('height', '100%');
    fo.appendChild(clone);
    svg.appendChild(fo);
    const markup = new XMLSerializer().serializeToString(svg);
    const img = await loadImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`);
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = getComputedStyle(document.body).backgroundColor || '#020b18';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    frame.remove();
  }
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
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** 城运一屏-新泾镇-20261122-1432.png */
export function pngName(town: string, nowMs: number, app: string): string {
  const s = new Date(nowMs + 8 * 3_600_000).toISOString();
  return `${app}-${town}-${s.slice(0, 10).replace(/-/g, '')}-${s.slice(11, 16).replace(':', '')}.png`;
}
