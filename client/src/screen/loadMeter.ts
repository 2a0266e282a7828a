// How busy the page's main thread has been lately (share of time in long tasks, from the Long
// Tasks API). The map uses it to redraw less often on a wall PC that cannot keep up — a weak GPU
// or software rendering — instead of freezing the whole screen.
const WINDOW_MS = 5_000;

export interface LoadMeter {
  /** Share (0..1) of the last few seconds spent in tasks longer than 50 ms. */
  busyShare(): number;
  stop(): void;
}

export function startLoadMeter(now: () => number = () => performance.now()): LoadMeter {
  const tasks: Array<{ end: number; duration: number }> = [];
  let observer: PerformanceObserver | undefined;
  try {
    observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push({ end: e.startTime + e.duration, duration: e.duration });
    });
    observer.observe({ type: 'longtask', buffered: false });
  } catch {
    // no Long Tasks API (not Chromium): assume an idle thread
  }
  return {
    busyShare() {
      const from = now() - WINDOW_MS;
      while (tasks.length && tasks[0]!.end < from) tasks.shift();
      return Math.min(1, tasks.reduce((s, t) => s + t.duration, 0) / WINDOW_MS);
    },
    stop: () => observer?.disconnect(),
  };
}

/** Map point updates: twice a second on a healthy wall, down to one per 5 s on a saturated one. */
export const pointIntervalMs = (busyShare: number): number => Math.min(5_000, 500 + Math.round(busyShare * 10_000));
