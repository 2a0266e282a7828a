// Range KPIs from rollups equal a brute-force recomputation over the raw events, for random
// lifecycles ingested in random order (property-based).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IngestEventInput } from '../../shared/src/events';
import { ratio } from '../../shared/src/kpi/formulas';
import { ringCentre } from '../../shared/src/geometry';
import type { RangeReport } from '../../shared/src/range';
import { DAY_MS, HOUR_MS, shanghaiMidnight, toShanghaiIso } from '../../shared/src/time';
import { manualClock } from '../../server/src/clock';
import { makeCase, makeInspection, makeTicket } from '../support/events';
import { startServer, town } from '../support/server';

const D0 = shanghaiMidnight('2026-11-01');
const NOW = D0 + 5 * DAY_MS;
const at = toShanghaiIso;
const nbs = ['N01', 'N05', 'N12', 'N20', 'N33'];
// The centre of each 居民区 (ingest checks that the point lies inside the 居民区 and its grid).
const centres = nbs.map((nb) => ringCentre(town.ringOf(nb)!));
const loc = (i: number) => ({ lng: centres[i]![0], lat: centres[i]![1], gridId: `GC${nbs[i]!.slice(1)}`, neighbourhoodId: nbs[i]! });

const minute = fc.integer({ min: 0, max: 4 * 24 * 60 - 1 }).map((m) => D0 + m * 60_000);
const later = fc.integer({ min: 1, max: 90 * 60 }).map((m) => m * 60_000);

const caseArb = fc.record({
  t: minute, deadline: fc.constantFrom(4, 24, 72), close: fc.option(later), level: fc.constantFrom('grid', 'town', 'district'),
  source: fc.constantFrom('patrol', 'smart', 'wecom'), nb: fc.integer({ min: 0, max: 4 }), dispatched: fc.boolean(),
});
const ticketArb = fc.record({
  t: minute, due: fc.constantFrom(1, 5), contact: fc.option(later), close: fc.option(later),
  sat: fc.option(fc.constantFrom('satisfied', 'basic', 'unsatisfied')), nb: fc.integer({ min: 0, max: 4 }),
});
const inspArb = fc.record({ t: minute, fail: fc.boolean(), fix: fc.option(later), nb: fc.integer({ min: 0, max: 4 }) });

type Value<A> = A extends fc.Arbitrary<infer T> ? T : never;
type Gen = { cases: Array<Value<typeof caseArb>>; tickets: Array<Value<typeof ticketArb>>; insps: Array<Value<typeof inspArb>> };
type FinalState = Record<string, number | string | boolean | undefined>;

