// The duty officer's and the briefing's workflows in a real browser (Debian Chromium) against the
// real server as a child process: event detail with its lifecycle timeline (from the feed and from
// a map point), alarms acknowledged by an officer and gone on every screen, no acknowledge control
// for a viewer, time ranges with 环比, replay of a day, the PNG export and the printable briefing.
// Every event is posted through the ingest API; past days are posted with past occurredAt.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IngestEventInput } from '#shared/events';
import { DAY_MS, shanghaiDate, shanghaiDayStart, toShanghaiIso } from '#shared/time';
import { ensureClientBuilt, launchBrowser, waitForLiveScreen, type HookGlobal } from '../support/browser';
import { killHard, spawnServer } from '../support/child';
import { makeCase, makeTicket, next } from '../support/events';
import { pngStats } from './pngPixels';
import { fetchGeo, placesOf, post, type Place } from './townEvents';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');

type Server = Awaited<ReturnType<typeof spawnServer>>;
let server: Server;
let dataDir: string;
let browser: Browser;
const pages: Page[] = [];

const hook = <T>(page: Page, fn: (h: NonNullable<HookGlobal['__onescreen']>) => T): Promise<T> =>
  page.evaluate(`(${fn.toString()})(globalThis.__onescreen)`) as Promise<T>;
const kpiValue = async (page: Page, id: string) => (await page.getByTestId(`kpi-${id}`).locator('[data-role=value]').textContent())?.trim();

async function openScreen(query = '?rotate=0', width = 1920, height = 1080) {
  const page = await browser.newPage({ viewport: { width, height } });
  pages.push(page);
  await page.goto(`${server.url}/${query}`);
  await waitForLiveScreen(page);
  return page;
}

// What was posted, for the assertions.
const todayStart = shanghaiDayStart(Date.now());
const yesterday = shanghaiDate(todayStart - DAY_MS);
const ids = { timeline: '', urgent1: '', urgent2: '', urgent3: '', lone: '', overdue: '', replay: [] as string[] };
/** New cases before today within the last 7 days. */
let casesEarlier = 0;
let places: Place[] = [];

/** A time today, `agoMin` minutes before now but never before today's 00:00 (a run just after midnight). */
const today = (agoMin: number) => Math.max(Date.now() - agoMin * 60_000, todayStart + 60_000);
let serial = 0;
/** A new case (or ticket) at the centre of a 居民区 at a time. */
function at(place: Place, tMs: number, over: Record<string, unknown> = {}, kind: 'case' | 'ticket' = 'case'): IngestEventInput & { id: string } {
  const base = {
    id: `OFF-${process.pid}-${++serial}`, address: `测试路 ${serial} 号`,
    location: { lng: place.lng, lat: place.lat, gridId: place.grid, neighbourhoodId: place.nb }, ...over,
  };
  return (kind === 'ticket' ? makeTicket(base, tMs) : makeCase(base, tMs)) as IngestEventInput & { id: string };
}
const closed = (e: IngestEventInput, tMs: number) => next(e, 2, tMs, { status: 'closed', closedAt: toShanghaiIso(tMs), resolvedLevel: 'grid' });

