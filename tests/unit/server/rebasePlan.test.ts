// A plan made on a snapshot and moved onto a later state (rebasePlan, used by the PostgreSQL commit
// before it takes the seq lock) must equal the plan made on that later state directly: the same
// results, log rows, entity rows and counter sums. Checked over random batches of the simulator's
// events, with commits in between that touch some of the batch's entities (newer versions, late
// older ones, the very versions the batch holds) or none.
import { describe, expect, it } from 'vitest';
import { ingestEventSchema, type IngestEvent } from '#shared/events';
import { shanghaiMidnight } from '#shared/time';
import { loadTown } from '../../../server/src/geo/town';
import { mulberry32 } from '../../../server/src/sim/random';
import { planDay } from '../../../server/src/sim/plan';
import { entityKey, planCommit, prepareItems, type CommitPlan, type PlanInput } from '../../../server/src/store/commitPlan';
import { rebasePlan } from '../../../server/src/store/rebasePlan';

const town = loadTown();
const events: IngestEvent[] = planDay(town, { seed: 5, scale: 1 }, shanghaiMidnight('2026-11-20')).map((e) => ingestEventSchema.parse(e));
const STORED_AT = Date.parse('2026-11-21T12:00:00+08:00');

/** A store as the plans see it: each entity's state, the stored versions and the last seq. */
class State {
  entities = new Map<string, IngestEvent>();
  versions = new Set<string>();
  lastSeq = 0;
  entity = (kind: string, id: string) => this.entities.get(entityKey(kind, id));
  stored = (kind: string, id: string, version: number) => this.versions.has(`${entityKey(kind, id)}\u0000${version}`);
  plan(batch: IngestEvent[]): { input: PlanInput; plan: CommitPlan } {
    const input: PlanInput = {
      items: prepareItems(batch.map((event) => ({ event, source: 'test' })), town), lastSeq: this.lastSeq, storedAt: STORED_AT, geo: town,
      entity: this.entity, stored: this.stored,
    };
    return { input, plan: planCommit(input) };
  }
  apply(plan: CommitPlan) {
    for (const r of plan.log) this.versions.add(`${entityKey(r.stored.event.kind, r.stored.event.id)}\u0000${r.stored.event.version}`);
    for (const e of plan.entities) this.entities.set(entityKey(e.kind, e.id), JSON.parse(e.body) as IngestEvent);
    this.lastSeq = plan.lastSeq;
  }
  copy() {
    const s = new State();
    s.entities = new Map(this.entities);
    s.versions = new Set(this.versions);
    s.lastSeq = this.lastSeq;
    return s;
  }
}

const sorted = <T>(xs: readonly T[]) => [...xs].map((x) => JSON.stringify(x)).sort();

function scenario(seed: number, touch: 'some' | 'none') {
  const rand = mulberry32(seed);
  const pick = (from: number, to: number, n: number) => Array.from({ length: n }, () => events[from + Math.floor(rand() * (to - from))]!);
  const state = new State();
  const history = events.slice(0, 200);
  state.apply(state.plan(history).plan);

  // the batch: later events in order, some repeated, some already stored
  const batch = [...events.slice(200, 260), ...pick(0, 260, 15)].sort(() => rand() - 0.5);
  const { input, plan: draft } = state.plan(batch);
  const batchKeys = new Set(batch.map((e) => entityKey(e.kind, e.id)));

  // commits made between the snapshot and the lock
  const later = state.copy();
  const between = pick(0, events.length, 80).filter((e) => touch === 'some' || !batchKeys.has(entityKey(e.kind, e.id)));
  const { plan: other } = later.plan(between);
  later.apply(other);
  const changed = new Set(other.log.map((r) => entityKey(r.stored.event.kind, r.stored.event.id)).filter((k) => batchKeys.has(k)));

  const rebased = rebasePlan(draft, input, { lastSeq: later.lastSeq, changed, entity: later.entity, stored: later.stored });
  const direct = later.plan(batch).plan;
  return { rebased, direct, changed, draft };
}

describe('rebasePlan', () => {
  it('equals planning on the new state when commits in between touched some of the batch', () => {
    let touched = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { rebased, direct, changed } = scenario(seed, 'some');
      touched += changed.size;
      expect(rebased.results).toEqual(direct.results);
      expect(rebased.log).toEqual(direct.log);
      expect(rebased.lastSeq).toBe(direct.lastSeq);
      expect(sorted(rebased.entities)).toEqual(sorted(direct.entities));
      expect(sorted(rebased.counters)).toEqual(sorted(direct.counters));
      expect(sorted(rebased.counterRows)).toEqual(sorted(direct.counterRows));
    }
    expect(touched).toBeGreaterThan(40); // the scenarios did move entities of the batch
  });

  it('only shifts the seqs when the commits in between touched none of the batch', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { rebased, direct, changed, draft } = scenario(seed, 'none');
      expect(changed.size).toBe(0);
      expect(rebased.lastSeq - draft.lastSeq).toBeGreaterThan(0);
      expect(rebased.results).toEqual(direct.results);
      expect(rebased.log).toEqual(direct.log);
      expect(sorted(rebased.entities)).toEqual(sorted(direct.entities));
      expect(sorted(rebased.counters)).toEqual(sorted(direct.counters));
    }
  });
});
