import { describe, it, expect } from 'vitest';
import { ingestEventSchema, type IngestEvent, type IngestEventInput } from '#shared/events';
import { startedAt } from '#shared/lifecycle';
import { pointInRing } from '#shared/geometry';
import { DAY_MS, HOUR_MS, SHANGHAI_OFFSET_MS, shanghaiMidnight, toShanghaiIso } from '#shared/time';
import { caseCategories } from '#shared/vocab';
import { loadTown } from '../../../server/src/geo/town';
import { CASE_SPAN_MS } from '../../../server/src/sim/case';
import { INSPECTION_SPAN_MS } from '../../../server/src/sim/inspection';
import { iso, sec } from '../../../server/src/sim/lifecycle';
import { eventsBetween, planDay } from '../../../server/src/sim/plan';
import { TICKET_SPAN_MS } from '../../../server/src/sim/ticket';

const town = loadTown();
const DAY0 = shanghaiMidnight('2026-11-20');
const plan = (seed: number, dayOffset = 0, scale = 1) => planDay(town, { seed, scale }, DAY0 + dayOffset * DAY_MS);
const t = (iso: string) => Date.parse(iso);

/** The last version of every entity in a plan. */
function finalStates(events: IngestEventInput[]): IngestEvent[] {
  const last = new Map<string, IngestEvent>();
  for (const e of events) last.set(`${e.kind}:${e.id}`, e as IngestEvent);
  return [...last.values()];
}
const count = (events: IngestEventInput[], kind: string) => new Set(events.filter((e) => e.kind === kind).map((e) => e.id)).size;
const localHour = (ms: number) => Math.floor(((ms + SHANGHAI_OFFSET_MS) % DAY_MS) / HOUR_MS);

