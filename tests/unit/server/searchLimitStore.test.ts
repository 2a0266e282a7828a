// The search limit's per-node counters (used without Redis reachable): a fixed window per key, and a
// bounded number of keys, the least recently used dropped first.
import { describe, expect, it } from 'vitest';
import { localCounters } from '../../../server/src/http/searchLimitStore';

describe('local search-limit counters', () => {
  it('count within a window and start again after it', () => {
    const count = localCounters();
    expect(count('t', 60_000, 1_000)).toEqual({ current: 1, ttl: 60_000 });
    expect(count('t', 60_000, 31_000)).toEqual({ current: 2, ttl: 30_000 });
    expect(count('u', 60_000, 31_000)).toEqual({ current: 1, ttl: 60_000 });
    expect(count('t', 60_000, 61_000)).toEqual({ current: 1, ttl: 60_000 });
  });

  it('keep at most maxKeys keys, dropping the least recently used', () => {
    const count = localCounters(2);
    count('a', 60_000, 0);
    count('a', 60_000, 0);
    count('b', 60_000, 0);
    count('a', 60_000, 0); // a used last: b is the oldest
    count('c', 60_000, 0); // b dropped
    expect(count('a', 60_000, 0).current).toBe(4);
    expect(count('b', 60_000, 0).current).toBe(1); // counted again from 1; c dropped in turn
    expect(count('c', 60_000, 0).current).toBe(1);
  });
});
