// A plan made before the seq lock on a snapshot of the store (PostgreSQL, server/src/store/postgres/append.ts),
// moved onto the state found once the lock is held. Commits made in between shift its seqs; the
// entities they stored versions of are planned again, and only those: an item's outcome depends on
// its own entity's state alone (planCommit), so the rest of the plan stands. Pure, and equal to
// planCommit run on the new state (tests/unit/rebasePlan.test.ts compares the two).
import { counterSums, entityKey, planCommit, toCounterRows, type CommitPlan, type EntityLookup, type LogRowData, type PlanInput } from './commitPlan';
import type { AppendResult } from './types';

export interface RebaseTarget {
  /** the last seq committed when the lock was taken */
  lastSeq: number;
  /** entityKey of the batch's entities that commits since the snapshot stored a version of */
  changed: ReadonlySet<string>;
  /** the store's state now, for the changed entities */
  entity: EntityLookup;
  stored: PlanInput['stored'];
}

/** `plan` was made from `input`; the same commit as planned on the state `to`. */
export function rebasePlan(plan: CommitPlan, input: PlanInput, to: RebaseTarget): CommitPlan {
  if (to.changed.size === 0 && to.lastSeq === input.lastSeq) return plan;
  const { items } = input;
  const again = items.map((p) => to.changed.has(entityKey(p.item.event.kind, p.item.event.id)));
  const changedItems = items.filter((_, i) => again[i]);
  // the changed entities' part of the plan as it was, and as it is now
  const was = planCommit({ ...input, items: changedItems, lastSeq: 0 });
  const now = planCommit({ ...input, items: changedItems, lastSeq: 0, entity: to.entity, stored: to.stored });

  const results: AppendResult[] = [];
  const log: LogRowData[] = [];
  const seqOf = { plan: new Map<number, number>(), now: new Map<number, number>() };
  let seq = to.lastSeq;
  let planLog = 0;
  let nowItem = 0;
  let nowLog = 0;
  for (let i = 0; i < items.length; i++) {
    let r = plan.results[i]!;
    let row = r.status === 'stored' ? plan.log[planLog++] : undefined;
    let seqs = seqOf.plan;
    if (again[i]) {
      r = now.results[nowItem++]!;
      row = r.status === 'stored' ? now.log[nowLog++] : undefined;
      seqs = seqOf.now;
    }
    if (r.status !== 'stored') {
      results.push(r);
      continue;
    }
    seq += 1;
    seqs.set(r.seq, seq);
    log.push({ ...row!, stored: { ...row!.stored, seq } });
    results.push({ status: 'stored', seq });
  }

  const entities = [
    ...plan.entities.filter((e) => !to.changed.has(entityKey(e.kind, e.id))).map((e) => ({ ...e, seq: seqOf.plan.get(e.seq)! })),
    ...now.entities.map((e) => ({ ...e, seq: seqOf.now.get(e.seq)! })),
  ];
  // the counters: the plan's, less the changed entities' part as it was, plus that part as it is now
  const sums = counterSums();
  for (const [rows, sign] of [[plan.counters, 1], [was.counters, -1], [now.counters, 1]] as const)
    for (const [hour, full, n] of rows) sums.add(hour, full, sign * n);
  const counters = sums.rows();
  return { results, log, entities, counters, counterRows: toCounterRows(counters), lastSeq: seq };
}
