// The search limit's counters in Redis when REDIS_URL is set, so a screen token has its searches a
// minute across the whole cluster rather than on each node behind the load balancer (docs/privacy.md,
// "Search"). A fixed window per token, as @fastify/rate-limit's own stores count: INCR, and PEXPIRE on
// the window's first search, in one script. While Redis cannot be reached, each node counts on its own
// (as a node without Redis does): search stays both limited and available.
import { createClient } from 'redis';

type Count = { current: number; ttl: number };
type Callback = (err: Error | null, count?: Count) => void;

const WINDOW = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;

/** A Redis answer slower than this counts as Redis being away (the search is counted here instead). */
const ANSWER_MS = 500;
const RETRY_MAX_MS = 2_000;
const PREFIX = 'onescreen:search-limit:';

/** Counters of this node alone: a fixed window per key, at most `maxKeys` keys (the least recently used dropped). */
export function localCounters(maxKeys = 5_000) {
  const windows = new Map<string, { n: number; endsAt: number }>();
  return (key: string, windowMs: number, now = Date.now()): Count => {
    let w = windows.get(key);
    windows.delete(key); // set again below: the map keeps keys by last use
    if (!w || w.endsAt <= now) w = { n: 0, endsAt: now + windowMs };
    w.n += 1;
    windows.set(key, w);
    if (windows.size > maxKeys) windows.delete(windows.keys().next().value!);
    return { current: w.n, ttl: w.endsAt - now };
  };
}

/** A store class for @fastify/rate-limit's `store` option, on its own Redis connection. */
export function redisLimitStore(url: string) {
  // Commands fail at once while disconnected instead of queueing behind the reconnection. Not awaited:
  // an unreachable REDIS_URL is a start-up error named by the adapter's check (redisAdapter.ts), and
  // until this connection is up searches are counted here.
  const client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 3_000, reconnectStrategy: (n) => Math.min(100 * 2 ** n, RETRY_MAX_MS) } });
  client.on('error', () => undefined); // outages are reported by the adapter's connection
  client.connect().catch(() => undefined);
  const local = localCounters();

  async function count(key: string, windowMs: number): Promise<Count> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('Redis answered too late')), ANSWER_MS)));
    try {
      const [current, ttl] = (await Promise.race([client.eval(WINDOW, { keys: [key], arguments: [String(windowMs)] }), late])) as [number, number];
      return { current, ttl: Math.max(0, ttl) };
    } catch {
      return local(key, windowMs);
    } finally {
      clearTimeout(timer);
    }
  }

  class RedisLimitStore {
    private readonly prefix: string;
    /** @fastify/rate-limit constructs the store with its options; a route's child with its own prefix. */
    constructor(prefix: unknown) {
      this.prefix = typeof prefix === 'string' ? prefix : PREFIX;
    }
    incr(key: string, done: Callback, timeWindow: number) {
      void count(this.prefix + key, timeWindow).then((c) => done(null, c));
    }
    /** A route's counters (the plugin passes the route as `routeInfo` of the route's limit options). */
    child(options: object) {
      const route = (options as { routeInfo?: { method?: unknown; url?: string } }).routeInfo;
      return new RedisLimitStore(`${this.prefix}${String(route?.method ?? '')}${route?.url ?? ''}:`);
    }
  }

  return {
    Store: RedisLimitStore,
    /** Ends the connection, or its attempts to connect. */
    close() {
      try {
        client.destroy();
      } catch {
        // closed already
      }
    },
  };
}
