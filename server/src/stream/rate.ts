// Token buckets for what one screen may ask of the server: resyncs per socket, connections per token
// (docs/architecture.md, "Bounded cost per connection"). Keys are sockets or configured tokens only,
// so the map is bounded by what the server itself knows.

export interface Rate {
  /** requests allowed at once */
  burst: number;
  /** then one more every `everyMs` */
  everyMs: number;
}

export function tokenBuckets<K>(rate: Rate, now: () => number = () => performance.now()) {
  const buckets = new Map<K, { tokens: number; at: number }>();
  return {
    /** Takes one request's token: 0 when allowed, else how many ms until the next one is. */
    take(key: K): number {
      const t = now();
      const b = buckets.get(key) ?? { tokens: rate.burst, at: t };
      b.tokens = Math.min(rate.burst, b.tokens + (t - b.at) / rate.everyMs);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - b.tokens) * rate.everyMs);
    },
    forget(key: K) {
      buckets.delete(key);
    },
  };
}
