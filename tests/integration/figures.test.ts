// Every figure — from the range API, from a screen's live counters (snapshot + streamed changes)
// and from a replayed day as of its clock — equals a brute-force count over the raw events, for
// random lifecycles ingested in random order and random (period, place) pairs (property-based).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEvent, type IngestEvent, type IngestEventInput } from '#shared/events';
import { ringCentre } from '#shared/geometry';
import type { ReplayPage } from '#shared/http';
import { computeFigures, type Figures } from '#shared/model/figures';
import { placeTree } from '#shared/model/places';
import type { SnapshotSync, StreamEvent } from '#shared/protocol';
import { previousPeriod, resolveRange, periodHours, type RangeReport } from '#shared/range';
import { rangeReportSchema } from '#shared/rangeSchema';
import { DAY_MS, HOUR_MS, hourOf, shanghaiDate, shanghaiMidnight, toShanghaiIso } from '#shared/time';
import { manualClock } from '../../server/src/clock';
import { ReplayPlayer } from '../../client/src/stores/replayPlayer';
import { StreamData } from '../../client/src/stores/streamData';
import { bruteFigures, statesOf, type BruteFigures } from '../support/bruteForce';
import { makeCase, makeInspection, makeTicket } from '../support/events';
import { openSocket, startServer, town, waitFor } from '../support/server';

const tree = placeTree(town.geo);
const D0 = shanghaiMidnight('2026-11-01');
const NOW = D0 + 4 * DAY_MS + 15 * HOUR_MS + 20 * 60_000; // 2026-11-05 15:20
const at = toShanghaiIso;
const NBS = ['N01', 'N05', 'N09', 'N12', 'N20', 'N27', 'N33'];
const loc = (i: number) => {
  const nb = NBS[i % NBS.length]!;
  const [lng, lat] = ringCentre(town.ringOf(nb)!);
  return { lng, lat, gridId: town.communityGridOf(nb)!, neighbourhoodId: nb };
};
/** Places to ask about: the town, and the 片区, 居民区 and grid of each 居民区 used. */
const PLACES = ['town', ...new Set(NBS.flatMap((nb) => [town.areaOf(nb)!, nb, town.communityGridOf(nb)!]))];

const minute = fc.integer({ min: 0, max: 4 * 24 * 60 + 14 * 60 }).map((m) => D0 + m * 60_000);
const later = fc.integer({ min: 1, max: 80 * 60 }).map((m) => m * 60_000);
const caseArb = fc.record({
  t: minute, deadline: fc.constantFrom(4, 24, 72), nb: fc.nat(20), moveTo: fc.option(fc.nat(20)),
  fate: fc.constantFrom('reported', 'dispatched', 'feedback', 'closed', 'closed', 'voided', 'returned'),
  handle: later, close: later, rework: fc.boolean(), level: fc.constantFrom('grid', 'town'), source: fc.constantFrom('patrol', 'smart', 'wecom'),
});
const ticketArb = fc.record({
  t: minute, due: fc.constantFrom(1, 5), nb: fc.nat(20), contact: fc.option(later), close: fc.option(later),
  sat: fc.option(fc.constantFrom('satisfied', 'basic', 'unsatisfied')), repeat: fc.boolean(),
});
const inspArb = fc.record({ t: minute, fail: fc.boolean(), fix: fc.option(later), nb: fc.nat(20) });
type Value<A> = A extends fc.Arbitrary<infer T> ? T : never;
type Gen = { cases: Array<Value<typeof caseArb>>; tickets: Array<Value<typeof ticketArb>>; insps: Array<Value<typeof inspArb>> };

