// The search limit holds across the cluster (docs/privacy.md, "Search"): with REDIS_URL, a screen
// token's searches on every node count against the same SEARCH_PER_MINUTE, so a load balancer that
// spreads them does not multiply the limit. While Redis is away each node counts on its own, so search
// stays limited and available; no counter's key in Redis is a token. Two real servers, a private Redis.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_PER_MINUTE } from '../../server/src/http/searchLimit';
import { privateRedis } from '../support/cluster';
import { startServer, waitFor, type TestServer } from '../support/server';

let redis: Awaited<ReturnType<typeof privateRedis>>;
let a: TestServer;
let b: TestServer;

const search = async (s: TestServer, token: string) =>
  (await fetch(`${s.url}/api/v1/search?q=${encodeURIComponent('泉口路')}`, { headers: { authorization: `Bearer ${token}` } })).status;
/** The statuses of `n` searches with `token` on `s`, one after the other. */
async function searches(s: TestServer, token: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await search(s, token));
  return out;
}
const redisKeys = () => execFileSync('redis-cli', ['-p', String(redis.port), '--scan'], { encoding: 'utf8' }).split('\n').filter(Boolean);

beforeAll(async () => {
  redis = await privateRedis();
  a = await startServer({ REDIS_URL: redis.url });
  b = await startServer({ REDIS_URL: redis.url });
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await redis?.stop();
});

describe('search limit on several nodes', () => {
  it("counts a token's searches on every node together, and per token", async () => {
    await waitFor(async () => (await searches(a, 'demo-officer', 1))[0] === 200, 5_000, 'a first search');
    await waitFor(() => redisKeys().some((k) => k.startsWith('onescreen:search-limit:')), 5_000, 'the counter in Redis');
    const onA = await searches(a, 'demo-viewer', 20);
    const onB = await searches(b, 'demo-viewer', SEARCH_PER_MINUTE - 20);
    expect([...onA, ...onB].every((s) => s === 200)).toBe(true);
    // the next one is refused on both nodes: the limit is the cluster's, not each node's
    expect(await search(b, 'demo-viewer')).toBe(429);
    expect(await search(a, 'demo-viewer')).toBe(429);
    // another token still searches
    expect(await search(b, 'demo-officer')).toBe(200);
    // the keys are hashes: no token in Redis
    const keys = redisKeys();
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(keys.filter((k) => k.includes('demo-'))).toEqual([]);
  });

  it('while Redis is away, each node counts alone: search stays limited and available; it counts in Redis again once back', async () => {
    await redis.stop();
    // the officer's token had one search in Redis; each node now starts its own window
    const onA = await searches(a, 'demo-officer', SEARCH_PER_MINUTE + 1);
    expect(onA.slice(0, SEARCH_PER_MINUTE)).toEqual(new Array(SEARCH_PER_MINUTE).fill(200));
    expect(onA.at(-1)).toBe(429);
    expect(await search(b, 'demo-officer')).toBe(200);

    await redis.start();
    await waitFor(async () => (await search(b, 'demo-viewer')) === 200 && redisKeys().length > 0, 10_000, 'counting in Redis again');
  });
});