/** Every version of every entity, and each entity's final state, from the generated lifecycles. */
function build(g: Gen) {
  const versions: IngestEventInput[] = [];
  const finals: Array<{ kind: string } & FinalState> = [];
  const cap = (ms: number) => Math.min(ms, NOW - 1);
  g.cases.forEach((c, i) => {
    const id = `C-${i}`;
    const base = { id, location: loc(c.nb), source: c.source, reportedAt: at(c.t), deadline: at(c.t + c.deadline * HOUR_MS) };
    versions.push(makeCase({ ...base, version: 1 }, c.t));
    let final: FinalState = { reportedAt: c.t, deadline: c.t + c.deadline * HOUR_MS, source: c.source, nb: nbs[c.nb], status: 'reported' };
    if (c.dispatched) {
      versions.push(makeCase({ ...base, version: 2, status: 'dispatched' }, cap(c.t + 10 * 60_000)));
      final = { ...final, status: 'dispatched' };
    }
    if (c.close !== null) {
      const closedAt = cap(c.t + c.close);
      versions.push(makeCase({ ...base, version: 3, status: 'closed', closedAt: at(closedAt), resolvedLevel: c.level }, closedAt));
      final = { ...final, status: 'closed', closedAt, level: c.level };
    }
    finals.push({ kind: 'case', ...final });
  });
  g.tickets.forEach((t, i) => {
    const id = `T-${i}`;
    const fcDue = t.t + 2 * HOUR_MS;
    const contactAt = t.contact === null ? undefined : cap(t.t + t.contact);
    const base = { id, location: loc(t.nb), receivedAt: at(t.t), dueAt: at(t.t + t.due * DAY_MS), firstContactDueAt: at(fcDue) };
    versions.push(makeTicket({ ...base, version: 1 }, t.t));
    let final: FinalState = { receivedAt: t.t, dueAt: t.t + t.due * DAY_MS, fcDue, status: 'received' };
    if (contactAt !== undefined) {
      versions.push(makeTicket({ ...base, version: 2, status: 'contacted', firstContactAt: at(contactAt) }, contactAt));
      final = { ...final, status: 'contacted', contactAt };
    }
    if (t.close !== null) {
      const closedAt = cap(Math.max(contactAt ?? 0, t.t + t.close));
      versions.push(makeTicket({ ...base, version: 3, status: 'closed', closedAt: at(closedAt), ...(contactAt ? { firstContactAt: at(contactAt) } : {}), ...(t.sat ? { satisfaction: t.sat } : {}) }, closedAt));
      final = { ...final, status: 'closed', closedAt, sat: t.sat ?? undefined };
    }
    finals.push({ kind: 'ticket', ...final });
  });
  g.insps.forEach((x, i) => {
    const id = `I-${i}`;
    const deadline = x.t + 3 * DAY_MS;
    const base = { id, location: loc(x.nb), inspectedAt: at(x.t), outcome: x.fail ? 'rectify' : 'pass', rectifyDeadline: x.fail ? at(deadline) : undefined, status: x.fail ? 'rectifying' : 'done' };
    versions.push(makeInspection({ ...base, version: 1 }, x.t));
    let final: FinalState = { inspectedAt: x.t, fail: x.fail, deadline };
    if (x.fail && x.fix !== null) {
      const fixedAt = cap(x.t + x.fix);
      versions.push(makeInspection({ ...base, version: 2, status: 'rectified', rectifiedAt: at(fixedAt) }, fixedAt));
      final = { ...final, fixedAt };
    }
    finals.push({ kind: 'inspection', ...final });
  });
  return { versions, finals };
}

/** DOMAIN.md's definitions, applied directly to final states. */
function bruteForce(finals: Array<{ kind: string } & FinalState>, from: number, to: number) {
  const inP = (v: unknown) => typeof v === 'number' && v >= from && v < to;
  const cases = finals.filter((f) => f.kind === 'case');
  const tickets = finals.filter((f) => f.kind === 'ticket');
  const insps = finals.filter((f) => f.kind === 'inspection');
  const reported = cases.filter((c) => inP(c.reportedAt));
  const closed = cases.filter((c) => c.status === 'closed' && inP(c.closedAt));
  const tClosed = tickets.filter((t) => t.status === 'closed' && inP(t.closedAt));
  const rated = tClosed.filter((t) => t.sat);
  const fcDue = tickets.filter((t) => inP(t.fcDue));
  const done = insps.filter((x) => inP(x.inspectedAt));
  const rectDue = insps.filter((x) => x.fail && inP(x.deadline));
  const byArea = new Map<string, number>();
  for (const c of reported) byArea.set(town.areaOf(c.nb as string)!, (byArea.get(town.areaOf(c.nb as string)!) ?? 0) + 1);
  return {
    kpis: {
      casesNew: reported.length,
      closureRate: ratio(closed.length, reported.length),
      timelyRate: ratio(closed.filter((c) => (c.closedAt as number) <= (c.deadline as number)).length, closed.length),
      smartRate: ratio(reported.filter((c) => c.source === 'smart').length, reported.length),
      inGridRate: ratio(closed.filter((c) => c.level === 'grid').length, closed.length),
      ticketsNew: tickets.filter((t) => inP(t.receivedAt)).length,
      ticketOnTimeRate: ratio(tClosed.filter((t) => (t.closedAt as number) <= (t.dueAt as number)).length, tClosed.length),
      satisfactionRate: ratio(rated.filter((t) => t.sat !== 'unsatisfied').length, rated.length),
      firstContactRate: ratio(fcDue.filter((t) => t.contactAt !== undefined && (t.contactAt as number) <= (t.fcDue as number)).length, fcDue.length),
      inspectionsDone: done.length,
      issueRate: ratio(done.filter((x) => x.fail).length, done.length),
      rectifyRate: ratio(rectDue.filter((x) => x.fixedAt !== undefined && (x.fixedAt as number) <= (x.deadline as number)).length, rectDue.length),
    },
    areas: Object.fromEntries(byArea),
    /** reported in the period and closed (whenever) */
    funnelClosed: reported.filter((c) => c.status === 'closed').length,
  };
}

