// The screen and the range API agree: for the town, a 片区 and a 居民区, the KPI cards (as the DOM
// shows them), the rings, the funnel and the ranking of the live day, of 近7天 and of a replayed day,
// and the briefing's KPI table, equal the figures of /api/v1/range for the same place and period,
// formatted as the screen formats them (client/src/format.ts); and no page logs an error meanwhile.
// Two weeks of lifecycles of all three streams are posted through the ingest API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IngestEventInput } from '#shared/events';
import type { TownGeo } from '#shared/geo';
import { COUNTS, type CountId, type RateId } from '#shared/model/definitions';
import { change, type Figures } from '#shared/model/figures';
import type { RangeReport, StreamCounts } from '#shared/range';
import { DAY_MS, HOUR_MS, shanghaiDayStart, toShanghaiIso } from '#shared/time';
import { campaigns, caseSources, ticketTopics, ticketTypes } from '#shared/vocab';
import { fmtChange, fmtCount, fmtPoints, fmtRate, NO_DATA } from '../../client/src/format';
import { ensureClientBuilt, launchBrowser, type HookGlobal } from '../support/browser';
import { killHard, spawnServer } from '../support/child';
import { makeCase, makeInspection, makeTicket, next } from '../support/events';
import { fetchGeo, placesOf, post, type Place } from './townEvents';

type Server = Awaited<ReturnType<typeof spawnServer>>;
type Hook = NonNullable<HookGlobal['__onescreen']>;
let server: Server;
let dataDir: string;
let browser: Browser;
let geo: TownGeo;
/** the 居民区 of 片区 A2 that gets a third of the events */
let nb: Place;

const AREA = 'A2';
const hook = <T>(page: Page, fn: (h: Hook) => T): Promise<T> => page.evaluate(`(${fn.toString()})(globalThis.__onescreen)`) as Promise<T>;
const placeQuery = (place: string) => (place === 'town' ? '' : `&${/^A/.test(place) ? 'area' : /^N/.test(place) ? 'nb' : 'grid'}=${place}`);