describe('planDay', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const fresh = loadTown(); // a second Town instance: nothing comes from the first one's plan cache
    const a = plan(7);
    const b = planDay(fresh, { seed: 7, scale: 1 }, DAY0);
    expect(b).not.toBe(a);
    expect(b).toEqual(a);
    expect(plan(8)).not.toEqual(a);
    expect(plan(7, 1)).not.toEqual(a); // another day is another day
  });

  it('produces only events that pass the ingest schema and match the town', () => {
    const events = plan(7);
    const failures = events.map((e) => ({ e, r: ingestEventSchema.safeParse(e) })).filter((x) => !x.r.success);
    if (failures[0]) console.error('first failure', JSON.stringify(failures[0].e), failures[0].r.error?.issues);
    expect(failures.length).toBe(0);
    for (const e of events) {
      const { lng, lat, neighbourhoodId, compoundId, gridId } = e.location;
      expect(town.hasGrid(gridId), gridId).toBe(true);
      expect(pointInRing([lng, lat], town.ringOf(neighbourhoodId)!), `${e.id} in ${neighbourhoodId}`).toBe(true);
      if (compoundId) {
        expect(town.compoundOwner(compoundId)).toBe(neighbourhoodId);
        expect(pointInRing([lng, lat], town.ringOf(compoundId)!), `${e.id} in ${compoundId}`).toBe(true);
      }
      if (gridId.startsWith('GC')) expect(town.communityGridOf(neighbourhoodId)).toBe(gridId);
      expect(Math.round(lng * 1e6) / 1e6).toBe(lng);
      expect(e.occurredAt).toMatch(/^2026-1[12]-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      if (e.kind === 'case') expect(caseCategories[e.category] as readonly string[]).toContain(e.subcategory);
    }
  });

  it('gives each entity versions 1..n in time order, within its lifecycle span, created on the day', () => {
    const events = plan(3);
    for (let k = 1; k < events.length; k++) {
      const [a, b] = [events[k - 1]!, events[k]!];
      const order = t(a.occurredAt) - t(b.occurredAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : a.version - b.version);
      expect(order).toBeLessThan(0);
    }
    const span = { case: CASE_SPAN_MS, ticket: TICKET_SPAN_MS, inspection: INSPECTION_SPAN_MS };
    const byEntity = new Map<string, IngestEventInput[]>();
    for (const e of events) byEntity.set(`${e.kind}:${e.id}`, [...(byEntity.get(`${e.kind}:${e.id}`) ?? []), e]);
    for (const versions of byEntity.values()) {
      const first = versions[0]!;
      const start = t(startedAt(first as IngestEvent));
      expect(start).toBe(t(first.occurredAt));
      expect(start).toBeGreaterThanOrEqual(DAY0);
      expect(start).toBeLessThan(DAY0 + DAY_MS);
      versions.forEach((v, k) => {
        expect(v.version).toBe(k + 1);
        if (k > 0) expect(t(v.occurredAt)).toBeGreaterThanOrEqual(t(versions[k - 1]!.occurredAt));
        expect(t(v.occurredAt) - start).toBeLessThan(span[v.kind]);
      });
    }
  });

  it('keeps daily counts within DOMAIN ranges (150–300 cases, 100–200 tickets, 30–80 inspections)', () => {
    for (const seed of [1, 2, 3, 42]) {
      for (const day of [0, 1]) {
        const events = plan(seed, day);
        expect(count(events, 'case')).toBeGreaterThanOrEqual(150);
        expect(count(events, 'case')).toBeLessThanOrEqual(300);
        expect(count(events, 'ticket')).toBeGreaterThanOrEqual(100);
        expect(count(events, 'ticket')).toBeLessThanOrEqual(200);
        expect(count(events, 'inspection')).toBeGreaterThanOrEqual(30);
        expect(count(events, 'inspection')).toBeLessThanOrEqual(80);
      }
    }
  });

  it('sends 3–8 % of cases past their deadline and marks 1–3 % urgent', () => {
    const cases = [0, 1, 2, 3].flatMap((d) => finalStates(plan(11, d, 3))).filter((e) => e.kind === 'case');
    expect(cases.length).toBeGreaterThan(2000);
    const overdue = cases.filter((c) =>
      c.status === 'closed' ? t(c.closedAt!) > t(c.deadline) : c.status !== 'returned' && c.status !== 'voided');
    const urgent = cases.filter((c) => c.urgent);
    const rejected = cases.filter((c) => c.status === 'returned' || c.status === 'voided');
    expect(overdue.length / cases.length).toBeGreaterThan(0.03);
    expect(overdue.length / cases.length).toBeLessThan(0.08);
    expect(urgent.length / cases.length).toBeGreaterThan(0.01);
    expect(urgent.length / cases.length).toBeLessThan(0.03);
    expect(rejected.length / cases.length).toBeGreaterThan(0.025);
    expect(rejected.length / cases.length).toBeLessThan(0.06);
    for (const c of urgent) expect(['safety', 'facilities']).toContain(c.category);
    // Both kinds of overdue exist: closed late, and still open.
    expect(overdue.some((c) => c.status === 'closed')).toBe(true);
    expect(overdue.some((c) => c.status !== 'closed')).toBe(true);
    // Source mix: patrol leads, smart second.
    const share = (s: string) => cases.filter((c) => c.kind === 'case' && c.source === s).length / cases.length;
    expect(share('patrol')).toBeGreaterThan(0.4);
    expect(share('patrol')).toBeLessThan(0.5);
    expect(share('smart')).toBeGreaterThan(0.2);
    expect(share('smart')).toBeLessThan(0.3);
  });

  it('stamps handledAt at 反馈 and sends about 4 % of verified cases back once (返工), closing them later', () => {
    const events = [0, 1, 2, 3].flatMap((d) => plan(11, d, 3)).filter((e) => e.kind === 'case');
    const byCase = new Map<string, IngestEvent[]>();
    for (const e of events) byCase.set(e.id, [...(byCase.get(e.id) ?? []), e as IngestEvent]);
    const reworked: IngestEvent[][] = [];
    for (const versions of byCase.values()) {
      let firstFeedback = -1;
      versions.forEach((v, k) => {
        if (v.kind !== 'case') throw new Error('not a case');
        if (v.status === 'feedback' && firstFeedback < 0) firstFeedback = k;
        // Before the first 反馈 nothing is handled; from 反馈 on it is, except while back in handling.
        if (firstFeedback < 0) expect(v.handledAt, `${v.id} v${v.version}`).toBeUndefined();
        if (['feedback', 'verified', 'closed'].includes(v.status)) {
          expect(v.handledAt, `${v.id} v${v.version}`).toBeDefined();
          expect(t(v.handledAt!)).toBeGreaterThanOrEqual(t(v.reportedAt));
          expect(t(v.handledAt!)).toBeLessThanOrEqual(t(v.occurredAt));
          if (v.status === 'closed') expect(t(v.handledAt!)).toBeLessThanOrEqual(t(v.closedAt!));
        }
        if (v.status === 'feedback') expect(v.handledAt).toBe(v.occurredAt);
        if (v.status === 'handling' && v.reworkCount > 0) expect(v.handledAt).toBeUndefined();
        expect([0, 1]).toContain(v.reworkCount);
        if (k > 0) expect(v.reworkCount).toBeGreaterThanOrEqual((versions[k - 1] as typeof v).reworkCount);
      });
      if (versions.at(-1)!.kind === 'case' && (versions.at(-1) as { reworkCount: number }).reworkCount > 0) reworked.push(versions);
    }
    // The rework path: … 反馈 → back to 处置 (reworkCount 1) → 反馈 again with a later handledAt → 核查 → 结案.
    for (const versions of reworked) {
      const statuses = versions.map((v) => v.status);
      const back = statuses.indexOf('feedback') + 1;
      expect(statuses.slice(back - 1), versions[0]!.id).toEqual(['feedback', 'handling', 'feedback', 'verified', 'closed']);
      const [first, redo] = [versions[back - 1]!, versions[back + 1]!];
      if (first.kind !== 'case' || redo.kind !== 'case') throw new Error('not a case');
      expect(first.reworkCount).toBe(0);
      expect(t(redo.handledAt!)).toBeGreaterThan(t(first.handledAt!));
    }
    const finals = finalStates(events).filter((e) => e.kind === 'case');
    const verified = finals.filter((c) => c.status === 'verified' || c.status === 'closed');
    const share = reworked.length / verified.length;
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.05);
    expect(finals.filter((c) => c.kind === 'case' && c.reworkCount > 0).length).toBe(reworked.length); // only closed ones
    // Rework costs time: reworked cases overshoot their deadline far more often than the rest.
    const late = (cs: IngestEvent[]) => cs.filter((c) => c.kind === 'case' && t(c.closedAt!) > t(c.deadline)).length / cs.length;
    const others = verified.filter((c) => c.kind === 'case' && c.reworkCount === 0 && c.status === 'closed');
    expect(late(reworked.map((v) => v.at(-1)!))).toBeGreaterThan(2 * late(others));
  });

  it('plays realistic tickets and inspections: first contact, satisfaction, repeats, campaign targets', () => {
    const events = [0, 1, 2, 3].flatMap((d) => plan(21, d));
    const finals = finalStates(events);
    const tickets = finals.filter((e) => e.kind === 'ticket');
    const share = <T>(xs: T[], p: (x: T) => boolean) => xs.filter(p).length / xs.length;
    expect(share(tickets, (x) => t(x.firstContactAt!) <= t(x.firstContactDueAt))).toBeGreaterThan(0.85);
    expect(share(tickets, (x) => t(x.firstContactAt!) <= t(x.firstContactDueAt))).toBeLessThan(0.95);
    expect(share(tickets, (x) => x.satisfaction === 'satisfied')).toBeGreaterThan(0.74);
    expect(share(tickets, (x) => x.satisfaction === 'unsatisfied')).toBeLessThan(0.1);
    expect(share(tickets, (x) => x.repeatOf !== undefined)).toBeGreaterThan(0.05);
    expect(share(tickets, (x) => x.repeatOf !== undefined)).toBeLessThan(0.11);
    const ticketIds = new Map(tickets.map((x) => [x.id, x]));
    for (const x of tickets) {
      expect(x.callerPhone).toMatch(/^1[3-9]\d{9}$/);
      if (x.repeatOf) expect(t(ticketIds.get(x.repeatOf)!.receivedAt)).toBeLessThanOrEqual(t(x.receivedAt));
    }
    // ~10 % of case descriptions carry a contact's name and mobile, for masking downstream.
    const cases = finals.filter((e) => e.kind === 'case');
    const withPhone = share(cases, (c) => /联系人.(先生|女士)1[3-9]\d{9}/.test(c.description));
    expect(withPhone).toBeGreaterThan(0.06);
    expect(withPhone).toBeLessThan(0.14);

    const inspections = finals.filter((e) => e.kind === 'inspection');
    expect(share(inspections, (x) => x.outcome === 'pass')).toBeGreaterThan(0.62);
    expect(share(inspections, (x) => x.outcome === 'pass')).toBeLessThan(0.85);
    for (const x of inspections) {
      expect(localHour(t(x.inspectedAt))).toBeGreaterThanOrEqual(8); // working hours
      expect(localHour(t(x.inspectedAt))).toBeLessThan(18);
      if (x.outcome === 'rectify') expect(x.items.some((i) => i.result === 'fail')).toBe(true);
      else expect(x.items.every((i) => i.result !== 'fail')).toBe(true);
      if (x.status === 'rectified') expect(x.rectifiedAt).toBeDefined();
    }
    // 污水乱排放 targets sit on 剑河路 between 甘溪路 and 仙霞西路.
    const road = (name: string) => town.geo.roads.features.find((f) => f.properties.name === name)!.geometry.coordinates;
    const jianhe = road('剑河路');
    const crossingLat = (other: string) => jianhe.find((p) => road(other).some((q) => q[0] === p[0] && q[1] === p[1]))![1];
    const [south, north] = [crossingLat('甘溪路'), crossingLat('仙霞西路')].sort((a, b) => a - b) as [number, number];
    const sewage = inspections.filter((x) => x.campaign === 'sewage');
    expect(sewage.length).toBeGreaterThan(5);
    for (const x of sewage) {
      expect(x.target.type).toBe('enterprise');
      expect(x.address).toContain('剑河路');
      expect(x.location.lat).toBeGreaterThan(south);
      expect(x.location.lat).toBeLessThan(north);
      // The road runs north–south there: the point is within ~50 m (0.0005°) of its longitude range.
      const part = jianhe.filter((p) => p[1] >= south && p[1] <= north).map((p) => p[0]);
      expect(x.location.lng).toBeGreaterThan(Math.min(...part) - 0.0005);
      expect(x.location.lng).toBeLessThan(Math.max(...part) + 0.0005);
    }
  });

  it('peaks the hotline at 09–11 and 14–16 against 02–05', () => {
    const perHour = new Array<number>(24).fill(0);
    for (const d of [0, 1, 2]) {
      for (const e of plan(5, d)) if (e.kind === 'ticket' && e.version === 1) perHour[localHour(t(e.receivedAt))]!++;
    }
    const mean = (hours: number[]) => hours.reduce((s, h) => s + perHour[h]!, 0) / hours.length;
    expect(mean([9, 10, 14, 15])).toBeGreaterThan(5 * mean([2, 3, 4]));
    expect(mean([9, 10])).toBeGreaterThan(mean([12]));
  });

  it('scales the load: ×10 gives about ten times the entities, ids unique and longer', () => {
    const one = plan(9);
    const ten = plan(9, 0, 10);
    for (const kind of ['case', 'ticket', 'inspection']) {
      const ratio = count(ten, kind) / count(one, kind);
      expect(ratio, kind).toBeGreaterThan(7);
      expect(ratio, kind).toBeLessThan(13);
    }
    const ids = new Set(ten.filter((e) => e.version === 1).map((e) => `${e.kind}:${e.id}`));
    expect(ids.size).toBe(ten.filter((e) => e.version === 1).length);
    expect(one[0]!.id).toMatch(/^(CS|RX|JC)-20261120-\d{4}$/);
    expect(ten[0]!.id).toMatch(/^(CS|RX|JC)-20261120-\d{5}$/);
  });
});