const closeTo = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) < 1e-9);

describe('range KPIs', () => {
  it('equal a brute-force recomputation over the raw events, for any lifecycles and whole-day ranges', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ cases: fc.array(caseArb, { maxLength: 40 }), tickets: fc.array(ticketArb, { maxLength: 25 }), insps: fc.array(inspArb, { maxLength: 15 }) }),
        fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async (gen, d1, d2, shuffleSeed) => {
          const { versions, finals } = build(gen);
          // Ingest in a random order: late older versions must not change anything.
          const order = versions.map((v, i) => ({ v, k: (i * 2654435761 + shuffleSeed) % 4294967296 })).sort((a, b) => a.k - b.k).map((x) => x.v);
          const s = await startServer({ ALARM_SCAN_MS: '60000' }, manualClock(NOW));
          try {
            for (let i = 0; i < order.length; i += 500) {
              const r = await s.post(order.slice(i, i + 500));
              expect(r.body.results.filter((x: { status: string }) => x.status === 'rejected')).toEqual([]);
            }
            const [a, b] = [Math.min(d1, d2), Math.max(d1, d2)];
            const date = (d: number) => new Date(D0 + d * DAY_MS + 8 * HOUR_MS).toISOString().slice(0, 10);
            const res = await fetch(`${s.url}/api/v1/range?from=${date(a)}&to=${date(b)}`, { headers: { authorization: 'Bearer demo-viewer' } });
            const report = (await res.json()) as RangeReport;
            const expected = bruteForce(finals, D0 + a * DAY_MS, D0 + (b + 1) * DAY_MS);
            for (const [k, v] of Object.entries(expected.kpis))
              expect(closeTo(report.kpis[k as keyof typeof expected.kpis], v), `${k}: ${report.kpis[k as keyof typeof expected.kpis]} ≠ ${v}`).toBe(true);
            expect(Object.fromEntries(report.rankings.area.map((x) => [x.id, x.value]))).toEqual(expected.areas);
            expect(report.funnel.reported).toBe(expected.kpis.casesNew);
            expect(report.funnel.closed).toBe(expected.funnelClosed);
            const prev = bruteForce(finals, D0 + (2 * a - b - 1) * DAY_MS, D0 + a * DAY_MS);
            expect(report.previousKpis.casesNew).toBe(prev.kpis.casesNew);
          } finally {
            await s.stop();
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it('refuses a bad range naming the field, and asks for a screen token', async () => {
    const s = await startServer({}, manualClock(NOW + 12 * HOUR_MS)); // 2026-11-06 12:00
    try {
      const bad = await fetch(`${s.url}/api/v1/range?from=2026-11-05&to=2026-11-01`, { headers: { authorization: 'Bearer demo-viewer' } });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: 'invalid_query', path: 'to' });
      const anon = await fetch(`${s.url}/api/v1/range?preset=7d`);
      expect(anon.status).toBe(401);
      const ok = await fetch(`${s.url}/api/v1/range?preset=7d`, { headers: { authorization: 'Bearer demo-viewer' } });
      const r = (await ok.json()) as RangeReport;
      // 近7天 = today and the six days before, up to now; 环比 = the same span one week earlier.
      expect(r.period).toEqual({ from: '2026-10-31T00:00:00+08:00', to: '2026-11-06T12:00:00+08:00' });
      expect(r.previous).toEqual({ from: '2026-10-24T00:00:00+08:00', to: '2026-10-30T12:00:00+08:00' });
      expect(r.series.bucket).toBe('day');
      expect(r.series.points).toHaveLength(7);
    } finally {
      await s.stop();
    }
  });
});
