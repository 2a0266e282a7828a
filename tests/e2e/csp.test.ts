// The screen works under its own Content-Security-Policy: every violation the page reports is
// collected while it loads, draws the map and charts, shows a tooltip, opens an entity and exports.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureClientBuilt, launchBrowser, waitForLiveScreen, type HookGlobal } from '../support/browser';
import { killHard, spawnServer } from '../support/child';
import { eventAt, fetchGeo, placesOf, post } from './townEvents';

type Server = Awaited<ReturnType<typeof spawnServer>>;
let server: Server;
let dataDir: string;
let browser: Browser;

beforeAll(async () => {
  ensureClientBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'onescreen-csp-'));
  server = await spawnServer({ DATA_DIR: dataDir, HEARTBEAT_MS: '1000' });
  const places = placesOf(await fetchGeo(server.url));
  await post(server.url, [
    ...Array.from({ length: 12 }, (_, i) => eventAt(places[i % places.length]!)),
    ...Array.from({ length: 4 }, (_, i) => eventAt(places[i]!, 'ticket')),
    eventAt(places[2]!, 'case', 20_000, { urgent: true, category: 'safety', subcategory: '消防通道堵塞' }),
  ]);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  if (server) await killHard(server.child);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Content-Security-Policy', () => {
  it('is strict, and the screen reports no violation while it is used', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.addInitScript(() => {
      const g = globalThis as unknown as { __csp: string[]; document: { addEventListener(n: string, f: (e: { violatedDirective: string; blockedURI: string; sourceFile: string; lineNumber: number; columnNumber: number }) => void): void } };
      g.__csp = [];
      g.document.addEventListener('securitypolicyviolation', (e) => g.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));
    });
    const console: string[] = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) console.push(m.text());
    });
    const res = await page.goto(`${server.url}/`);
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    await waitForLiveScreen(page);
    await page.waitForTimeout(1_500);
    // a chart tooltip (HTML with style attributes), a topic switch, an entity's detail, the PNG export
    const chart = page.locator('canvas').nth(1);
    const box = await chart.boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(300);
    await page.getByTestId('topic-tabs').locator('button').nth(1).click();
    await page.waitForTimeout(500);
    await page.getByTestId('topic-tabs').locator('button').nth(0).click();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId('export-png').click()]);
    expect(download.suggestedFilename()).toMatch(/\.png$/);
    await page.waitForTimeout(500);
    const violations = (await page.evaluate('globalThis.__csp')) as string[];
    expect({ violations, console }).toEqual({ violations: [], console: [] });
    const live = await page.evaluate(() => (globalThis as HookGlobal).__onescreen!.state().appliedSeq);
    expect(live).toBeGreaterThanOrEqual(17);
    await page.close();
  });
});