async function rangeReport(query: string, place: string): Promise<RangeReport> {
  const res = await fetch(`${server.url}/api/v1/range?${query}${placeQuery(place)}`, { headers: { authorization: 'Bearer demo-viewer' } });
  if (!res.ok) throw new Error(`range answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as RangeReport;
}

// ---- what was posted: two weeks of lifecycles, all finished within their day except today's ----

const todayStart = shanghaiDayStart(Date.now());
let serial = 0;

/** Every version of a few cases, tickets and inspections of day `d` (0 = today) at the given places. */
function dayOfEvents(d: number, at: (j: number) => Place): IngestEventInput[] {
  const out: IngestEventInput[] = [];
  const [cases, tickets, inspections] = d === 0 ? [24, 10, 6] : d <= 7 ? [18, 8, 5] : [9, 4, 3];
  const dayStart = todayStart - d * DAY_MS;
  // Past days: hours 01–19 (each lifecycle ends the same day, by 23:00). Today: the last minutes,
  // never after now (every version is capped to half a minute ago) and never before 00:01.
  const start = (i: number) => (d > 0 ? dayStart + (1 + ((i * 5) % 19)) * HOUR_MS + ((i * 7) % 60) * 60_000 : Math.max(Date.now() - (6 + 3 * i) * 60_000, todayStart + 60_000));
  const cap = (ms: number) => (d > 0 ? ms : Math.min(ms, Date.now() - 30_000));
  const where = (j: number) => {
    const p = at(j);
    return { location: { lng: p.lng, lat: p.lat, gridId: p.grid, neighbourhoodId: p.nb }, address: `测试路 ${++serial} 号` };
  };
  const min = 60_000;
  for (let i = 0; i < cases; i++) {
    const t = start(i);
    const late = i % 6 === 3;
    const c = makeCase({
      id: `FIG-C-${d}-${i}`, ...where(i), source: caseSources[i % 3 === 0 ? 1 : i % caseSources.length], reworkCount: i % 6 === 4 ? 1 : 0,
      deadline: toShanghaiIso(t + (late ? HOUR_MS : DAY_MS)),
    }, t);
    out.push(c);
    const fate = i % 6; // 0 reported · 1 in handling · 2 closed on time · 3 closed late · 4 closed after rework · 5 voided
    if (fate === 5) out.push(next(c, 2, cap(t + 10 * min), { status: 'voided' }));
    if (fate === 0 || fate === 5) continue;
    out.push(next(c, 2, cap(t + 10 * min), { status: 'dispatched', department: '城管中队' }));
    if (fate === 1) {
      out.push(next(c, 3, cap(t + 20 * min), { status: 'handling', department: '城管中队' }));
      continue;
    }
    const handledAt = cap(t + (late ? 2 * HOUR_MS : 40 * min));
    const closedAt = cap(t + (late ? 3 * HOUR_MS : 60 * min));
    out.push(next(c, 3, handledAt, { status: 'feedback', department: '城管中队', handledAt: toShanghaiIso(handledAt) }));
    out.push(next(c, 4, closedAt, {
      status: 'closed', department: '城管中队', handledAt: toShanghaiIso(handledAt), closedAt: toShanghaiIso(closedAt), resolvedLevel: fate === 2 ? 'grid' : 'town',
    }));
  }
  for (let i = 0; i < tickets; i++) {
    const t = start(i) + 2 * min;
    const fate = i % 4; // 0 received · 1 contacted · 2 closed, satisfied · 3 a repeat call closed late, unsatisfied
    const k = makeTicket({
      id: `FIG-T-${d}-${i}`, ...where(i + 1), ticketType: ticketTypes[i % ticketTypes.length], topic: ticketTopics[i % ticketTopics.length],
      dueAt: toShanghaiIso(t + (fate === 3 ? HOUR_MS : 5 * DAY_MS)), ...(fate === 3 && i > 0 ? { repeatOf: `FIG-T-${d}-${i - 1}` } : {}),
    }, t);
    out.push(k);
    const contactAt = cap(t + 20 * min);
    if (fate === 1 || fate === 2) out.push(next(k, 2, contactAt, { status: 'contacted', firstContactAt: toShanghaiIso(contactAt) }));
    const closedAt = cap(t + (fate === 3 ? 3 * HOUR_MS : 2 * HOUR_MS));
    if (fate === 2) out.push(next(k, 3, closedAt, { status: 'closed', firstContactAt: toShanghaiIso(contactAt), closedAt: toShanghaiIso(closedAt), satisfaction: 'satisfied' }));
    if (fate === 3) out.push(next(k, 2, closedAt, { status: 'closed', closedAt: toShanghaiIso(closedAt), satisfaction: 'unsatisfied' }));
  }
  for (let i = 0; i < inspections; i++) {
    const t = start(i) + 4 * min;
    const fate = i % 3; // 0 passed · 1 under rectification · 2 rectified
    const base = { id: `FIG-I-${d}-${i}`, ...where(i + 2), campaign: campaigns[i % campaigns.length] };
    if (fate === 0) {
      out.push(makeInspection({ ...base, outcome: 'pass', status: 'done', items: [{ name: '排水许可证', result: 'pass' }], rectifyDeadline: undefined }, t));
      continue;
    }
    const x = makeInspection({ ...base, status: 'rectifying', rectifyDeadline: toShanghaiIso(t + 2 * DAY_MS) }, t);
    out.push(x);
    const fixedAt = cap(t + 2 * HOUR_MS);
    if (fate === 2) out.push(next(x, 2, fixedAt, { status: 'rectified', rectifiedAt: toShanghaiIso(fixedAt) }));
  }
  return out;
}

// ---- the screen's figures, and the API's formatted as the screen formats them ----

const cardFigure: Record<string, ['count', CountId] | ['rate', RateId]> = {
  cases: ['count', 'casesNew'],
  tickets: ['count', 'ticketsNew'],
  inspections: ['count', 'inspectionsDone'],
  timely: ['rate', 'timely'],
  closure: ['rate', 'closure'],
  smart: ['rate', 'smart'],
  'hotline-ontime': ['rate', 'ticketOnTime'],
  satisfaction: ['rate', 'satisfaction'],
};
const pick = (f: Figures, [kind, id]: ['count', CountId] | ['rate', RateId]) => (kind === 'count' ? f.counts[id] : f.rates[id]);
const fmt = (kind: 'count' | 'rate', v: number | null) => (kind === 'count' ? fmtCount(v) : fmtRate(v));
const sum = (c: StreamCounts) => c.case + c.ticket + c.inspection;

interface Shown {
  cards: Record<string, { value: string; change: string | null }>;
  panels: Awaited<ReturnType<Hook['panels']>>;
}

async function shown(page: Page): Promise<Shown> {
  const cards = (await page.locator('[data-testid^="kpi-"]').evaluateAll((els) => Object.fromEntries(els.map((e) => [
    e.getAttribute('data-testid')!.slice(4),
    { value: e.querySelector('[data-role=value]')?.textContent?.trim() ?? '', change: e.querySelector('[data-role=change]')?.textContent?.replace(/[▲▼\s]/g, '') ?? null },
  ])))) as Shown['cards'];
  return { cards, panels: await hook(page, (h) => h.panels()) };
}

interface Expect {
  mode: 'live' | 'range' | 'replay';
  place: string;
  figures: Figures;
  /** the 环比 shown on the cards (ranges) */
  previous?: { figures: Figures; comparable: boolean };
  /** open and overdue now (live and ranges; a replay shows them as of its clock) */
  now?: RangeReport['now'];
}

/** Every disagreement between what the screen shows and what the API says, as readable lines. */
function disagreements(s: Shown, e: Expect): string[] {
  const out: string[] = [];
  const same = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${what}: screen ${JSON.stringify(got)}, API ${JSON.stringify(want)}`);
  };
  const p = s.panels;
  if (!p) return ['no figures drawn yet'];
  same('mode', p.mode, e.mode);
  same('place', p.place, e.place);
  const f = e.figures;
  for (const [id, spec] of Object.entries(cardFigure)) {
    const card = s.cards[id];
    if (!card) {
      out.push(`card ${id} missing`);
      continue;
    }
    const v = pick(f, spec);
    same(`card ${id}`, card.value, fmt(spec[0], v));
    if (e.previous) {
      const d = change(v, pick(e.previous.figures, spec), spec[0], e.previous.comparable);
      same(`card ${id} 环比`, card.change, v === null ? NO_DATA : spec[0] === 'count' ? fmtChange(d) : fmtPoints(d));
    }
  }
  if (e.now) {
    same('card open', s.cards.open?.value, fmtCount(e.now.open.case + e.now.open.ticket));
    same('card overdue', s.cards.overdue?.value, fmtCount(sum(e.now.overdue)));
  }
  const c = f.counts;
  same('funnel', p.funnel.map((x) => x.value), [c.casesNew, c.funnelDispatched, c.funnelHandling, c.funnelClosed]);
  same('rings', Object.fromEntries(p.rates.map((r) => [r.id, r.value])), {
    'hotline.satisfaction': f.rates.satisfaction, 'hotline.onTime': f.rates.ticketOnTime, 'hotline.firstContact': f.rates.firstContact,
    'inspection.issue': f.rates.issue, 'inspection.rectify': f.rates.rectify,
  });
  const byId = (items: Array<{ id: string; value: number }>) => Object.fromEntries([...items].sort((a, b) => a.id.localeCompare(b.id)).map((x) => [x.id, x.value]));
  same('ranking level', p.ranking?.level ?? null, f.children?.level ?? null);
  same('ranking', byId(p.ranking?.items ?? []), byId((f.children?.items ?? []).map((x) => ({ id: x.id, value: sum(x) }))));
  return out;
}

