// The group commit: callers arriving during a commit share the next one; at most `concurrency`
// commits run at once; each caller gets its own items' results; close() waits for every commit in
// flight and commits what is queued; a full queue refuses (OverloadedError); a commit's `after` (the
// fan-out) waits for its callers' answers and the start of the next commit.
import { describe, expect, it, vi } from 'vitest';
import { OverloadedError } from '../../../server/src/store/errors';
import { createGroupCommit } from '../../../server/src/store/groupCommit';

/** A commit that waits until released, recording what each commit held and how many ran at once. */
function gatedCommits() {
  const batches: number[][] = [];
  const gates: Array<() => void> = [];
  let running = 0;
  let most = 0;
  return {
    batches, gates, most: () => most,
    async commit(items: number[]) {
      batches.push(items);
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running -= 1;
      return { results: items.map((x) => x * 10) };
    },
  };
}
/** Lets promise callbacks and the scheduled start of the next commit run. */
const tick = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('group commit', () => {
  it('runs one commit at a time by default, the next gathering what arrived meanwhile', async () => {
    const c = gatedCommits();
    const group = createGroupCommit({ commit: (xs: number[]) => c.commit(xs), maxQueued: 100 });
    const first = group.submit([1, 2]);
    await tick();
    const second = group.submit([3]);
    const third = group.submit([4, 5]);
    await tick();
    expect(c.batches).toEqual([[1, 2]]);
    c.gates.shift()!();
    expect(await first).toEqual([10, 20]);
    await tick();
    expect(c.batches).toEqual([[1, 2], [3, 4, 5]]);
    c.gates.shift()!();
    expect(await second).toEqual([30]);
    expect(await third).toEqual([40, 50]);
    expect(c.most()).toBe(1);
  });

  it('keeps up to `concurrency` commits in flight, finishing in either order', async () => {
    const c = gatedCommits();
    const group = createGroupCommit({ commit: (xs: number[]) => c.commit(xs), maxQueued: 100, concurrency: 2 });
    const a = group.submit([1]);
    await tick();
    const b = group.submit([2]);
    await tick();
    const d = group.submit([3]);
    await tick();
    expect(c.batches).toEqual([[1], [2]]); // the third waits for a free slot
    c.gates[1]!(); // the second finishes first
    expect(await b).toEqual([20]);
    await tick();
    expect(c.batches).toEqual([[1], [2], [3]]);
    const closing = group.close();
    c.gates[0]!();
    c.gates[2]!();
    await closing;
    expect(await a).toEqual([10]);
    expect(await d).toEqual([30]);
    expect(c.most()).toBe(2);
    await expect(group.submit([9])).rejects.toThrow('store is closed');
  });

  it('refuses beyond maxQueued waiting items, and close() commits what is queued', async () => {
    const c = gatedCommits();
    const group = createGroupCommit({ commit: (xs: number[]) => c.commit(xs), maxQueued: 3 });
    const first = group.submit([1, 2, 3]);
    await tick();
    const queued = group.submit([4, 5, 6]);
    await expect(group.submit([7])).rejects.toBeInstanceOf(OverloadedError);
    const closing = group.close();
    c.gates.shift()!();
    await tick();
    c.gates.shift()!();
    await closing;
    expect(await first).toEqual([10, 20, 30]);
    expect(await queued).toEqual([40, 50, 60]);
    expect(c.batches).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it("runs a commit's `after` once its callers are answered and the next commit has started", async () => {
    const order: string[] = [];
    const gates: Array<() => void> = [];
    const group = createGroupCommit({
      maxQueued: 100,
      async commit(xs: number[]) {
        order.push(`commit ${xs.join()}`);
        await new Promise<void>((resolve) => gates.push(resolve));
        return { results: xs, after: () => void order.push(`after ${xs.join()}`) };
      },
    });
    const first = group.submit([1]).then(() => order.push('answered 1'));
    await tick();
    const second = group.submit([2, 3]).then(() => order.push('answered 2,3'));
    gates.shift()!();
    await first;
    await tick();
    expect(order).toEqual(['commit 1', 'answered 1', 'commit 2,3', 'after 1']);
    gates.shift()!();
    await second;
    await tick();
    expect(order).toEqual(['commit 1', 'answered 1', 'commit 2,3', 'after 1', 'answered 2,3', 'after 2,3']);
  });

  it('reports an `after` that throws, and goes on committing', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const group = createGroupCommit({
        maxQueued: 100,
        commit: async (xs: number[]) => ({ results: xs, after: () => { if (xs[0] === 1) throw new Error('seq 5 does not follow 3'); } }),
      });
      expect(await group.submit([1])).toEqual([1]);
      await tick();
      expect(errors).toHaveBeenCalledWith('[store] after a commit:', 'seq 5 does not follow 3');
      expect(await group.submit([2])).toEqual([2]);
    } finally {
      errors.mockRestore();
    }
  });
});
