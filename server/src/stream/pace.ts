// The pace of live batches: one per batch window on average, as a token bucket holding up to `burst`
// windows' worth. A commit that arrives a little early (commits jitter around the rate they are
// posted at) goes out at once on the credit a late one left, instead of waiting for the window's end;
// a sustained stream of commits still gets one batch per window (docs/architecture.md, "Delivery").

export interface Pace {
  /** How long to wait (ms) before the next batch may go; 0: now. */
  wait(now: number): number;
  /** A batch went out at `now`. */
  spend(now: number): void;
}

export function createPace(windowMs: number, burst = 2): Pace {
  let tokens = burst;
  let at = -Infinity;
  const refill = (now: number) => {
    tokens = Math.min(burst, tokens + (now - at) / windowMs);
    at = now;
  };
  return {
    wait(now) {
      refill(now);
      return tokens >= 1 ? 0 : (1 - tokens) * windowMs;
    },
    spend(now) {
      refill(now);
      tokens = Math.max(0, tokens - 1);
    },
  };
}