/** Every version of every generated lifecycle (none after NOW). */
function versionsOf(g: Gen): IngestEventInput[] {
  const out: IngestEventInput[] = [];
  const cap = (ms: number) => Math.min(ms, NOW - 60_000);
  g.cases.forEach((c, i) => {
    const base = { id: `C-${i}`, location: loc(c.nb), source: c.source, reportedAt: at(c.t), deadline: at(c.t + c.deadline * HOUR_MS), reworkCount: c.rework ? 1 : 0 };
    out.push(makeCase({ ...base, version: 1 }, c.t));
    const t2 = cap(c.t + 5 * 60_000);
    if (c.fate === 'voided' || c.fate === 'returned') return void out.push(makeCase({ ...base, version: 2, status: c.fate }, t2));
    if (c.fate === 'reported') return;
    const moved = c.moveTo === null ? base : { ...base, location: loc(c.moveTo) }; // a correction of the place
    out.push(makeCase({ ...moved, version: 2, status: 'dispatched' }, t2));
    if (c.fate === 'dispatched') return;
    const handledAt = cap(c.t + c.handle);
    out.push(makeCase({ ...moved, version: 3, status: 'feedback', handledAt: at(handledAt) }, handledAt));
    if (c.fate === 'feedback') return;
    const closedAt = cap(Math.max(handledAt, c.t + c.close));
    out.push(makeCase({ ...moved, version: 4, status: 'closed', handledAt: at(handledAt), closedAt: at(closedAt), resolvedLevel: c.level }, closedAt));
  });
  g.tickets.forEach((t, i) => {
    const base = {
      id: `T-${i}`, location: loc(t.nb), receivedAt: at(t.t), dueAt: at(t.t + t.due * DAY_MS), firstContactDueAt: at(t.t + 2 * HOUR_MS),
      ...(t.repeat && i > 0 ? { repeatOf: `T-${i - 1}` } : {}),
    };
    out.push(makeTicket({ ...base, version: 1 }, t.t));
    const contactAt = t.contact === null ? undefined : cap(t.t + t.contact);
    if (contactAt !== undefined) out.push(makeTicket({ ...base, version: 2, status: 'contacted', firstContactAt: at(contactAt) }, contactAt));
    if (t.close === null) return;
    const closedAt = cap(Math.max(contactAt ?? 0, t.t + t.close));
    out.push(makeTicket({
      ...base, version: 3, status: 'closed', closedAt: at(closedAt), ...(contactAt ? { firstContactAt: at(contactAt) } : {}), ...(t.sat ? { satisfaction: t.sat } : {}),
    }, closedAt));
  });
  g.insps.forEach((x, i) => {
    const base = { id: `I-${i}`, location: loc(x.nb), inspectedAt: at(x.t), outcome: x.fail ? 'rectify' : 'pass', rectifyDeadline: x.fail ? at(x.t + 2 * DAY_MS) : undefined, status: x.fail ? 'rectifying' : 'done' };
    out.push(makeInspection({ ...base, version: 1 }, x.t));
    if (x.fail && x.fix !== null) out.push(makeInspection({ ...base, version: 2, status: 'rectified', rectifiedAt: at(cap(x.t + x.fix)) }, cap(x.t + x.fix)));
  });
  return out;
}

