import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStaleReload } from '../../../client/src/composables/useStaleReload';

describe('stale self-reload', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reloads after the limit, only once the server answers again', async () => {
    let silent = 0;
    let up = false;
    const reload = vi.fn();
    const stop = startStaleReload({ silentForMs: () => silent, limitMs: 600_000, probe: async () => up, reload, checkEveryMs: 1_000 });
    silent = 300_000;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(reload).not.toHaveBeenCalled(); // not stale for long enough
    silent = 700_000;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(reload).not.toHaveBeenCalled(); // the server is still down: keep the banner, no error page
    up = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reload).toHaveBeenCalled();
    stop();
  });

  it('survives a probe that throws', async () => {
    const reload = vi.fn();
    const stop = startStaleReload({ silentForMs: () => 1e9, limitMs: 1, probe: () => Promise.reject(new Error('offline')), reload, checkEveryMs: 1_000 });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(reload).not.toHaveBeenCalled();
    stop();
  });
});