beforeAll(async () => {
  ensureClientBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'onescreen-e2e-officer-'));
  server = await spawnServer({ DATA_DIR: dataDir, HEARTBEAT_MS: '1000', ALARM_SCAN_MS: '200' });
  const geo = await fetchGeo(server.url);
  // Places nearest the town's centre first: their points are well inside the map, clear of its overlays.
  const [x0, y0, x1, y1] = geo.town.bbox;
  const off = (p: Place) => Math.hypot(p.lng - (x0 + x1) / 2, p.lat - (y0 + y1) / 2);
  places = placesOf(geo).sort((a, b) => off(a) - off(b));
  const far = places.slice(8);

  // Earlier days first (so today's events lead the feed): a day to replay, closed cases three days
  // ago, and one case from three days ago still open, overdue for two hours (an overdue alarm).
  const past: IngestEventInput[] = [];
  for (let i = 0; i < 8; i++) {
    const t = todayStart - DAY_MS + (2 + 2 * i) * 3_600_000;
    const c = at(far[i]!, t);
    ids.replay.push(c.id);
    past.push(c, closed(c, t + 30 * 60_000));
  }
  for (let i = 0; i < 5; i++) {
    const t = todayStart - 3 * DAY_MS + (9 + i) * 3_600_000;
    const c = at(far[8 + i]!, t);
    past.push(c, closed(c, t + 3_600_000));
  }
  const overdue = at(far[14]!, todayStart - 3 * DAY_MS + 9 * 3_600_000, { category: 'facilities', subcategory: '道路积水', deadline: toShanghaiIso(Date.now() - 2 * 3_600_000) });
  ids.overdue = overdue.id;
  past.push(overdue);
  casesEarlier = 8 + 5 + 1;
  await post(server.url, past);

  // Today: two urgent cases (alarms), a lone case for the map click, tickets, and last the case
  // whose lifecycle the detail shows: reported, dispatched to a department, in handling.
  const u1 = at(places[2]!, today(9), { urgent: true, category: 'safety', subcategory: '消防通道堵塞' });
  const u2 = at(places[3]!, today(8), { urgent: true, category: 'safety', subcategory: '树木倒伏' });
  const lone = at(places[0]!, today(7), { category: 'environment', subcategory: '暴露垃圾' });
  const tickets = [4, 5, 6].map((i) => at(places[i]!, today(6), {}, 'ticket'));
  const t0 = today(5);
  const tl = at(places[1]!, t0, { source: 'smart' });
  Object.assign(ids, { timeline: tl.id, urgent1: u1.id, urgent2: u2.id, lone: lone.id });
  await post(server.url, [u1, u2, lone, ...tickets, tl]);
  await post(server.url, [next(tl, 2, t0 + 60_000, { status: 'dispatched', department: '城管中队' })]);
  await post(server.url, [next(tl, 3, t0 + 120_000, { status: 'handling', department: '城管中队' })]);
  browser = await launchBrowser(['--autoplay-policy=user-gesture-required']);
});

afterEach(async () => {
  for (const p of pages.splice(0)) await p.close().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  if (server) await killHard(server.child);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('event detail', () => {
  it('opens from a map point and from a feed item, flies there, and shows the lifecycle timeline in order', async () => {
    const page = await openScreen();
    const detail = page.getByTestId('event-detail');

    // A map point (found through the map's projection of the entity's point).
    const loneKey = `case:${ids.lone}`;
    await expect.poll(() => hook(page, (h) => h.map!.pointCount()), { timeout: 15_000 }).toBeGreaterThanOrEqual(8);
    await expect.poll(() => hook(page, (h) => h.map!.moving())).toBe(false);
    const at = (await page.evaluate(`globalThis.__onescreen.map.pointPosition(${JSON.stringify(loneKey)})`)) as { x: number; y: number };
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => detail.getAttribute('data-entity')).toBe(loneKey);
    await expect.poll(() => detail.getAttribute('data-status')).toBe('ready');
    expect(await detail.textContent()).toContain('暴露垃圾');
    expect(await page.getByTestId('selection').getAttribute('data-level')).toBe('town'); // a point click is not a drill-down
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });

    // A feed item: the case with three versions.
    await page.locator(`[data-testid=event-item][data-entity="case:${ids.timeline}"]`).first().click();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('ready');
    const steps = detail.getByTestId('timeline-step');
    await expect.poll(() => steps.count()).toBe(3);
    expect(await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-version')))).toEqual(['1', '2', '3']);
    expect(await steps.evaluateAll((els) => els.map((e) => e.querySelector('.status')?.textContent))).toEqual(['发现', '派单', '处置']);
    expect(await steps.nth(1).textContent()).toContain('处置部门：城管中队');
    expect(await page.getByTestId('detail-status').textContent()).toBe('处置');
    expect(await page.getByTestId('detail-due').textContent()).toMatch(/^剩余 \d+ 小时/);
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain(ids.timeline);
    expect(text).toMatch(/位置.*片区 · /); // place names from the geography
    expect(text).toContain('智能发现');

    // The map flew there: the entity's point sits near the middle of the part of the map left uncovered.
    await expect.poll(() => hook(page, (h) => h.map!.moving()), { timeout: 5_000 }).toBe(false);
    const mapBox = (await page.getByTestId('map').boundingBox())!;
    const detailBox = (await detail.boundingBox())!;
    const p = (await page.evaluate(`globalThis.__onescreen.map.pointPosition(${JSON.stringify(`case:${ids.timeline}`)})`)) as { x: number; y: number };
    expect(p.x).toBeGreaterThan(mapBox.x);
    expect(p.x).toBeLessThan(detailBox.x);
    expect(Math.abs(p.y - (mapBox.y + mapBox.height / 2))).toBeLessThan(mapBox.height * 0.15);
    expect(await page.locator('.focus-marker').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'detail.png') });

    await page.getByTestId('detail-close').click();
    await detail.waitFor({ state: 'detached' });
    expect(await page.locator('.focus-marker').count()).toBe(0);
  });
});