const parsed = (input: IngestEventInput): IngestEvent => {
  const r = parseEvent(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.event;
};

/** The model's figures against the brute-force count, figure by figure, and every rate within [0, 1]. */
function expectSame(model: Figures, brute: BruteFigures, what: string) {
  expect(model.counts, what).toEqual(brute.counts ? { ...model.counts, ...brute.counts } : model.counts);
  for (const [id, v] of Object.entries(brute.rates)) {
    const m = model.rates[id as keyof Figures['rates']];
    expect(m === null ? null : Number(m.toFixed(12)), `${what} rate ${id}`).toBe(v === null ? null : Number(v.toFixed(12)));
    if (m !== null) expect(m >= 0 && m <= 1, `${what} rate ${id} = ${m}`).toBe(true);
  }
  const children = Object.fromEntries((model.children?.items ?? []).map((c) => [c.id, [c.case, c.ticket, c.inspection]]));
  expect(children, `${what} children`).toEqual(brute.children);
}

const shuffle = <T>(list: T[], seed: number) => list.map((v, i) => ({ v, k: ((i + 1) * 2654435761 + seed) % 4294967296 })).sort((a, b) => a.k - b.k).map((x) => x.v);
const headers = { authorization: 'Bearer demo-viewer' };

describe('figures of the one model', () => {
  it('equal a brute-force count for the range API, a live screen and a replayed day, at every place level', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          cases: fc.array(caseArb, { minLength: 20, maxLength: 70 }), tickets: fc.array(ticketArb, { minLength: 10, maxLength: 40 }), insps: fc.array(inspArb, { minLength: 5, maxLength: 20 }),
        }),
        fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.nat(), fc.integer({ min: 0, max: 24 * 60 - 1 }),
        async (gen, d1, d2, seed, replayMinute) => {
          const versions = versionsOf(gen);
          const all = versions.map(parsed);
          const order = shuffle(versions, seed);
          const firstPart = order.slice(0, Math.ceil(order.length / 2));
          const s = await startServer({ ALARM_SCAN_MS: '60000' }, manualClock(NOW));
          try {
            for (let i = 0; i < firstPart.length; i += 500) {
              const r = await s.post(firstPart.slice(i, i + 500));
              expect(r.body.results.filter((x: { status: string }) => x.status === 'rejected')).toEqual([]);
            }
            // A live screen: the snapshot, then the rest streamed in (changes applied to today's counters).
            const screen = new StreamData(town, undefined, NOW);
            const socket = openSocket(s.url, { token: 'demo-viewer' });
            const synced = new Promise<void>((resolve) => socket.on('sync', (sync) => {
              if (sync.mode === 'snapshot') screen.loadSnapshot(sync as SnapshotSync, NOW);
              resolve();
            }));
            let applied = 0;
            socket.on('events', (batch: StreamEvent[]) => { for (const e of batch) { screen.apply(e); applied++; } });
            await synced;
            const rest = order.slice(firstPart.length);
            let stored = 0;
            for (let i = 0; i < rest.length; i += 500) stored += (await s.post(rest.slice(i, i + 500))).body.results.filter((x: { status: string }) => x.status === 'stored').length;
            await waitFor(() => applied >= stored, 10_000, 'the streamed changes');
            socket.close();
            const today = hourOf(shanghaiMidnight(shanghaiDate(NOW)));
            const liveTotals = screen.counters.sum(today, hourOf(NOW) + 1);
            const states = statesOf(all);
            for (const place of PLACES)
              expectSame(computeFigures((k) => liveTotals.get(k) ?? 0, place, tree.children(place)), bruteFigures(states, today, hourOf(NOW) + 1, place, tree), `live ${place}`);

            // The range API over whole days, and its previous period.
            const [a, b] = [Math.min(d1, d2), Math.max(d1, d2)];
            const date = (d: number) => shanghaiDate(D0 + d * DAY_MS);
            for (const place of PLACES) {
            const q = place === 'town' ? '' : `&${/^A/.test(place) ? 'area' : /^N/.test(place) ? 'nb' : 'grid'}=${place}`;
            const res = await fetch(`${s.url}/api/v1/range?from=${date(a)}&to=${date(b)}${q}`, { headers });
            const report = rangeReportSchema.parse(await res.json()) as RangeReport;
            const period = resolveRange({ from: date(a), to: date(b) }, NOW);
            expectSame(report.figures, bruteFigures(states, ...periodHours(period), place, tree), `range ${place} ${date(a)}…${date(b)}`);
            expectSame(report.previousFigures, bruteFigures(states, ...periodHours(previousPeriod(period)), place, tree), `previous ${place}`);
            const brute = bruteFigures(states, 0, 0, place, tree);
            expect([report.now.open.case, report.now.open.ticket, report.now.open.inspection]).toEqual(brute.open);
            // the trend: new items per bucket (hours for up to two days, else days)
            const bucket = report.series.bucket === 'hour' ? 1 : 24;
            report.series.points.forEach((pt, i) => {
              const from = periodHours(period)[0] + i * bucket;
              const n = bruteFigures(states, from, from + bucket, place, tree).counts;
              expect([pt.case, pt.ticket, pt.inspection], `${place} ${pt.t}`).toEqual([n.casesNew, n.ticketsNew, n.inspectionsDone]);
            });
            }

            // A replayed day as of its clock: the day's opening state plus each event's change then.
            const day = date(b);
            const player = new ReplayPlayer(day, town, undefined, NOW);
            for (let after: string | null = null, first = true; first || after; first = false) {
              const pageRes: Response = await fetch(`${s.url}/api/v1/replay?date=${day}&limit=50${after ? `&after=${after}` : ''}`, { headers });
              const page = (await pageRes.json()) as ReplayPage;
              player.append(page.events, page.next === null, page.base);
              after = page.next;
            }
            const clock = Math.min(NOW, shanghaiMidnight(day) + replayMinute * 60_000);
            player.advanceTo(clock);
            const dayHour = hourOf(shanghaiMidnight(day));
            const replayTotals = player.counters.sum(dayHour, hourOf(clock) + 1);
            for (const place of PLACES)
            expectSame(
              computeFigures((k) => replayTotals.get(k) ?? 0, place, tree.children(place)),
              bruteFigures(statesOf(all, clock), dayHour, hourOf(clock) + 1, place, tree),
              `replay ${place} ${day} @${toShanghaiIso(clock)}`,
            );
          } finally {
            await s.stop();
          }
        },
      ),
      { numRuns: 8 },
    );
  });
});