describe('eventsBetween', () => {
  const cfg = { seed: 4, scale: 1 };
  it('equals the filter of the day plans over a window across midnight', () => {
    const from = DAY0 + 20 * HOUR_MS;
    const to = DAY0 + DAY_MS + 7 * HOUR_MS;
    const expected: IngestEventInput[] = [];
    for (let d = -10; d <= 1; d++) expected.push(...planDay(town, cfg, DAY0 + d * DAY_MS).filter((e) => t(e.occurredAt) >= from && t(e.occurredAt) < to));
    expected.sort((a, b) => t(a.occurredAt) - t(b.occurredAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : a.version - b.version));
    const got = eventsBetween(town, cfg, from, to);
    expect(got.length).toBeGreaterThan(150);
    expect(got).toEqual(expected);
    // Spill-over from earlier days is really there (cases closing, rectifications).
    expect(got.some((e) => !e.id.includes('-20261120-') && !e.id.includes('-20261121-'))).toBe(true);
  });

  it('splits without loss or overlap at any boundary ([from, to) half-open)', () => {
    const a = DAY0 + 9 * HOUR_MS;
    const mid = t(eventsBetween(town, cfg, a, a + HOUR_MS)[10]!.occurredAt); // a boundary exactly on an event
    const whole = eventsBetween(town, cfg, a, a + 2 * HOUR_MS);
    const parts = [...eventsBetween(town, cfg, a, mid), ...eventsBetween(town, cfg, mid, a + 2 * HOUR_MS)];
    expect(parts).toEqual(whole);
    expect(eventsBetween(town, cfg, mid, mid)).toEqual([]);
    expect(eventsBetween(town, cfg, mid, mid + 1).every((e) => t(e.occurredAt) === mid)).toBe(true);
  });
});

describe('iso', () => {
  it('formats like toShanghaiIso to the second, across days, years and midnights', () => {
    const samples = [0, DAY0, DAY0 - 1, DAY0 + 999, DAY0 + DAY_MS - 1, shanghaiMidnight('2028-02-29') + 12_345_678, shanghaiMidnight('2027-01-01') - 1];
    for (let k = 0; k < 2000; k++) samples.push(DAY0 + Math.floor(((k * 7919) % 1000) * 40 * DAY_MS / 1000) + k * 1237);
    for (const ms of samples) expect(iso(ms), String(ms)).toBe(toShanghaiIso(sec(ms)));
  });
});
