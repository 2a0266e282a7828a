// window.__onescreen: a small read-only view for end-to-end tests and the benchmark (where the
// map projects a place, what seq was applied, how many points are drawn). No secrets in it.
import type { MapHook, OneScreenHook } from './testHookTypes';

declare global {
  interface Window {
    __onescreen?: OneScreenHook;
  }
}

export function setHook(hook: OneScreenHook): void {
  window.__onescreen = hook;
}

export function setMapHook(map: MapHook | undefined): void {
  if (window.__onescreen) window.__onescreen.map = map;
}
