// A wall left stale for long reloads itself — but only when the server answers, so a wall never
// swaps a stale screen for the browser's "site can't be reached" page.
import { useIntervalFn } from '@vueuse/core';
import type { StreamStore } from '../stores/stream';

export interface StaleReloadOptions {
  /** How long the data has been without a heartbeat (ms). */
  silentForMs: () => number;
  limitMs: number;
  /** Does the server answer now? */
  probe: () => Promise<boolean>;
  reload: () => void;
  checkEveryMs?: number;
}

/** Starts the watchdog; returns its stop (also stopped with the calling component, if any). */
export function startStaleReload({ silentForMs, limitMs, probe, reload, checkEveryMs = 15_000 }: StaleReloadOptions): () => void {
  let probing = false;
  const { pause, resume } = useIntervalFn(async () => {
    if (probing || silentForMs() < limitMs) return;
    probing = true;
    try {
      if (await probe()) reload();
    } catch {
      // still unreachable: keep the banner up and try again later
    } finally {
      probing = false;
    }
  }, checkEveryMs, { immediate: false });
  resume(); // not `immediate`: that starts only where a DOM exists, and the unit test runs without one
  return pause;
}

export function useStaleReload(stream: StreamStore, staleReloadMin: number): void {
  if (staleReloadMin <= 0) return;
  startStaleReload({
    silentForMs: () => (stream.stale ? stream.beatAgeMs : 0),
    limitMs: staleReloadMin * 60_000,
    probe: async () => (await fetch('/healthz', { cache: 'no-store' })).ok,
    reload: () => location.reload(),
  });
}
