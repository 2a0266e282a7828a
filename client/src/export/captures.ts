// Canvases that cannot simply be read (the map's WebGL canvas) register how to capture them, so
// the screen export can draw them; other canvases (ECharts) are read directly.
const captures = new WeakMap<HTMLCanvasElement, () => Promise<string>>();

export function registerCapture(canvas: HTMLCanvasElement, capture: () => Promise<string>): () => void {
  captures.set(canvas, capture);
  return () => captures.delete(canvas);
}

/** A PNG data URL of a canvas on screen. */
export async function captureCanvas(canvas: HTMLCanvasElement): Promise<string> {
  const custom = captures.get(canvas);
  if (custom) return custom();
  try {
    return canvas.toDataURL('image/png');
  } catch {
    return ''; // a tainted canvas: left out of the image rather than failing the export
  }
}
