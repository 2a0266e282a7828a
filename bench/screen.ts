// The wall screen in headless Chromium against the real server (a child process, simulator off):
// frame time and long tasks under 100 events/s against the same page idle, JS heap after a soak
// against the heap after warm-up, navigation → first live data, and the gzipped initial JS.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import type { IngestEventInput } from '#shared/events';
import { toShanghaiIso } from '#shared/time';
import { ensureClientBuilt, launchBrowser, waitForLiveScreen, type HookGlobal } from '../tests/support/browser';
import { killHard, spawnServer } from '../tests/support/child';
import { eventAt, fetchGeo, placesOf, post, type Place } from '../tests/e2e/townEvents';
import { next } from '../tests/support/events';
import { fmt, median, percentile, type BenchRow, type BenchSection } from './report';

const STREAM_RATE = 100; // events/s
const STREAM_SECONDS = Number(process.env.BENCH_SCREEN_STREAM_S ?? 60);
const IDLE_SECONDS = Number(process.env.BENCH_SCREEN_IDLE_S ?? 30);
const SOAK_EVENTS = Number(process.env.BENCH_SCREEN_SOAK ?? 1_000_000);
const SOAK_BUDGET_MS = Number(process.env.BENCH_SCREEN_SOAK_S ?? 300) * 1_000;
const FIRST_DATA_RUNS = 5;

// Collects rAF intervals and long tasks while `recording` is on; installed before the app loads.
const RECORDER = `
  window.__bench = { recording: false, frames: [], longTasks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (window.__bench.recording) window.__bench.longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: false });
  let last = performance.now();
  const loop = (t) => { if (window.__bench.recording) window.__bench.frames.push(t - last); last = t; requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
`;

interface Recording {
  frames: number[];
  longTasks: number[];
}

async function record(page: Page, run: () => Promise<void>): Promise<Recording> {
  await page.evaluate('window.__bench.frames = []; window.__bench.longTasks = []; window.__bench.recording = true');
  await run();
  return (await page.evaluate('window.__bench.recording = false; ({ frames: window.__bench.frames, longTasks: window.__bench.longTasks })')) as Recording;
}

/**
 * A stream of plausible case events: new cases, and 2,000 events later the same case closed,
 * so the screen holds a steady few thousand open cases while ids never repeat.
 */
class CaseStream {
  private n = 0;
  private readonly opened: IngestEventInput[] = [];
  constructor(private readonly places: Place[], private readonly tag: string) {}

  take(count: number): IngestEventInput[] {
    const out: IngestEventInput[] = [];
    for (let i = 0; i < count; i++) {
      const k = this.n++;
      const place = this.places[k % this.places.length]!;
      if (k % 2 === 1 && this.opened.length > 1_000) {
        const open = this.opened.shift()!;
        const now = Date.now();
        out.push(next(open, 2, now, { status: 'closed', closedAt: toShanghaiIso(now), resolvedLevel: 'grid' }));
      } else {
        const e = eventAt(place, 'case', 5_000, { id: `B${this.tag}-${k}`, urgent: k % 97 === 0 });
        this.opened.push(e);
        out.push(e);
      }
    }
    return out;
  }
}

