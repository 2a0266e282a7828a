import { describe, expect, it } from 'vitest';
import { parseEvent, type IngestEvent, type IngestEventInput } from '../../../shared/src/events';
import { GAUGE_HOUR, contributions, rollupDelta } from '../../../shared/src/kpi/contributions';
import { change, computeKpis, ratio, sumRollups } from '../../../shared/src/kpi/formulas';
import { hourOfIso } from '../../../shared/src/time';
import { BASE_MS, makeCase, makeInspection, makeTicket, next } from '../../support/events';

const geo = { areaOf: (nb: string) => (nb === 'N01' ? 'A1' : undefined) };
const ev = (input: IngestEventInput): IngestEvent => {
  const r = parseEvent(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.event;
};
const H = 3600_000;

/** Replays entity versions through rollupDelta into one counter map, as the store does. */
function replay(versions: IngestEventInput[]) {
  const rows = new Map<string, [number, string, number]>();
  const current = new Map<string, IngestEvent>();
  for (const input of versions) {
    const e = ev(input);
    const before = current.get(e.id);
    if (before && before.version >= e.version) continue;
    for (const [h, k, n] of rollupDelta(before, e, geo)) {
      const id = `${h}|${k}`;
      const row = rows.get(id) ?? [h, k, 0];
      row[2] += n;
      rows.set(id, row);
    }
    current.set(e.id, e);
  }
  return [...rows.values()].filter((r) => r[2] !== 0);
}

describe('KPI formulas', () => {
  it('a rate with a zero denominator is no data, not 0 % or 100 %', () => {
    expect(ratio(0, 0)).toBeNull();
    expect(ratio(3, 4)).toBe(0.75);
    const k = computeKpis(new Map());
    expect(k.closureRate).toBeNull();
    expect(k.satisfactionRate).toBeNull();
    expect(k.casesNew).toBe(0);
  });

  it('computes every rate from its counters', () => {
    const t = new Map<string, number>([
      ['case.new', 200], ['case.closed', 150], ['case.timely', 141], ['case.new|src:smart', 50], ['case.inGrid', 120],
      ['ticket.closed', 80], ['ticket.onTime', 76], ['ticket.rated', 60], ['ticket.satisfied', 57],
      ['ticket.fcDue', 40], ['ticket.fcOnTime', 36], ['insp.done', 40], ['insp.failed', 10], ['insp.rectDue', 8], ['insp.rectOnTime', 6],
    ]);
    expect(computeKpis(t)).toEqual({
      casesNew: 200, closureRate: 0.75, timelyRate: 0.94, smartRate: 0.25, inGridRate: 0.8,
      ticketsNew: 0, ticketOnTimeRate: 0.95, satisfactionRate: 0.95, firstContactRate: 0.9,
      inspectionsDone: 40, issueRate: 0.25, rectifyRate: 0.75,
    });
  });

  it('change against a previous period', () => {
    expect(change(120, 100)).toBeCloseTo(0.2);
    expect(change(5, 0)).toBeNull();
    expect(change(null, 3)).toBeNull();
  });

  it('sums only the hours in [from, to)', () => {
    const rows = [[10, 'a', 1], [11, 'a', 2], [12, 'a', 4], [11, 'b', 7]] as const;
    expect(Object.fromEntries(sumRollups(rows, 11, 12))).toEqual({ a: 2, b: 7 });
  });
});

describe('rollup contributions', () => {
  const c1 = makeCase({ source: 'smart' });
  const reportedHour = hourOfIso(ev(c1).occurredAt);

  it('a reported case counts as new in its hour, by source, category, area, 居民区 and grid, and open now', () => {
    const keys = contributions(ev(c1), geo).map(([h, k]) => `${h === GAUGE_HOUR ? 'now' : h - reportedHour}:${k}`);
    expect(keys).toEqual(expect.arrayContaining([
      '0:case.new', '0:case.new|src:smart', '0:case.new|cat:community', '0:case.new|area:A1', '0:case.new|nb:N01',
      '0:case.new|grid:GC01', 'now:case.open', 'now:case.open|grid:GC01',
    ]));
  });

  it('a full lifecycle nets out to one new, one closed (timely, in grid) and nothing open', () => {
    const closedAt = BASE_MS + 5 * H;
    const rows = replay([
      c1,
      next(c1, 2, BASE_MS + 0.2 * H, { status: 'dispatched' }),
      next(c1, 3, BASE_MS + 1 * H, { status: 'handling' }),
      next(c1, 4, closedAt, { status: 'closed', closedAt: new Date(closedAt).toISOString(), resolvedLevel: 'grid' }),
    ]);
    const t = sumRollups(rows, 0, Number.MAX_SAFE_INTEGER);
    expect(t.get('case.new')).toBe(1);
    expect(t.get('case.closed')).toBe(1);
    expect(t.get('case.timely')).toBe(1);
    expect(t.get('case.inGrid')).toBe(1);
    expect(t.get('case.reached.dispatched')).toBe(1);
    expect(t.get('case.reached.closed')).toBe(1);
    expect(rows.filter(([h]) => h === GAUGE_HOUR)).toEqual([]);
    expect(rows.find(([, k]) => k === 'case.closed')![0]).toBe(reportedHour + 5);
  });

  it('a late close is not timely; an out-of-order older version changes nothing', () => {
    const closedAt = BASE_MS + 30 * H; // deadline is +24 h
    const closed = next(c1, 3, closedAt, { status: 'closed', closedAt: new Date(closedAt).toISOString() });
    const rows = replay([c1, closed, next(c1, 2, BASE_MS + H, { status: 'dispatched' })]);
    const t = sumRollups(rows, 0, Number.MAX_SAFE_INTEGER);
    expect(t.get('case.closed')).toBe(1);
    expect(t.get('case.timely')).toBeUndefined();
  });

  it('tickets: on-time close, satisfaction and first contact', () => {
    const t0 = makeTicket();
    const rows = replay([
      t0,
      next(t0, 2, BASE_MS + H, { status: 'contacted', firstContactAt: new Date(BASE_MS + H).toISOString() }),
      next(t0, 3, BASE_MS + 20 * H, { status: 'closed', firstContactAt: new Date(BASE_MS + H).toISOString(), closedAt: new Date(BASE_MS + 20 * H).toISOString(), satisfaction: 'basic' }),
    ]);
    const k = computeKpis(sumRollups(rows, 0, Number.MAX_SAFE_INTEGER));
    expect(k.ticketsNew).toBe(1);
    expect(k.ticketOnTimeRate).toBe(1);
    expect(k.satisfactionRate).toBe(1);
    expect(k.firstContactRate).toBe(1);
  });

  it('inspections: a failed check is an issue found and a rectification due', () => {
    const i0 = makeInspection();
    const done = new Date(BASE_MS + 48 * H).toISOString();
    const rows = replay([i0, next(i0, 2, BASE_MS + 48 * H, { status: 'rectified', rectifiedAt: done })]);
    const k = computeKpis(sumRollups(rows, 0, Number.MAX_SAFE_INTEGER));
    expect(k.inspectionsDone).toBe(1);
    expect(k.issueRate).toBe(1);
    expect(k.rectifyRate).toBe(1);
  });
});
