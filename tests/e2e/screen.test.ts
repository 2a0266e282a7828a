// The wall screen in a real browser (Debian Chromium) against the real server as a child process.
// Events are posted through the ingest API, so every figure on screen comes from the live stream.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TownGeo } from '#shared/geo';
import { ensureClientBuilt, isLocal, launchBrowser, recordRequests, waitForLiveScreen, type HookGlobal } from '../support/browser';
import { killHard, spawnServer } from '../support/child';
import { eventAt, fetchGeo, placesOf, post, type Place } from './townEvents';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const HEARTBEAT_MS = 1_000;

type Server = Awaited<ReturnType<typeof spawnServer>>;
let server: Server;
let dataDir: string;
let browser: Browser;
let geo: TownGeo;
let places: Place[];

const hook = <T>(page: Page, fn: (h: NonNullable<HookGlobal['__onescreen']>) => T): Promise<T> =>
  page.evaluate(`(${fn.toString()})(globalThis.__onescreen)`) as Promise<T>;
const kpiValue = async (page: Page, id: string) => (await page.getByTestId(`kpi-${id}`).locator('[data-role=value]').textContent())?.trim();

const pages: Page[] = [];
async function openScreen(width: number, height: number, query = '') {
  const page = await browser.newPage({ viewport: { width, height } });
  pages.push(page);
  const requests = recordRequests(page);
  await page.goto(`${server.url}/${query}`);
  await waitForLiveScreen(page);
  return { page, requests };
}

beforeAll(async () => {
  ensureClientBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'onescreen-e2e-'));
  server = await spawnServer({ DATA_DIR: dataDir, HEARTBEAT_MS: String(HEARTBEAT_MS) });
  geo = await fetchGeo(server.url);
  places = placesOf(geo);
  // 新泾片区 (A2) gets the most cases, so it tops the area ranking.
  const a2 = places.filter((p) => p.areaId === 'A2');
  const others = places.filter((p) => p.areaId !== 'A2');
  await post(server.url, [
    ...Array.from({ length: 16 }, (_, i) => eventAt(a2[i % a2.length]!)),
    ...Array.from({ length: 14 }, (_, i) => eventAt(others[i % others.length]!)),
    ...Array.from({ length: 6 }, (_, i) => eventAt(places[i]!, 'ticket')),
    eventAt(places[3]!, 'case', 30_000, { urgent: true, category: 'safety', subcategory: '消防通道堵塞' }), // the latest: on top of the feed
  ]);
  browser = await launchBrowser();
});