describe('alarms', () => {
  it('an officer acknowledges with a note: the alarm leaves the bar on every screen; a viewer has no control', async () => {
    const viewer = await openScreen();
    const officer = await openScreen('?rotate=0&token=demo-officer');
    const item = (page: Page, id: string) => page.locator(`[data-testid=alarm-item][data-entity="case:${id}"]`);

    for (const page of [viewer, officer]) {
      await item(page, ids.urgent1).waitFor({ timeout: 10_000 });
      await item(page, ids.overdue).waitFor({ timeout: 10_000 });
      // urgent first, then overdue
      const kinds = await page.getByTestId('alarm-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
      expect(kinds).toEqual(['urgent', 'urgent', 'overdue']);
    }
    expect(await viewer.getByTestId('alarm-ack').count()).toBe(0);
    expect(await officer.getByTestId('alarm-ack').count()).toBe(3);

    // Sound after one click; a new urgent alarm beeps and flashes.
    const sound = officer.getByTestId('alarm-sound');
    await sound.click();
    await expect.poll(() => sound.getAttribute('data-state')).toBe('on');
    const beeps = Number(await sound.getAttribute('data-beeps'));
    const u3 = at(places[7]!, today(1), { urgent: true, category: 'safety', subcategory: '飞线充电' });
    ids.urgent3 = u3.id;
    await post(server.url, [u3]);
    const fresh = item(officer, u3.id);
    await fresh.waitFor({ timeout: 5_000 });
    expect(await fresh.getAttribute('class')).toContain('flash');
    await expect.poll(() => sound.getAttribute('data-beeps').then(Number), { timeout: 5_000 }).toBeGreaterThan(beeps);

    // Acknowledge with a note.
    await item(officer, ids.urgent1).getByTestId('alarm-ack').click();
    await officer.getByTestId('alarm-note').fill('已派城管中队 13912345678');
    await officer.screenshot({ path: join(ARTIFACTS, 'officer-alarm.png') });
    await officer.getByTestId('alarm-ack-confirm').click();
    await item(officer, ids.urgent1).waitFor({ state: 'detached', timeout: 5_000 });
    await item(viewer, ids.urgent1).waitFor({ state: 'detached', timeout: 5_000 });
    expect(await item(viewer, ids.urgent2).count()).toBe(1);
    expect(await officer.getByTestId('alarm-error').count()).toBe(0);

    // Stored: a screen opened later does not get it.
    const late = await openScreen();
    await item(late, ids.urgent2).waitFor({ timeout: 10_000 });
    expect(await item(late, ids.urgent1).count()).toBe(0);
    expect(await late.getByTestId('alarm-ack').count()).toBe(0);

    // A click on an alarm opens its event.
    await item(late, ids.urgent2).locator('button').first().click();
    await expect.poll(() => late.getByTestId('event-detail').getAttribute('data-entity')).toBe(`case:${ids.urgent2}`);
  });
});

describe('time ranges and filters', () => {
  it('switching to 近7天 recomputes the figures with 环比, and back to 今日; the view lives in the URL', async () => {
    const page = await openScreen();
    await expect.poll(async () => Number(await kpiValue(page, 'cases'))).toBeGreaterThanOrEqual(4);
    const casesToday = await kpiValue(page, 'cases');
    const range = page.getByTestId('time-range');
    await range.locator('[data-preset="7d"]').click();
    await expect.poll(() => kpiValue(page, 'cases')).toBe(String(Number(casesToday) + casesEarlier));
    expect(await page.getByTestId('kpi-cases').textContent()).toContain('新增案件');
    expect(await page.getByTestId('kpi-cases').textContent()).toContain('环比');
    expect(await page.getByTestId('range-period').textContent()).toMatch(/本期 \d\d-\d\d – \d\d-\d\d · 环比/);
    expect(new URL(page.url()).searchParams.get('range')).toBe('7d');
    expect(await page.getByTestId('panel-trend').textContent()).toContain('对比上期');
    await page.waitForTimeout(1_200); // charts animate in
    await page.screenshot({ path: join(ARTIFACTS, 'range-7d.png') });

    await range.locator('[data-preset="yesterday"]').click();
    await expect.poll(() => kpiValue(page, 'cases')).toBe('8');
    await range.locator('[data-preset="today"]').click();
    await expect.poll(() => kpiValue(page, 'cases')).toBe(casesToday);
    expect(new URL(page.url()).searchParams.has('range')).toBe(false);

    // Filters: the feed follows, and the URL reproduces the view after a reload.
    await page.getByTestId('filter-stream').selectOption('ticket');
    await expect.poll(() => page.getByTestId('event-item').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-kind')))])).toEqual(['ticket']);
    await page.getByTestId('filter-area').selectOption('A2');
    await expect.poll(() => new URL(page.url()).search).toContain('stream=ticket');
    expect(new URL(page.url()).searchParams.get('area')).toBe('A2');
    await page.reload();
    await waitForLiveScreen(page);
    expect(await page.getByTestId('filter-stream').inputValue()).toBe('ticket');
    expect(await page.getByTestId('selection').getAttribute('data-id')).toBe('A2');

    // Search by id opens the detail.
    await page.getByTestId('filter-clear').click();
    await page.getByTestId('filter-search').fill(ids.timeline);
    await page.getByTestId('filter-search').press('Enter');
    await page.locator(`[data-testid=search-result][data-entity="case:${ids.timeline}"]`).click();
    await expect.poll(() => page.getByTestId('event-detail').getAttribute('data-status')).toBe('ready');
    expect(await page.getByTestId('timeline-step').count()).toBe(3);
  });

  it('an urgent-only wall URL shows only urgent events', async () => {
    const page = await openScreen('?rotate=0&urgent=1&stream=case');
    await expect.poll(() => page.getByTestId('event-item').count()).toBeGreaterThan(0);
    const urgent = await page.getByTestId('event-item').evaluateAll((els) => els.every((e) => e.classList.contains('urgent') || e.textContent?.includes('紧急')));
    expect(urgent).toBe(true);
    await expect.poll(() => hook(page, (h) => h.map!.pointCount())).toBeGreaterThanOrEqual(2);
    const keys = await hook(page, (h) => h.map!.pointKeys());
    expect(keys.every((k) => [ids.urgent1, ids.urgent2, ids.urgent3].includes(k.slice(5)))).toBe(true);
  });
});

describe('replay', () => {
  it('plays a day on the map and the feed, then returns to live', async () => {
    const page = await openScreen();
    const liveItems = await page.getByTestId('event-item').count();
    expect(liveItems).toBeGreaterThan(0);
    await page.getByTestId('replay-enter').click();
    const bar = page.getByTestId('replay');
    await expect.poll(() => bar.getAttribute('data-status')).toBe('ready');
    expect(await page.getByTestId('replay-date').inputValue()).toBe(yesterday);
    await expect.poll(() => page.getByTestId('event-item').count()).toBe(0); // nothing before 00:00
    expect(await page.getByTestId('replay-badge').textContent()).toBe(`回放中 · ${yesterday} 00:00`);

    await page.getByTestId('replay-step').click();
    await expect.poll(() => page.getByTestId('replay-time').textContent()).toBe('02:00:00');
    await expect.poll(() => page.getByTestId('event-item').count()).toBe(1);

    await bar.locator('[data-speed="3600"]').click();
    await page.getByTestId('replay-play').click();
    await expect.poll(async () => (await page.getByTestId('replay-time').textContent()) ?? '', { timeout: 15_000 }).toMatch(/^(0[6-9]|1\d|2\d):/);
    await expect.poll(() => hook(page, (h) => h.map!.pointCount())).toBeGreaterThanOrEqual(3);
    // Only the replayed day's entities, and those open as the day began (its opening state: the overdue case).
    const replayed = await hook(page, (h) => h.map!.pointKeys());
    expect(replayed.filter((k) => !ids.replay.includes(k.slice(5)))).toEqual([`case:${ids.overdue}`]);
    const feed = await page.getByTestId('event-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-entity')));
    expect(feed.length).toBeGreaterThanOrEqual(3);
    expect(feed.every((k) => ids.replay.includes(k!.slice(5)))).toBe(true);
    expect(await page.getByTestId('replay-badge').textContent()).toMatch(new RegExp(`^回放中 · ${yesterday} \\d\\d:\\d\\d$`));
    await page.getByTestId('replay-play').click(); // pause
    await page.screenshot({ path: join(ARTIFACTS, 'replay.png') });
    const paused = await page.getByTestId('replay-time').textContent();
    await page.waitForTimeout(600);
    expect(await page.getByTestId('replay-time').textContent()).toBe(paused);

    // Back to live: the live feed and points, untouched.
    await page.getByTestId('replay-exit').click();
    await page.getByTestId('replay-badge').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator(`[data-testid=event-item][data-entity="case:${ids.timeline}"]`).count()).toBeGreaterThan(0);
    await expect.poll(async () => (await hook(page, (h) => h.map!.pointKeys())).includes(`case:${ids.lone}`)).toBe(true);
  });
});