async function paced(url: string, stream: CaseStream, ratePerS: number, seconds: number): Promise<void> {
  const tickMs = 100;
  const perTick = Math.max(1, Math.round((ratePerS * tickMs) / 1_000));
  const start = Date.now();
  for (let tick = 0; tick < (seconds * 1_000) / tickMs; tick++) {
    await post(url, stream.take(perTick));
    const wait = start + (tick + 1) * tickMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

const hookState = (page: Page) => page.evaluate(() => (globalThis as HookGlobal).__onescreen!.state());

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await new Promise((r) => setTimeout(r, 500));
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return usedSize / 2 ** 20;
}

async function latestSeq(url: string): Promise<number> {
  return ((await (await fetch(`${url}/healthz`)).json()) as { seq: number }).seq;
}

async function caughtUp(page: Page, url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const target = await latestSeq(url);
  while (Date.now() < deadline) {
    if ((await hookState(page)).appliedSeq >= target) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the screen did not catch up to seq ${target}`);
}

function initialJsGzip(): { raw: number; gz: number; files: number; laterGz: number } {
  const dir = join(process.cwd(), 'dist/client');
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const body = readFileSync(join(dir, f));
    raw += body.length;
    gz += gzipSync(body).length;
  }
  // Loaded right after the first paint: the map component (MapLibre) and its worker.
  const later = readdirSync(join(dir, 'assets')).filter((f) => /^(TownMap-.*\.js|maplibre-gl-worker-.*\.mjs)$/.test(f));
  const laterGz = later.reduce((s, f) => s + gzipSync(readFileSync(join(dir, 'assets', f))).length, 0);
  return { raw, gz, files: files.length, laterGz };
}

async function firstLiveData(browser: Browser, url: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < FIRST_DATA_RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } }); // cold cache each time
    const page = await context.newPage();
    await page.goto(`${url}/?rotate=0`);
    await page.waitForFunction(() => (globalThis as HookGlobal).__onescreen?.state().firstSyncAt != null, undefined, { timeout: 30_000 });
    // First live data on screen: the sync applied and the KPI cards rendered from it.
    await page.waitForFunction(() => {
      const d = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document;
      return (d.querySelector('[data-testid=kpi-cases] [data-role=value]')?.textContent ?? '—').trim() !== '—';
    });
    times.push((await hookState(page)).firstSyncAt!);
    await context.close();
  }
  return times;
}

export async function run(): Promise<BenchSection> {
  ensureClientBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'onescreen-bench-screen-'));
  const server = await spawnServer({ DATA_DIR: dir });
  const browser = await launchBrowser();
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  try {
    const places = placesOf(await fetchGeo(server.url));
    const warm = new CaseStream(places, 'w');
    await post(server.url, warm.take(2_000)); // a screen with a morning's worth of data

    // 1. Frame time and long tasks: the same page idle, then under 100 events/s.
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.addInitScript(RECORDER);
    await page.goto(`${server.url}/?rotate=0`);
    await waitForLiveScreen(page);
    await page.waitForTimeout(3_000);
    const idle = await record(page, () => page.waitForTimeout(IDLE_SECONDS * 1_000));
    const busy = await record(page, () => paced(server.url, warm, STREAM_RATE, STREAM_SECONDS));
    // Diagnostic, same page and stream: the map canvas hidden, to separate its raster cost (software
    // WebGL here) from the rest of the screen.
    // (Set through the DOM: the page's Content-Security-Policy refuses an injected <style>.)
    const mapVisibility = (v: string) => page.locator('[data-testid=map]').evaluate((el, value) => void ((el as { style: { visibility: string } }).style.visibility = value), v);
    await mapVisibility('hidden');
    const noMap = await record(page, () => paced(server.url, warm, STREAM_RATE, Math.min(30, STREAM_SECONDS)));
    await mapVisibility('visible');
    // rAF timestamps of a 60 Hz display scatter by a few tenths of a millisecond (the idle page
    // shows it), so "no dropped frame" is checked as p95 within 16.7 ms + 0.5 ms of jitter.
    const JITTER_MS = 0.5;
    const dropped = (r: Recording) => r.frames.filter((d) => d > 25).length / Math.max(1, r.frames.length);
    const f = (r: Recording) => `${fmt(percentile(r.frames, 50))} / ${fmt(percentile(r.frames, 95))} ms, ${fmt(dropped(r) * 100)} % of frames > 25 ms`;
    const p95 = percentile(busy.frames, 95);
    rows.push({
      metric: `frame time p50 / p95, ${STREAM_RATE} events/s for ${STREAM_SECONDS} s (1920×1080)`,
      value: f(busy), baseline: `${f(idle)} idle`, ratio: fmt(p95 / percentile(idle.frames, 95), 2), target: 'p95 ≤ 16.7 ms (+0.5 ms vsync jitter)', met: p95 <= 16.7 + JITTER_MS,
    });
    rows.push({
      metric: 'long tasks > 50 ms while streaming',
      value: `${busy.longTasks.length}${busy.longTasks.length ? ` (max ${fmt(Math.max(...busy.longTasks), 0)} ms)` : ''}`,
      baseline: `${idle.longTasks.length} idle`, target: '0', met: busy.longTasks.length === 0,
    });
    rows.push({
      metric: `diagnostic: frame time p50 / p95 and long tasks, same stream, map canvas hidden`,
      value: `${f(noMap)}; ${noMap.longTasks.length} long tasks`, target: 'p95 ≤ 16.7 ms (+0.5 ms), no long task', met: percentile(noMap.frames, 95) <= 16.7 + JITTER_MS && noMap.longTasks.length === 0,
    });
    notes.push(`Frame time is the interval between requestAnimationFrame callbacks (${busy.frames.length} frames streaming, ${idle.frames.length} idle). Chromium runs headless with software WebGL (SwiftShader) on this machine's CPUs: one map frame costs ~150–300 ms of main-thread time here, so every map redraw is a long task. The screen paces map redraws by how busy the page is (about one per second under this load); with the map canvas hidden the same stream causes no long task.`);

    // 2. Memory: heap after warm-up, then after a soak at full speed.
    await caughtUp(page, server.url);
    const soak = new CaseStream(places, 's');
    await post(server.url, soak.take(20_000));
    await caughtUp(page, server.url);
    await page.waitForTimeout(5_000);
    const heapWarm = await heapMb(page);
    const t0 = Date.now();
    let sent = 0;
    const workers = Array.from({ length: 3 }, async () => {
      while (sent < SOAK_EVENTS && Date.now() - t0 < SOAK_BUDGET_MS) {
        const n = Math.min(1_000, SOAK_EVENTS - sent);
        sent += n;
        const batch = soak.take(n);
        // 503 overloaded: back off and send the same batch again (ingest is idempotent).
        while (await post(server.url, batch).then(() => false, () => true)) await new Promise((r) => setTimeout(r, 200));
      }
    });
    await Promise.all(workers);
    const soakSeconds = (Date.now() - t0) / 1_000;
    await caughtUp(page, server.url, 300_000);
    await page.waitForTimeout(5_000);
    const heapAfter = await heapMb(page);
    const growth = (heapAfter - heapWarm) / heapWarm;
    const state = await hookState(page);
    rows.push({
      metric: `JS heap after ${fmt(sent, 0)} more events (after GC)`,
      value: `${fmt(heapAfter)} MB`, baseline: `${fmt(heapWarm)} MB after warm-up`, ratio: `${growth >= 0 ? '+' : ''}${fmt(growth * 100)} %`,
      target: 'growth < 5 %', met: growth < 0.05,
    });
    notes.push(`Soak: ${fmt(sent, 0)} events posted in ${fmt(soakSeconds, 0)} s (${fmt(sent / soakSeconds, 0)}/s, 1,000 per request, 3 requests in flight)${sent < SOAK_EVENTS ? `; the ${fmt(SOAK_EVENTS, 0)}-event target did not fit the ${SOAK_BUDGET_MS / 1_000} s budget on this machine` : ''}. Afterwards the screen held ${state.entities} entities, ${state.feed} feed items (both bounded).`);
    await page.close();

    // 3. Navigation → first live data, cold cache.
    const firsts = await firstLiveData(browser, server.url);
    rows.push({
      metric: `navigation → first live data applied (median of ${FIRST_DATA_RUNS}, cold cache)`,
      value: `${fmt(median(firsts), 0)} ms`, baseline: `${fmt(Math.min(...firsts), 0)}–${fmt(Math.max(...firsts), 0)} ms range`, target: '≤ 2,000 ms', met: median(firsts) <= 2_000,
    });

    // 4. The initial download.
    const js = initialJsGzip();
    rows.push({
      metric: 'initial JS, gzipped',
      value: `${fmt(js.gz / 1024, 0)} KB`, baseline: `${fmt(js.raw / 1024, 0)} KB raw, ${js.files} file(s)`, target: 'reported', met: null,
    });
    notes.push(`After the first paint the map (MapLibre and its worker) loads another ${fmt(js.laterGz / 1024, 0)} KB gzipped. The initial JS includes about 90 KB gzipped of zod, pulled in through shared/src/summary.ts → events.ts. The server sends files uncompressed today; gzip figures are what a compressing proxy would send.`);
  } finally {
    await browser.close();
    await killHard(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
  return { title: 'Wall screen (headless Chromium)', rows, notes };
}
