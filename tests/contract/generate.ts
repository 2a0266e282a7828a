// A seeded random town log for the contract tests: entities of the three streams at several places,
// each with a few versions around one day (some before it, some during, some after), sent in a
// shuffled order (late older versions) with some repeats (duplicates), some moving place.
import { parseEvent, type IngestEvent, type IngestEventInput } from '#shared/events';
import { HOUR_MS, shanghaiDayStart, toShanghaiIso } from '#shared/time';
import type { Town } from '../../server/src/geo/town';
import { mulberry32 } from '../../server/src/sim/random';
import { BASE_MS, makeCase, makeInspection, makeTicket, next } from '../support/events';

/** The replayed day: 2026-11-21 (Asia/Shanghai). */
export const DAY0 = shanghaiDayStart(BASE_MS);

/** The simulator's seeded generator (mulberry32). */
export const seeded = mulberry32;

export function toEvent(input: IngestEventInput): IngestEvent {
  const r = parseEvent(input);
  if (!r.ok) throw new Error(`invalid test event: ${JSON.stringify(r.errors)}`);
  return r.event;
}

const at = toShanghaiIso;

/** Every version of `entities` entities, in the order they were made (per entity, by version). */
export function townVersions(town: Town, entities: number, seed: number): IngestEvent[] {
  const r = seeded(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const nbs = town.neighbourhoodIds.slice(0, 6);
  const where = () => {
    const nb = pick(nbs);
    return { lng: 121.358, lat: 31.203, neighbourhoodId: nb, gridId: town.communityGridOf(nb)! };
  };
  // every instant unique to the second (ISO times have seconds): orders by time have no ties
  const used = new Set<number>();
  const unique = (ms: number) => {
    let t = Math.floor(ms / 1000) * 1000;
    while (used.has(t)) t += 1000;
    used.add(t);
    return t;
  };
  const out: IngestEvent[] = [];
  for (let i = 0; i < entities; i++) {
    const t0 = unique(DAY0 - 6 * HOUR_MS + Math.floor(r() * 36 * HOUR_MS));
    const kind = (['case', 'ticket', 'inspection'] as const)[i % 3]!;
    const id = `${kind.slice(0, 2).toUpperCase()}-G${seed}-${i}`;
    let loc = where();
    const urgent = r() < 0.15;
    const due = unique(t0 + Math.floor((1 + r() * 30) * HOUR_MS));
    const n = 1 + Math.floor(r() * 4);
    let t = t0;
    let e: IngestEventInput;
    const steps: Array<(tMs: number) => Record<string, unknown>> = [];
    if (kind === 'case') {
      e = makeCase({ id, urgent, location: loc, deadline: at(due), address: `淞五居民区 ${i}号` }, t0);
      const statuses = ['accepted', 'dispatched', 'handling', 'feedback', 'closed'];
      let k = -1;
      for (let v = 2; v <= n; v++) {
        k = Math.min(statuses.length - 1, k + 1 + Math.floor(r() * 2));
        const status = statuses[k]!;
        steps.push((tMs) => ({
          status, ...(k >= 3 ? { handledAt: at(tMs) } : {}), ...(status === 'closed' ? { closedAt: at(tMs), resolvedLevel: pick(['grid', 'town']) } : {}),
        }));
      }
    } else if (kind === 'ticket') {
      e = makeTicket({ id, urgent, location: loc, dueAt: at(due), firstContactDueAt: at(t0 + 2 * HOUR_MS), address: `剑河路 ${i}号` }, t0);
      const statuses = ['assigned', 'contacted', 'replied', 'closed'];
      let k = -1;
      for (let v = 2; v <= n; v++) {
        k = Math.min(statuses.length - 1, k + 1 + Math.floor(r() * 2));
        const status = statuses[k]!;
        steps.push((tMs) => ({
          status, ...(k >= 1 ? { firstContactAt: at(tMs) } : {}), ...(k >= 2 ? { repliedAt: at(tMs) } : {}),
          ...(status === 'closed' ? { closedAt: at(tMs), satisfaction: pick(['satisfied', 'basic', 'unsatisfied']) } : {}),
        }));
      }
    } else {
      e = makeInspection({ id, urgent, location: loc, status: 'rectifying', rectifyDeadline: at(due), address: `甘溪路 ${i}号` }, t0);
      for (let v = 2; v <= Math.min(n, 2); v++) steps.push((tMs) => ({ status: 'rectified', rectifiedAt: at(tMs) }));
    }
    out.push(toEvent(e));
    steps.forEach((step, j) => {
      t = unique(t + Math.floor((0.2 + r() * 6) * HOUR_MS));
      if (r() < 0.15) loc = where(); // a corrected place: the delta is written out in full
      e = next(e, j + 2, t, { ...step(t), location: loc });
      out.push(toEvent(e));
    });
  }
  return out;
}

/** The versions shuffled (late older versions), with about one in twenty sent twice. */
export function arrivalOrder(versions: readonly IngestEvent[], seed: number): IngestEvent[] {
  const r = seeded(seed);
  const out = [...versions];
  for (const v of versions) if (r() < 0.05) out.push(v);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Cuts items into calls of 1..maxSize items. */
export function calls<T>(items: readonly T[], maxSize: number, seed: number): T[][] {
  const r = seeded(seed);
  const out: T[][] = [];
  for (let i = 0; i < items.length;) {
    const n = 1 + Math.floor(r() * maxSize);
    out.push(items.slice(i, i + n));
    i += n;
  }
  return out;
}