describe('export', () => {
  it('downloads the whole screen as a PNG of the screen\'s size, map and Chinese text included, without its own button', async () => {
    const page = await openScreen();
    await expect.poll(() => hook(page, (h) => h.map!.renderedPoints()), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => hook(page, (h) => h.map!.moving())).toBe(false);
    // The export button in a colour found nowhere else on the screen, busy (导出中…) or not.
    const button = page.getByTestId('export-png');
    await page.evaluate(`(() => {
      const el = document.querySelector('[data-testid=export-png]');
      for (const p of ['background', 'color', 'border-color']) el.style.setProperty(p, '#ff00ff', 'important');
      el.style.setProperty('opacity', '1', 'important');
    })()`);
    await page.waitForTimeout(1_200);
    const shot = await page.screenshot();
    // At 1920×1080 the screen fills the page: the image and the screenshot share coordinates.
    const screenBox = (await page.getByTestId('screen').boundingBox())!;
    expect([screenBox.x, screenBox.y]).toEqual([0, 0]);
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^城运一屏-新泾镇-\d{8}-\d{4}\.png$/);
    const png = readFileSync((await download.path())!);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    const layout = (await hook(page, (h) => h.state())).layout;
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([layout.width, layout.height]);
    expect(png.length).toBeGreaterThan(200_000);
    writeFileSync(join(ARTIFACTS, 'export.png'), png);

    // The button is on the screen (the control) and nowhere in the image.
    const buttonBox = (await button.boundingBox())!;
    const [onScreen] = await pngStats(page, shot, null, [buttonBox]);
    expect(onScreen!.magentaA).toBeGreaterThan(0.5 * buttonBox.width * buttonBox.height);
    const [whole] = await pngStats(page, png, null, [{ x: 0, y: 0, width: layout.width, height: layout.height }]);
    expect(whole!.magentaA).toBe(0);
    // The Chinese header (town and title) drawn as on the screen: ink in both, and nearly the same pixels.
    const brand = (await page.locator('.header .brand').boundingBox())!;
    const [header] = await pngStats(page, png, shot, [brand]);
    expect(header!.inkA).toBeGreaterThan(500);
    expect(header!.inkB).toBeGreaterThan(500);
    expect(header!.diff).toBeLessThan(6);

    // The map as on the screen: its WebGL canvas captured after a repaint, not left blank.
    const [map] = await pngStats(page, png, shot, [(await page.getByTestId('map').boundingBox())!]);
    expect(map!.diff).toBeLessThan(3);
  });

  it('opens the printable briefing of the range: titled with the town and the range, KPIs, overdue list, and a PDF', async () => {
    const page = await openScreen('?rotate=0&range=7d');
    await expect.poll(() => page.getByTestId('time-range').getAttribute('data-status')).toBe('ready');
    const sevenDays = await kpiValue(page, 'cases');
    expect(Number(sevenDays)).toBeGreaterThanOrEqual(4 + casesEarlier);
    const [briefing] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('export-report').click()]);
    pages.push(briefing);
    await briefing.getByTestId('briefing').and(briefing.locator('[data-status=ready]')).waitFor({ timeout: 15_000 });
    const title = await briefing.getByTestId('briefing-title').textContent();
    expect(title).toBe('新泾镇 城运简报 · 近7天');
    expect(await briefing.title()).toBe(title);
    expect(await briefing.getByTestId('briefing-period').textContent()).toMatch(/统计时段 \d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d（环比/);
    const cases = briefing.locator('[data-testid=briefing-kpi][data-kpi=casesNew] td');
    expect(await cases.nth(0).textContent()).toBe('新增案件');
    expect(await cases.nth(1).textContent()).toBe(sevenDays);
    expect(await briefing.getByTestId('briefing-kpi').count()).toBe(16);
    expect(await briefing.getByTestId('briefing-areas').locator('tbody tr').count()).toBe(4);
    const overdue = briefing.getByTestId('briefing-overdue-item');
    expect(await overdue.count()).toBeGreaterThanOrEqual(1);
    expect(await overdue.first().textContent()).toContain(ids.overdue);
    expect(await briefing.getByTestId('briefing-trend').locator('svg').count()).toBe(1);
    await briefing.setViewportSize({ width: 1000, height: 1400 });
    await briefing.screenshot({ path: join(ARTIFACTS, 'briefing.png'), fullPage: true });

    const pdf = await briefing.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(30_000);
    expect(await briefing.getByTestId('briefing-print').isVisible()).toBe(true);
  });
});