// Pages left open by a failed test would slow every later one (software WebGL).
afterEach(async () => {
  for (const p of pages.splice(0)) await p.close().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  if (server) await killHard(server.child);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the wall screen', () => {
  it('opens in demo mode with no request leaving localhost, and draws the live stream as it changes', async () => {
    const { page, requests } = await openScreen(1920, 1080, '?token=demo-viewer&rotate=0');
    expect(new URL(page.url()).searchParams.has('token')).toBe(false); // kept out of the address bar

    await expect.poll(() => kpiValue(page, 'cases')).toBe('31');
    expect(await kpiValue(page, 'tickets')).toBe('6');
    await expect.poll(() => hook(page, (h) => h.map!.renderedPoints()), { timeout: 15_000 }).toBeGreaterThanOrEqual(30);
    await expect(page.getByTestId('event-item').first().isVisible()).resolves.toBe(true);
    expect(await page.getByTestId('event-feed').locator('.badge.red').count()).toBeGreaterThan(0); // the urgent one

    // More events arrive: the numbers, the feed and the map follow without a reload.
    await post(server.url, Array.from({ length: 4 }, (_, i) => eventAt(places[10 + i]!, 'case', 30_000, { subcategory: '暴露垃圾', category: 'environment' })));
    await expect.poll(() => kpiValue(page, 'cases')).toBe('35');
    await expect.poll(() => page.getByTestId('event-item').first().textContent()).toContain('暴露垃圾');
    await expect.poll(() => hook(page, (h) => h.map!.pointCount())).toBe(41); // 31 cases + 6 tickets + 4 new cases
    expect(await page.getByTestId('connection-status').getAttribute('data-status')).toBe('live');
    await expect.poll(() => page.getByTestId('connection-status').textContent()).toMatch(/最后更新 \d\d:\d\d:\d\d/);

    // Charts draw real data: the source mix tooltip names a source with its count.
    const donut = await page.getByTestId('chart-source-mix').boundingBox();
    await page.mouse.move(donut!.x + donut!.width * 0.3, donut!.y + donut!.height * 0.52 - donut!.height * 0.3);
    await expect.poll(() => page.getByTestId('chart-source-mix').textContent()).toMatch(/网格员巡查\s*35/);

    const outside = requests.filter((u) => !isLocal(u));
    expect(outside).toEqual([]);
    expect(requests.length).toBeGreaterThan(3);
    await page.close();
  });

  it.each([
    [1366, 768],
    [1920, 1080],
    [3840, 2160],
    [5760, 1080],
  ])('fits %i×%i with no scrollbars and real-size text', async (width, height) => {
    const { page } = await openScreen(width, height, '?rotate=0');
    await page.waitForTimeout(1_500); // let charts animate in before the screenshot
    const size = (await page.evaluate('[document.documentElement.scrollWidth, document.documentElement.scrollHeight]')) as [number, number];
    expect(size[0]).toBeLessThanOrEqual(width);
    expect(size[1]).toBeLessThanOrEqual(height);
    const state = await hook(page, (h) => h.state());
    expect(state.layout.width).toBeLessThanOrEqual(width);
    expect(state.layout.height).toBeLessThanOrEqual(height);
    for (const id of ['map', 'event-feed', 'kpi-satisfaction', 'panel-trend', 'topic-tabs', 'connection-status']) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, id).toBeLessThanOrEqual(width + 0.5);
      expect(box!.y + box!.height, id).toBeLessThanOrEqual(height + 0.5);
    }
    // Sharp at any size: text is laid out at its real pixel size and charts draw at their real size.
    const fontPx = Number.parseFloat(String(await page.evaluate('getComputedStyle(document.querySelector(\'[data-testid=kpi-cases] [data-role=value]\')).fontSize')));
    expect(fontPx).toBeCloseTo(34 * state.layout.u, 0);
    const canvas = page.getByTestId('chart-trend').locator('canvas').first();
    const css = await canvas.boundingBox();
    expect(Number(await canvas.getAttribute('width'))).toBeCloseTo(css!.width, -1);
    await page.screenshot({ path: join(ARTIFACTS, `screen-${width}x${height}.png`) });
    await page.close();
  });

  it('selects the 片区, then the 居民区, clicked on the map at a non-1 scale; charts hit-test there too', async () => {
    const { page } = await openScreen(1366, 768, '?rotate=0');
    const u = (await hook(page, (h) => h.state())).layout.u;
    expect(u).toBeLessThan(0.75);
    const selection = page.getByTestId('selection');

    // The area ranking: the top bar is 新泾片区; hovering shows its tooltip, a click drills into it.
    const chart = page.getByTestId('chart-area-ranking');
    const box = (await chart.boundingBox())!;
    const firstBarY = box.y + 6 * u + ((box.height - 10 * u) / 4) * 0.5;
    await page.mouse.move(box.x + box.width * 0.6, firstBarY);
    await expect.poll(() => chart.textContent()).toMatch(/新泾片区\s*\d+/);
    await page.mouse.click(box.x + box.width * 0.6, firstBarY);
    await expect.poll(() => selection.getAttribute('data-id')).toBe('A2');

    await selection.getByRole('button', { name: '新泾镇' }).click();
    await expect.poll(() => selection.getAttribute('data-level')).toBe('town');
    await expect.poll(() => hook(page, (h) => h.map!.moving())).toBe(false);

    // Inside 淞五 but away from its centre, where the events sit: a click on a point opens its detail instead.
    const n01 = places.find((p) => p.nb === 'N01')!;
    const corner = geo.neighbourhoods.features.find((f) => f.properties.id === 'N01')!.geometry.coordinates[0]![0]!;
    const ground = { lng: n01.lng + 0.45 * (corner[0] - n01.lng), lat: n01.lat + 0.45 * (corner[1] - n01.lat) };
    const clickN01 = async () => {
      const at = await page.evaluate(`globalThis.__onescreen.map.project(${ground.lng}, ${ground.lat})`) as { x: number; y: number };
      await page.mouse.click(at.x, at.y);
    };
    await clickN01();
    await expect.poll(() => selection.getAttribute('data-id')).toBe('A1');
    await expect.poll(() => hook(page, (h) => h.map!.moving()), { timeout: 5_000 }).toBe(false);
    await clickN01();
    await expect.poll(() => selection.getAttribute('data-id')).toBe('N01');
    expect(await selection.getAttribute('data-name')).toBe('淞五');
    await page.screenshot({ path: join(ARTIFACTS, 'screen-1366x768-drilldown.png') });
    await page.close();
  });

  it('rotates topics on its interval, and a click pins one', async () => {
    const { page } = await openScreen(1920, 1080, '?rotate=2&lang=en');
    const tabs = page.getByTestId('topic-tabs');
    await expect.poll(() => tabs.locator('.active').getAttribute('data-topic'), { timeout: 8_000 }).toBe('cases');
    expect(await page.getByTestId('panel-feed').textContent()).toContain('Live events');
    await tabs.locator('[data-topic=hotline]').click();
    await page.waitForTimeout(4_500);
    expect(await tabs.locator('.active').getAttribute('data-topic')).toBe('hotline');
    expect(await tabs.locator('.active').textContent()).toContain('Pinned');
    await expect.poll(() => page.getByTestId('panel-satisfaction').isVisible()).toBe(true);
    await page.close();
  });

  it('recovers the map after the WebGL context is lost, and rebuilds it when the context never comes back', async () => {
    const { page } = await openScreen(1366, 768, '?rotate=0');
    await expect.poll(() => hook(page, (h) => h.map!.renderedPoints()), { timeout: 15_000 }).toBeGreaterThan(0);
    const restoring = page.getByText('地图恢复中…');

    await hook(page, (h) => h.map!.loseContext(500));
    await restoring.waitFor({ state: 'visible', timeout: 5_000 });
    await restoring.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await hook(page, (h) => h.map!.recreated())).toBe(0); // restored in place

    await hook(page, (h) => h.map!.loseContext(-1)); // never restored
    await restoring.waitFor({ state: 'visible', timeout: 5_000 });
    await expect.poll(() => hook(page, (h) => h.map?.recreated() ?? -1), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => hook(page, (h) => h.map!.loaded()), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => hook(page, (h) => h.map!.renderedPoints()), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await restoring.count()).toBe(0);
  });
});

