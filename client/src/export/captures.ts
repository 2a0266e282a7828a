// Canvases the screenshot library cannot read by itself register a capture: the map's WebGL canvas
// keeps no drawing buffer between frames (no preserveDrawingBuffer, which would cost every frame),
// so it is read right after a repaint. ECharts' 2D canvases are read as they are.
const captures = new WeakMap<HTMLCanvasElement, () => Promise<string>>();

export function registerCapture(canvas: HTMLCanvasElement, capture: () => Promise<string>): () => void {
  captures.set(canvas, capture);
  return () => captures.delete(canvas);
}

/**
 * Runs `render` while every registered canvas inside `root` answers toDataURL() — how
 * modern-screenshot reads a canvas — with a fresh capture of itself. A canvas whose capture fails
 * (a tainted one) is left blank in the image rather than failing the export.
 */
export async function withCaptures<T>(root: Element, render: () => Promise<T>): Promise<T> {
  const held: HTMLCanvasElement[] = [];
  try {
    for (const canvas of root.querySelectorAll('canvas')) {
      const capture = captures.get(canvas);
      if (!capture) continue;
      const url = await capture().catch(() => null);
      if (url === null) continue;
      canvas.toDataURL = () => url; // an own property over the prototype's, for this export only
      held.push(canvas);
    }
    return await render();
  } finally {
    for (const canvas of held) Reflect.deleteProperty(canvas, 'toDataURL');
  }
}
