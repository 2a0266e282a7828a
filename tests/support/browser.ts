// Debian Chromium driven by playwright-core, for the screen's end-to-end tests and benchmark.
// The flags keep it off the network (no updates, no sync, no QUIC probes) and give it software WebGL.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { OneScreenHook } from '../../client/src/composables/testHookTypes';

/** The page's test hook (tests compile without DOM types, so `window` is reached through globalThis). */
export type HookGlobal = { __onescreen?: OneScreenHook };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
  '--disable-default-apps', '--disable-domain-reliability', '--no-pings', '--disable-features=Translate,OptimizationHints,MediaRouter',
];

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds the client when dist/client is missing or older than client/ or shared/ sources. Test
 * projects run side by side: one build at a time (a directory as the lock), the others wait for it
 * and find it done.
 */
export function ensureClientBuilt(): void {
  const index = join(ROOT, 'dist/client/index.html');
  const built = () => existsSync(index) && statSync(index).mtimeMs >= Math.max(newestMtime(join(ROOT, 'client')), newestMtime(join(ROOT, 'shared/src')));
  if (built()) return;
  const lock = join(ROOT, 'node_modules/.onescreen-build-lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // a lock older than any build is a crashed test's: taken over
      const held = statSync(lock, { throwIfNoEntry: false });
      if ((held && Date.now() - held.mtimeMs > 180_000) || Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!built()) execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Every request the page makes, to assert that none leaves this machine. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

export function isLocal(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:')) return true;
  const { hostname } = new URL(url);
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/** Waits until the screen has applied a sync and drawn the map. */
export async function waitForLiveScreen(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => {
    const h = (globalThis as HookGlobal).__onescreen;
    return !!h && h.state().appliedSeq >= 0 && h.map?.loaded() === true;
  }, undefined, { timeout });
}
