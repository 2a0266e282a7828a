// /docs in a real browser: Swagger UI draws every operation of /openapi.json from this server's own
// files (and under its Content-Security-Policy), and nothing is asked of any other origin.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { launchBrowser, recordRequests } from '../support/browser';
import type { OpenApiDoc } from '../support/openapi';
import { startServer } from '../support/server';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
type Dom = { document: { querySelectorAll(selector: string): { length: number } } };

it('draws every documented operation of /openapi.json, with no request outside the server', async () => {
  const s = await startServer();
  const browser = await launchBrowser();
  try {
    const doc = (await (await fetch(`${s.url}/openapi.json`)).json()) as OpenApiDoc;
    const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const urls = recordRequests(page);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    await page.goto(`${s.url}/docs`);
    await page.waitForFunction((n) => (globalThis as unknown as Dom).document.querySelectorAll('.opblock').length === n, operations, { timeout: 30_000 });
    // The ingest operation opens with its request body and its answers.
    await page.click('#operations-ingest-post_api_v1_events .opblock-summary');
    await page.waitForSelector('#operations-ingest-post_api_v1_events .responses-table');
    expect(await page.locator('#operations-ingest-post_api_v1_events .response-col_status').allInnerTexts()).toEqual(
      expect.arrayContaining(['200', '400', '401', '413', '415', '503']),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'docs.png'), fullPage: false });

    expect(operations).toBeGreaterThan(10);
    expect(urls).toContain(`${s.url}/docs/json`);
    expect(urls.filter((u) => !u.startsWith('data:') && new URL(u).origin !== s.url)).toEqual([]);
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
    await s.stop();
  }
});