/** Polls until the screen agrees with the API (both may move while the screen catches up). */
async function expectAgreement(page: Page, what: string, want: () => Promise<Expect>) {
  await expect.poll(async () => disagreements(await shown(page), await want()), { timeout: 20_000, interval: 500, message: what }).toEqual([]);
}

// ---- pages: each records its console errors and uncaught exceptions ----

const pages: Array<{ page: Page; errors: string[] }> = [];
async function openPage(query: string) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  pages.push({ page, errors });
  await page.goto(`${server.url}/${query}`);
  return { page, errors };
}
async function openScreen(query: string) {
  const opened = await openPage(query);
  await opened.page.waitForFunction(() => ((globalThis as HookGlobal).__onescreen?.state().appliedSeq ?? 0) > 0, undefined, { timeout: 30_000 });
  return opened;
}

beforeAll(async () => {
  ensureClientBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'onescreen-e2e-figures-'));
  server = await spawnServer({ DATA_DIR: dataDir, HEARTBEAT_MS: '1000' });
  geo = await fetchGeo(server.url);
  const places = placesOf(geo);
  nb = places.find((p) => p.areaId === AREA)!;
  // A third of everything at the chosen 居民区, the rest spread over the town.
  const at = (j: number) => (j % 3 === 0 ? nb : places[(j * 7 + serial) % places.length]!);
  const events: IngestEventInput[] = [];
  for (let d = 13; d >= 0; d--) events.push(...dayOfEvents(d, at));
  await post(server.url, events);
  browser = await launchBrowser();
});