describe('the wall screen with real tokens', () => {
  it('asks for a token, opens with ?token=, keeps it out of the address bar and across reloads, and says when it is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onescreen-e2e-token-'));
    const secured = await spawnServer({ DATA_DIR: dir, INGEST_KEYS: 'e2e:e2e-ingest-key-0001', VIEWER_TOKENS: 'wall-token-0001' });
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      pages.push(page);
      await page.goto(`${secured.url}/`);
      await page.getByText('需要访问令牌').waitFor({ timeout: 15_000 });

      await page.goto(`${secured.url}/?token=wall-token-0001&rotate=0`);
      await waitForLiveScreen(page);
      expect(page.url()).toBe(`${secured.url}/?rotate=0`);
      await page.reload();
      await waitForLiveScreen(page); // the token lives in this tab's sessionStorage

      const other = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      pages.push(other);
      await other.goto(`${secured.url}/?token=not-a-token`);
      await other.getByTestId('stale-banner').getByText('访问令牌无效或已过期').waitFor({ timeout: 15_000 });
      expect(await other.getByTestId('connection-status').getAttribute('data-status')).toBe('error');
    } finally {
      await killHard(secured.child);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the wall screen across a server crash', () => {
  it('shows the stale banner within two heartbeats of a kill -9 and recovers without a reload', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onescreen-e2e-crash-'));
    let first: Server | undefined = await spawnServer({ DATA_DIR: dir, HEARTBEAT_MS: String(HEARTBEAT_MS) });
    let second: Server | undefined;
    const townPlaces = placesOf(await fetchGeo(first.url));
    try {
      await post(first.url, Array.from({ length: 5 }, (_, i) => eventAt(townPlaces[i]!)));
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      pages.push(page);
      await page.goto(`${first.url}/?rotate=0`);
      await waitForLiveScreen(page);
      await expect.poll(() => kpiValue(page, 'cases')).toBe('5');
      await page.evaluate('globalThis.__marker = "no reload"');
      const banner = page.getByTestId('stale-banner');
      expect(await banner.count()).toBe(0);

      const port = new URL(first.url).port;
      await killHard(first.child);
      first = undefined;
      const killedAt = Date.now();
      await banner.waitFor({ state: 'visible', timeout: 2 * HEARTBEAT_MS + 2_000 });
      expect(Date.now() - killedAt).toBeLessThan(2 * HEARTBEAT_MS + 1_500);
      expect(await banner.textContent()).toMatch(/数据中断 · 最后更新 \d\d:\d\d:\d\d/);
      expect(['stale', 'reconnecting']).toContain(await page.getByTestId('connection-status').getAttribute('data-status'));
      await page.screenshot({ path: join(ARTIFACTS, 'screen-stale-banner.png') });

      second = await spawnServer({ DATA_DIR: dir, HEARTBEAT_MS: String(HEARTBEAT_MS), PORT: port });
      await banner.waitFor({ state: 'detached', timeout: 15_000 });
      await post(second.url, Array.from({ length: 3 }, (_, i) => eventAt(townPlaces[i + 5]!)));
      await expect.poll(() => kpiValue(page, 'cases'), { timeout: 10_000 }).toBe('8');
      expect(await page.evaluate('globalThis.__marker')).toBe('no reload');
      expect(await page.getByTestId('connection-status').getAttribute('data-status')).toBe('live');
      await page.close();
    } finally {
      if (first) await killHard(first.child);
      if (second) await killHard(second.child);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
