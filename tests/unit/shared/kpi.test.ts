// The counter model (shared/src/model): what one entity state contributes at its four places, the
// compact changes streamed and stored (rollupDelta / expandDelta), the figures computed from summed
// counters, and the periods of 环比 (shared/src/range.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEvent, type IngestEvent, type IngestEventInput } from '#shared/events';
import { cohortInstant, contributions, expandDelta, rollupDelta } from '#shared/model/contributions';
import { Counters } from '#shared/model/counters';
import { change, computeFigures, ratio, sumRows } from '#shared/model/figures';
import { GAUGE_HOUR, counterKey, splitKey, type Contribution } from '#shared/model/keys';
import { placeTree } from '#shared/model/places';
import { periodHours, previousPeriod, resolveRange } from '#shared/range';
import { DAY_MS, HOUR_MS, hourOf, shanghaiMidnight, toShanghaiIso } from '#shared/time';
import { loadTown } from '../../../server/src/geo/town';
import { bruteFigures, statesOf } from '../../support/bruteForce';
import { BASE_MS, makeCase, makeInspection, makeTicket, next } from '../../support/events';

const town = loadTown();
const tree = placeTree(town.geo);
const H = HOUR_MS;
const at = toShanghaiIso;
const h0 = hourOf(BASE_MS); // 2026-11-21 09:00, when the test entities start
const ev = (input: IngestEventInput): IngestEvent => {
  const r = parseEvent(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.event;
};
/** Contributions as `hour-offset:key` (`now:` for the gauges), sorted. */
const labels = (list: ReadonlyArray<Contribution>) =>
  list.map(([h, k]) => `${h === GAUGE_HOUR ? 'now' : h - h0}:${k}`).sort();
/** A metric at the four places of N01 (town, 片区 A1, 居民区 N01, grid GC01), as `hour-offset:key`. */
const at4 = (offset: number | 'now', metric: string) => [`${offset}:${metric}`, `${offset}:${metric}@A1`, `${offset}:${metric}@N01`, `${offset}:${metric}@GC01`];
/** Signed counts per `hour|key`, zeros dropped: the net of a delta or of contributions. */
function net(parts: Array<[ReadonlyArray<readonly [number, string, number?]>, number]>): Map<string, number> {
  const m = new Map<string, number>();
  for (const [list, sign] of parts)
    for (const [h, k, n = 1] of list) {
      const id = `${h}|${k}`;
      const v = (m.get(id) ?? 0) + sign * n;
      if (v === 0) m.delete(id);
      else m.set(id, v);
    }
  return new Map([...m].sort(([a], [b]) => a.localeCompare(b)));
}

describe('counter keys', () => {
  it('town keys carry no place; every other place is a suffix', () => {
    expect(counterKey('case.new', 'town')).toBe('case.new');
    expect(counterKey('case.new|src:smart', 'A2')).toBe('case.new|src:smart@A2');
    expect(splitKey('case.new|src:smart@A2')).toEqual(['case.new|src:smart', 'A2']);
    expect(splitKey('case.new|grid:GC01@N01')).toEqual(['case.new|grid:GC01', 'N01']);
    expect(splitKey('ticket.open')).toEqual(['ticket.open', 'town']);
  });
});

describe('contributions of one state', () => {
  const c1 = makeCase({ source: 'smart' }); // N01 (片区 A1, grid GC01), reported 09:00, deadline +24 h

  it('a case closed on time: new, funnel and its due cohort at all four places, in the closing hour', () => {
    // the closing version happens when it closes (a closedAt after the version's own time is refused)
    const closed = ev(next(c1, 4, BASE_MS + 5 * H + 20 * 60_000, {
      status: 'closed', handledAt: at(BASE_MS + 4 * H), closedAt: at(BASE_MS + 5 * H + 20 * 60_000), resolvedLevel: 'grid',
    }));
    expect(labels(contributions(closed, town))).toEqual([
      ...at4(0, 'case.new'), ...at4(0, 'case.new|src:smart'), ...at4(0, 'case.new|cat:community'), '0:case.new|grid:GC01@N01',
      ...at4(0, 'case.reached.dispatched'), ...at4(0, 'case.reached.handling'), ...at4(0, 'case.reached.closed'),
      // closed before the deadline: due when it closed (14:20 → hour +5), not at the deadline (+24)
      ...at4(5, 'case.due'), ...at4(5, 'case.closed'), ...at4(5, 'case.onTime'), ...at4(5, 'case.inGrid'), ...at4(5, 'case.timely'),
    ].sort());
  });

  it('a late close falls in the deadline\'s hour: closed, not on time; handled in time is still timely', () => {
    const late = ev(next(c1, 4, BASE_MS + 30 * H, { status: 'closed', handledAt: at(BASE_MS + 20 * H), closedAt: at(BASE_MS + 30 * H) }));
    const l = labels(contributions(late, town));
    expect(l).toEqual(expect.arrayContaining([...at4(24, 'case.due'), ...at4(24, 'case.closed'), ...at4(24, 'case.timely')]));
    expect(l.filter((k) => k.includes('onTime') || k.includes('inGrid'))).toEqual([]);
    expect(l.filter((k) => k.includes('case.due'))).toHaveLength(4); // once per place, in one hour only
  });

  it('closing exactly at the deadline is on time', () => {
    const e = ev(next(c1, 4, BASE_MS + 24 * H, { status: 'closed', closedAt: at(BASE_MS + 24 * H) }));
    expect(labels(contributions(e, town)).filter((k) => k.startsWith('24:case.onTime'))).toHaveLength(4);
  });

  it('an open case is due at its deadline and open now, at every place', () => {
    const l = labels(contributions(ev(c1), town));
    expect(l).toEqual([
      ...at4(0, 'case.new'), ...at4(0, 'case.new|src:smart'), ...at4(0, 'case.new|cat:community'), '0:case.new|grid:GC01@N01',
      ...at4(24, 'case.due'), ...at4('now', 'case.open'),
    ].sort());
  });

  it.each(['voided', 'returned'])('a %s case still counts as new but is never due, closed or open', (status) => {
    const l = labels(contributions(ev(next(c1, 2, BASE_MS + H, { status })), town));
    expect(l.filter((k) => k.startsWith('0:case.new'))).toHaveLength(13);
    expect(l.filter((k) => !k.startsWith('0:case.new'))).toEqual([]);
  });

  it('rework counts in the due cohort', () => {
    const e = ev(next(c1, 5, BASE_MS + 6 * H, { status: 'closed', closedAt: at(BASE_MS + 6 * H), reworkCount: 2 }));
    expect(labels(contributions(e, town)).filter((k) => k.includes('reworked'))).toEqual(at4(6, 'case.reworked').sort());
  });

  it('the cohort instant is the completion when on or before the due time, else the due time', () => {
    const due = '2026-11-22T09:00:00+08:00';
    expect(cohortInstant(due, undefined)).toBe(due);
    expect(cohortInstant(due, '2026-11-21T15:00:00+08:00')).toBe('2026-11-21T15:00:00+08:00');
    expect(cohortInstant(due, due)).toBe(due);
    expect(cohortInstant(due, '2026-11-23T09:00:00+08:00')).toBe(due);
  });

  it('a ticket: first contact in its hour, on-time close and satisfaction in the closing hour', () => {
    const t = ev(next(makeTicket({ repeatOf: 'RX-T-0000' }), 3, BASE_MS + 20 * H, {
      status: 'closed', firstContactAt: at(BASE_MS + H + 60_000), closedAt: at(BASE_MS + 20 * H), satisfaction: 'basic',
    }));
    const town4 = labels(contributions(t, town)).filter((k) => !k.includes('@'));
    expect(town4).toEqual([
      '0:ticket.new', '0:ticket.new|topic:噪音扰民', '0:ticket.new|type:complaint', '0:ticket.repeat',
      '1:ticket.fcDue', '1:ticket.fcOnTime', '20:ticket.due', '20:ticket.onTime', '20:ticket.rated', '20:ticket.satisfied',
    ].sort());
    const late = ev(next(makeTicket(), 3, BASE_MS + 6 * DAY_MS, { status: 'closed', closedAt: at(BASE_MS + 6 * DAY_MS), satisfaction: 'unsatisfied' }));
    const l = labels(contributions(late, town)).filter((k) => !k.includes('@'));
    expect(l).toEqual(['0:ticket.new', '0:ticket.new|topic:噪音扰民', '0:ticket.new|type:complaint', '120:ticket.due', '144:ticket.rated', '2:ticket.fcDue'].sort());
  });

  it('an inspection that failed: done and failed by campaign, its rectification due when rectified; rectifying is a gauge', () => {
    const i0 = makeInspection();
    const fixed = ev(next(i0, 2, BASE_MS + 48 * H, { status: 'rectified', rectifiedAt: at(BASE_MS + 48 * H) }));
    expect(labels(contributions(fixed, town)).filter((k) => !k.includes('@'))).toEqual([
      '0:insp.done', '0:insp.done|campaign:sewage', '0:insp.failed', '0:insp.failed|campaign:sewage', '48:insp.rectDue', '48:insp.rectOnTime',
    ].sort());
    const rectifying = ev(next(i0, 2, BASE_MS + H, { status: 'rectifying' }));
    expect(labels(contributions(rectifying, town)).filter((k) => k.startsWith('now:'))).toEqual(at4('now', 'insp.rectifying').sort());
  });
});

describe('rollupDelta and expandDelta', () => {
  const c1 = makeCase();
  const reported = ev(c1);
  const closed = ev(next(c1, 3, BASE_MS + 5 * H, { status: 'closed', closedAt: at(BASE_MS + 5 * H), resolvedLevel: 'grid' }));

  it('a new entity: compact `@*` keys, a quarter of the size, expanding to its contributions', () => {
    const delta = rollupDelta(undefined, reported, town);
    const full = contributions(reported, town);
    expect(delta.every(([, k, n]) => n === 1 && (k.endsWith('@*') || k === 'case.new|grid:GC01@N01'))).toBe(true);
    expect(delta).toHaveLength(6);
    expect(full).toHaveLength(21);
    expect(net([[expandDelta(delta, reported, town), 1]])).toEqual(net([[full, 1]]));
  });

  it('a lifecycle step: only what changed, equal after expansion to contributions(after) − contributions(before)', () => {
    const delta = rollupDelta(reported, closed, town);
    const d = new Map(delta.map(([h, k, n]) => [`${h - h0}|${k}`, n]));
    expect(d.get('24|case.due@*')).toBe(-1); // the cohort moves from the deadline …
    expect(d.get('5|case.due@*')).toBe(1); // … to the closing hour
    expect(d.get(`${GAUGE_HOUR - h0}|case.open@*`)).toBe(-1);
    expect(d.get('5|case.onTime@*')).toBe(1);
    expect(d.get('0|case.reached.closed@*')).toBe(1);
    expect([...d.keys()].some((k) => k.includes('case.new'))).toBe(false); // unchanged: not in the delta
    expect(net([[expandDelta(delta, closed, town), 1]])).toEqual(net([[contributions(closed, town), 1], [contributions(reported, town), -1]]));
    expect(rollupDelta(closed, closed, town)).toEqual([]);
  });

  it('an entity moving place gets an expanded delta: out of the old places, into the new ones', () => {
    const moved = ev(next(c1, 2, BASE_MS + H, { status: 'dispatched', location: { lng: 121.35, lat: 31.21, gridId: 'GC09', neighbourhoodId: 'N09' } }));
    expect(town.areaOf('N09')).toBe('A2');
    const delta = rollupDelta(reported, moved, town);
    expect(delta.some(([, k]) => k.includes('@*'))).toBe(false);
    expect(expandDelta(delta, moved, town)).toBe(delta);
    const d = new Map(delta.map(([h, k, n]) => [`${h - h0}|${k}`, n]));
    for (const [from, to] of [['A1', 'A2'], ['N01', 'N09'], ['GC01', 'GC09']]) {
      expect(d.get(`0|case.new@${from}`)).toBe(-1);
      expect(d.get(`0|case.new@${to}`)).toBe(1);
      expect(d.get(`${GAUGE_HOUR - h0}|case.open@${from}`)).toBe(-1);
      expect(d.get(`${GAUGE_HOUR - h0}|case.open@${to}`)).toBe(1);
    }
    expect(d.get('0|case.new|grid:GC01@N01')).toBe(-1);
    expect(d.get('0|case.new|grid:GC09@N09')).toBe(1);
    expect(d.has('0|case.new')).toBe(false); // still in the town
    expect(d.get('0|case.reached.dispatched')).toBe(1);
    expect(net([[delta, 1]])).toEqual(net([[contributions(moved, town), 1], [contributions(reported, town), -1]]));
  });
});

describe('computeFigures', () => {
  it('zero denominators are no data; every breakdown lists its vocabulary', () => {
    const f = computeFigures(() => 0, 'town', null);
    expect(Object.values(f.counts).every((n) => n === 0)).toBe(true);
    expect(Object.values(f.rates).every((r) => r === null)).toBe(true);
    expect(f.breakdowns.source.map((s) => s.id)).toEqual(['patrol', 'smart', 'wecom', 'hotline', 'police110', 'inspection']);
    expect(f.children).toBeNull();
    expect(ratio(0, 0)).toBeNull();
    expect(ratio(3, 4)).toBe(0.75);
  });

  it('reads the place\'s own keys, rates as pairs of them, and the 片区\'s 居民区 as places', () => {
    const c: Record<string, number> = {
      'case.new': 99, 'case.new@A1': 10, 'case.new|src:smart@A1': 4, 'case.due@A1': 8, 'case.closed@A1': 6, 'case.onTime@A1': 5,
      'case.inGrid@A1': 3, 'ticket.new@A1': 2, 'case.new@N01': 6, 'case.new@N02': 4, 'ticket.new@N01': 2, 'insp.done|campaign:garbage@A1': 7,
    };
    const f = computeFigures((k) => c[k] ?? 0, 'A1', tree.children('A1'));
    expect(f.counts).toMatchObject({ casesNew: 10, casesDue: 8, casesClosed: 6, casesOnTime: 5, casesSmart: 4, ticketsNew: 2 });
    expect(f.rates).toMatchObject({ closure: 0.75, onTime: 0.625, smart: 0.4, inGrid: 0.5, timely: 0, ticketOnTime: null, satisfaction: null });
    expect(f.breakdowns.campaign.find((b) => b.id === 'garbage')!.value).toBe(7);
    expect(f.children!.level).toBe('neighbourhood');
    expect(f.children!.items.map((i) => i.id)).toEqual(tree.neighbourhoodsOf('A1'));
    expect(f.children!.items.slice(0, 3)).toEqual([
      { id: 'N01', case: 6, ticket: 2, inspection: 0 }, { id: 'N02', case: 4, ticket: 0, inspection: 0 }, { id: 'N03', case: 0, ticket: 0, inspection: 0 },
    ]);
  });

  it('ranks a 居民区\'s grids by its own `|grid:` breakdown, not by the grids\' totals', () => {
    const grids = tree.gridsOf('N01');
    expect(grids[0]).toBe('GC01'); // the community grid first
    const c: Record<string, number> = { 'case.new|grid:GC01@N01': 3, 'case.new@GC01': 99, 'insp.done|grid:GC01@N01': 1 };
    const f = computeFigures((k) => c[k] ?? 0, 'N01', tree.children('N01'));
    expect(f.children!.level).toBe('grid');
    expect(f.children!.items.map((i) => i.id)).toEqual(grids); // with the street/extended grids overlapping it
    expect(f.children!.items[0]).toEqual({ id: 'GC01', case: 3, ticket: 0, inspection: 1 });
    expect(computeFigures((k) => c[k] ?? 0, 'GC01', tree.children('GC01')).children).toBeNull();
  });

  it('sums only the hours in [from, to)', () => {
    const rows = [[10, 'a', 1], [11, 'a', 2], [12, 'a', 4], [11, 'b', 7]] as const;
    expect(Object.fromEntries(sumRows(rows, 11, 12))).toEqual({ a: 2, b: 7 });
  });
});

describe('figures from streamed changes equal a count entity by entity (random lifecycles, any order)', () => {
  const D0 = shanghaiMidnight('2026-11-20');
  const NBS = ['N01', 'N05', 'N09', 'N20', 'N27'];
  const loc = (i: number) => ({ lng: 121.36, lat: 31.2, gridId: town.communityGridOf(NBS[i % NBS.length]!)!, neighbourhoodId: NBS[i % NBS.length]! });
  const PLACES = ['town', ...new Set(NBS.flatMap((nb) => [town.areaOf(nb)!, nb, town.communityGridOf(nb)!]))];
  const minute = fc.integer({ min: 0, max: 2 * 24 * 60 }).map((m) => D0 + m * 60_000);
  const later = fc.integer({ min: 1, max: 40 * 60 }).map((m) => m * 60_000);
  const caseArb = fc.record({
    t: minute, deadline: fc.constantFrom(4, 24), nb: fc.nat(9), moveTo: fc.option(fc.nat(9)), rework: fc.boolean(), smart: fc.boolean(),
    fate: fc.constantFrom('reported', 'dispatched', 'feedback', 'closed', 'closed', 'voided', 'returned'), handle: later, close: later,
  });
  const ticketArb = fc.record({ t: minute, nb: fc.nat(9), contact: fc.option(later), close: fc.option(later), sat: fc.option(fc.constantFrom('satisfied', 'unsatisfied')) });
  const inspArb = fc.record({ t: minute, nb: fc.nat(9), fail: fc.boolean(), fix: fc.option(later) });

  type Value<A> = A extends fc.Arbitrary<infer T> ? T : never;

  /** Every version of every generated lifecycle; some cases are corrected to another place. */
  function versions(cases: Array<Value<typeof caseArb>>, tickets: Array<Value<typeof ticketArb>>, insps: Array<Value<typeof inspArb>>): IngestEvent[] {
    const out: IngestEventInput[] = [];
    cases.forEach((c, i) => {
      const base = { id: `C-${i}`, location: loc(c.nb), source: c.smart ? 'smart' : 'patrol', reportedAt: at(c.t), deadline: at(c.t + c.deadline * H), reworkCount: c.rework ? 1 : 0 };
      out.push(makeCase({ ...base, version: 1 }, c.t));
      if (c.fate === 'voided' || c.fate === 'returned') return void out.push(makeCase({ ...base, version: 2, status: c.fate }, c.t + 60_000));
      if (c.fate === 'reported') return;
      const moved = c.moveTo === null ? base : { ...base, location: loc(c.moveTo) };
      out.push(makeCase({ ...moved, version: 2, status: 'dispatched' }, c.t + 60_000));
      if (c.fate === 'dispatched') return;
      const handledAt = c.t + c.handle;
      out.push(makeCase({ ...moved, version: 3, status: 'feedback', handledAt: at(handledAt) }, handledAt));
      if (c.fate === 'feedback') return;
      const closedAt = Math.max(handledAt, c.t + c.close);
      out.push(makeCase({ ...moved, version: 4, status: 'closed', handledAt: at(handledAt), closedAt: at(closedAt), resolvedLevel: 'grid' }, closedAt));
    });
    tickets.forEach((t, i) => {
      const base = { id: `T-${i}`, location: loc(t.nb), receivedAt: at(t.t), dueAt: at(t.t + DAY_MS), firstContactDueAt: at(t.t + 2 * H) };
      out.push(makeTicket({ ...base, version: 1 }, t.t));
      const contactAt = t.contact === null ? undefined : t.t + t.contact;
      if (contactAt !== undefined) out.push(makeTicket({ ...base, version: 2, status: 'contacted', firstContactAt: at(contactAt) }, contactAt));
      if (t.close === null) return;
      const closedAt = Math.max(contactAt ?? 0, t.t + t.close);
      out.push(makeTicket({ ...base, version: 3, status: 'closed', closedAt: at(closedAt), ...(contactAt ? { firstContactAt: at(contactAt) } : {}), ...(t.sat ? { satisfaction: t.sat } : {}) }, closedAt));
    });
    insps.forEach((s, i) => {
      const base = { id: `I-${i}`, location: loc(s.nb), inspectedAt: at(s.t) };
      if (!s.fail) return void out.push(makeInspection({ ...base, version: 1, outcome: 'pass', status: 'done', rectifyDeadline: undefined, items: [{ name: '台账', result: 'pass' }] }, s.t));
      const fail = { ...base, outcome: 'rectify', rectifyDeadline: at(s.t + 2 * DAY_MS) };
      out.push(makeInspection({ ...fail, version: 1, status: 'rectifying' }, s.t));
      if (s.fix !== null) out.push(makeInspection({ ...fail, version: 2, status: 'rectified', rectifiedAt: at(s.t + s.fix) }, s.t + s.fix));
    });
    return out.map(ev);
  }

  it('every count, rate (within [0, 1]), funnel stage, child and gauge at every place', () => {
    fc.assert(
      fc.property(
        fc.array(caseArb, { maxLength: 25 }), fc.array(ticketArb, { maxLength: 12 }), fc.array(inspArb, { maxLength: 8 }),
        fc.integer({ min: 0, max: 72 }), fc.integer({ min: 1, max: 72 }), fc.func(fc.integer()),
        (cases, tickets, insps, fromOffset, span, order) => {
          const all = versions(cases, tickets, insps);
          // Arrival in any order; the store applies a version only over an older one, as the server does.
          const arrival = all.map((e, i) => [order(i), i, e] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, , e]) => e);
          const counters = new Counters(hourOf(D0) - 1, hourOf(D0) + 24 * 6);
          const current = new Map<string, IngestEvent>();
          for (const e of arrival) {
            const key = `${e.kind}:${e.id}`;
            const before = current.get(key);
            if (before && before.version >= e.version) continue;
            counters.add(expandDelta(rollupDelta(before, e, town), e, town));
            current.set(key, e);
          }
          const from = hourOf(D0) + fromOffset;
          const to = from + span;
          const sums = counters.sum(from, to);
          const states = statesOf(all);
          for (const place of PLACES) {
            const f = computeFigures((k) => sums.get(k) ?? 0, place, tree.children(place));
            const b = bruteFigures(states, from, to, place, tree);
            expect(f.counts, place).toEqual(b.counts);
            expect(f.rates, place).toEqual(b.rates);
            for (const r of Object.values(f.rates)) expect(r === null || (r >= 0 && r <= 1), `${place}: rate ${r}`).toBe(true);
            const c = f.counts;
            expect(c.casesNew).toBeGreaterThanOrEqual(c.funnelDispatched);
            expect(c.funnelDispatched).toBeGreaterThanOrEqual(c.funnelHandling);
            expect(c.funnelHandling).toBeGreaterThanOrEqual(c.funnelClosed);
            expect(c.casesDue).toBeGreaterThanOrEqual(c.casesClosed);
            expect(c.casesClosed).toBeGreaterThanOrEqual(c.casesOnTime);
            expect(Object.fromEntries((f.children?.items ?? []).map((i) => [i.id, [i.case, i.ticket, i.inspection]]))).toEqual(b.children);
            if (f.children) expect(f.children.items.reduce((s, i) => s + i.case, 0), `children of ${place}`).toBe(c.casesNew);
            const gauge = (m: string) => counters.gauges().get(counterKey(m, place)) ?? 0;
            expect([gauge('case.open'), gauge('ticket.open'), gauge('insp.rectifying')], place).toEqual(b.open);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 30_000);
});

describe('periods and 环比', () => {
  const day = shanghaiMidnight('2026-11-21');
  const iso = (p: { from: number; to: number }) => [at(p.from), at(p.to)];

  it('today at 10:30 compares with yesterday 00:00–10:00 (whole hours only)', () => {
    const today = resolveRange({ preset: 'today' }, day + 10.5 * H);
    expect(iso(today)).toEqual(['2026-11-21T00:00:00+08:00', '2026-11-21T10:30:00+08:00']);
    expect(iso(previousPeriod(today))).toEqual(['2026-11-20T00:00:00+08:00', '2026-11-20T10:00:00+08:00']);
    expect(periodHours(today)).toEqual([hourOf(day), hourOf(day) + 11]); // the hour under way counts in the period
    expect(periodHours(previousPeriod(today))).toEqual([hourOf(day - DAY_MS), hourOf(day - DAY_MS) + 10]);
  });

  it('just after midnight the previous period is empty: no base, not a full hour of yesterday', () => {
    const p = previousPeriod(resolveRange({ preset: 'today' }, day + 13 * 60_000));
    expect(iso(p)).toEqual(['2026-11-20T00:00:00+08:00', '2026-11-20T00:00:00+08:00']);
    const [from, to] = periodHours(p);
    expect(to - from).toBe(0);
  });

  it('whole days compare with the days before; 近7天 with the 7 days before', () => {
    expect(iso(previousPeriod(resolveRange({ preset: 'yesterday' }, day + 10.5 * H)))).toEqual(['2026-11-19T00:00:00+08:00', '2026-11-20T00:00:00+08:00']);
    const week = resolveRange({ preset: '7d' }, day + 10.5 * H);
    expect(iso(week)).toEqual(['2026-11-15T00:00:00+08:00', '2026-11-21T10:30:00+08:00']);
    expect(iso(previousPeriod(week))).toEqual(['2026-11-08T00:00:00+08:00', '2026-11-14T10:00:00+08:00']);
    const custom = resolveRange({ from: '2026-11-01', to: '2026-11-03' }, day + 10.5 * H);
    expect(iso(custom)).toEqual(['2026-11-01T00:00:00+08:00', '2026-11-04T00:00:00+08:00']);
    expect(iso(previousPeriod(custom))).toEqual(['2026-10-29T00:00:00+08:00', '2026-11-01T00:00:00+08:00']);
  });

  it('change: relative for counts, in points for rates, null when not comparable or without a base', () => {
    expect(change(120, 100, 'count')).toBeCloseTo(0.2);
    expect(change(80, 100, 'count')).toBeCloseTo(-0.2);
    expect(change(5, 0, 'count')).toBeNull();
    expect(change(0.8, 0.75, 'rate')).toBeCloseTo(0.05);
    expect(change(0.5, 0, 'rate')).toBe(0.5); // a rate of 0 % is a base
    expect(change(null, 0.5, 'rate')).toBeNull();
    expect(change(0.5, null, 'rate')).toBeNull();
    expect(change(120, 100, 'count', false)).toBeNull();
    expect(change(0.8, 0.75, 'rate', false)).toBeNull();
  });
});