afterEach(async () => {
  for (const { page } of pages.splice(0)) await page.close().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  if (server) await killHard(server.child);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const noErrors = (errors: string[]) => expect(errors, 'console errors').toEqual([]);

describe('the screen agrees with the range API', () => {
  it('live: the town, then 片区 A2, then one of its 居民区 (chosen in the filter bar)', async () => {
    const { page, errors } = await openScreen('?rotate=0');
    const today = async (place: string): Promise<Expect> => {
      const r = await rangeReport('preset=today', place);
      return { mode: 'live', place, figures: r.figures, now: r.now };
    };
    await expectAgreement(page, 'live, town', () => today('town'));
    await page.getByTestId('filter-area').selectOption(AREA);
    await expectAgreement(page, `live, ${AREA}`, () => today(AREA));
    await page.getByTestId('filter-neighbourhood').selectOption(nb.nb);
    await expectAgreement(page, `live, ${nb.nb}`, () => today(nb.nb));
    expect(Number(await page.getByTestId('kpi-cases').locator('[data-role=value]').textContent())).toBeGreaterThan(0);
    noErrors(errors);
  });

  it('近7天 from the URL: ?range=7d&area=A2, ?range=7d&nb=…, then the town, with 环比', async () => {
    const week = async (place: string): Promise<Expect> => {
      const r = await rangeReport('preset=7d', place);
      return { mode: 'range', place, figures: r.figures, previous: { figures: r.previousFigures, comparable: r.comparable }, now: r.now };
    };
    const first = await openScreen(`?rotate=0&range=7d&area=${AREA}`);
    await expectAgreement(first.page, `7d, ${AREA}`, () => week(AREA));
    const a2 = await rangeReport('preset=7d', AREA);
    expect(a2.comparable).toBe(true); // two weeks are stored: 环比 has a base
    // Figures worth comparing: every rate has data, and the 居民区 of the 片区 differ.
    expect(Object.entries(a2.figures.rates).filter(([, v]) => v === null)).toEqual([]);
    expect(new Set(a2.figures.children?.items.map(sum)).size).toBeGreaterThan(1);

    const second = await openScreen(`?rotate=0&range=7d&nb=${nb.nb}`);
    await expectAgreement(second.page, `7d, ${nb.nb}`, () => week(nb.nb));
    await second.page.getByTestId('filter-area').selectOption('');
    await expectAgreement(second.page, '7d, town', () => week('town'));
    noErrors(first.errors);
    noErrors(second.errors);
  });

  it('a replayed day at 23:59 equals the range report of that day, at 片区 A2 and at a 居民区', async () => {
    const { page, errors } = await openScreen(`?rotate=0&area=${AREA}`);
    await page.getByTestId('replay-enter').click();
    await expect.poll(() => page.getByTestId('replay').getAttribute('data-status')).toBe('ready');
    await page.getByTestId('replay-scrubber').evaluate((el) => {
      (el as unknown as { value: string }).value = '1439';
      el.dispatchEvent(new Event('change'));
    });
    await expect.poll(() => page.getByTestId('replay-time').textContent()).toBe('23:59:00');
    // Every lifecycle of the day ended within it: the day's figures at 23:59 are the report's.
    // Open and overdue are as of the replay clock, not now: not compared.
    const yesterday = async (place: string): Promise<Expect> => ({ mode: 'replay', place, figures: (await rangeReport('preset=yesterday', place)).figures });
    await expectAgreement(page, `replay, ${AREA}`, () => yesterday(AREA));
    await page.getByTestId('filter-neighbourhood').selectOption(nb.nb);
    await expectAgreement(page, `replay, ${nb.nb}`, () => yesterday(nb.nb));
    noErrors(errors);
  });

  it('the briefing of 近7天 at 片区 A2 and at a 居民区: its KPI table and ranking are the report\'s', async () => {
    for (const place of [AREA, nb.nb]) {
      const { page, errors } = await openPage(`?view=briefing&range=7d${placeQuery(place)}`);
      await page.getByTestId('briefing').and(page.locator('[data-status=ready]')).waitFor({ timeout: 15_000 });
      const name = place === AREA ? geo.areas.features.find((f) => f.properties.id === AREA)!.properties.name : geo.neighbourhoods.features.find((f) => f.properties.id === place)!.properties.name;
      expect(await page.getByTestId('briefing-title').textContent()).toBe(`${geo.town.name} ${name} 城运简报 · 近7天`);
      const r = await rangeReport('preset=7d', place);
      const rows = (await page.getByTestId('briefing-kpi').evaluateAll((els) => els.map((e) => [
        e.getAttribute('data-kpi'), ...[...e.querySelectorAll('td')].slice(1).map((td) => (td.textContent ?? '').replace(/[▲▼\s]/g, '')),
      ]))) as Array<[string, string, string, string]>;
      expect(rows.length).toBeGreaterThanOrEqual(12);
      for (const [id, current, previous, delta] of rows) {
        const kind = id in COUNTS ? 'count' : 'rate';
        const cur = kind === 'count' ? r.figures.counts[id as CountId] : r.figures.rates[id as RateId];
        const prev = kind === 'count' ? r.previousFigures.counts[id as CountId] : r.previousFigures.rates[id as RateId];
        const d = change(cur, prev, kind, r.comparable);
        expect([id, current, previous, delta], `briefing ${place} ${id}`).toEqual([
          id, fmt(kind, cur), r.comparable ? fmt(kind, prev) : NO_DATA, kind === 'count' ? fmtChange(d) : fmtPoints(d),
        ]);
      }
      // The children (居民区 of the 片区, grids of the 居民区) by new cases, as the report counts them.
      const counts = await page.getByTestId('briefing-areas').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[2]?.textContent)));
      const want = (r.figures.children?.items ?? []).map((x) => x.case).filter((n) => n > 0).sort((a, b) => b - a).slice(0, 12);
      expect(counts, `briefing ${place} ranking`).toEqual(want);
      expect(want.length).toBeGreaterThan(0);
      noErrors(errors);
    }
  });
});
