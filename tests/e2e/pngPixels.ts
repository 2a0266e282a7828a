// Pixel statistics of PNGs (an exported screen, a browser screenshot), decoded by the page itself so
// the tests need no image library: per box, how far two images differ, how much of each is magenta
// (the colour a test paints a control it expects to be absent) and how much "ink" differs from the
// box's corner (text or lines drawn on a plain background).
import type { Page } from 'playwright-core';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BoxStats {
  /** mean absolute difference of a and b per channel (0–255); 0 without b */
  diff: number;
  magentaA: number;
  magentaB: number;
  /** pixels of a far from the box's top-left pixel */
  inkA: number;
  inkB: number;
}

const STATS = `async ({ a, b, boxes }) => {
  const decode = async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(img, 0, 0);
    return ctx;
  };
  const ca = await decode(a);
  const cb = b ? await decode(b) : null;
  const magenta = (d, i) => d[i] > 200 && d[i + 1] < 80 && d[i + 2] > 200;
  const far = (d, i) => Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 150;
  return boxes.map((box) => {
    const [x, y, w, h] = [box.x, box.y, box.width, box.height].map(Math.round);
    const da = ca.getImageData(x, y, w, h).data;
    const db = cb ? cb.getImageData(x, y, w, h).data : null;
    const s = { diff: 0, magentaA: 0, magentaB: 0, inkA: 0, inkB: 0 };
    for (let i = 0; i < da.length; i += 4) {
      if (magenta(da, i)) s.magentaA++;
      if (far(da, i)) s.inkA++;
      if (!db) continue;
      if (magenta(db, i)) s.magentaB++;
      if (far(db, i)) s.inkB++;
      s.diff += Math.abs(da[i] - db[i]) + Math.abs(da[i + 1] - db[i + 1]) + Math.abs(da[i + 2] - db[i + 2]);
    }
    s.diff /= (da.length / 4) * 3;
    return s;
  });
}`;

/** Statistics of each box (in the images' pixels) of PNG `a`, compared with PNG `b` when given (same size). */
export function pngStats(page: Page, a: Buffer, b: Buffer | null, boxes: Box[]): Promise<BoxStats[]> {
  const arg = { a: a.toString('base64'), b: b?.toString('base64') ?? null, boxes };
  return page.evaluate(`(${STATS})(${JSON.stringify(arg)})`) as Promise<BoxStats[]>;
}
