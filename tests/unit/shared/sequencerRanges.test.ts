// The Sequencer with the seq ranges batches cover (SeqRange): a screen bound to a place sees only
// some seqs, still exactly once and in order, and still notices a lost batch.
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '#shared/protocol';
import { Sequencer } from '#shared/sequencer';

const ev = (seq: number): StreamEvent => ({ seq, storedAt: '', event: {} as StreamEvent['event'], delta: [] });
const seqs = (r: { fresh: StreamEvent[] }) => r.fresh.map((e) => e.seq);

describe('Sequencer with covered ranges', () => {
  it('takes the seqs of other places inside a range as accounted for, not as gaps', () => {
    const s = new Sequencer();
    s.onSync({ mode: 'snapshot', seq: 10 } as Parameters<Sequencer['onSync']>[0]);
    expect(seqs(s.accept([ev(12), ev(15)], { fromSeq: 11, toSeq: 18 }))).toEqual([12, 15]);
    expect(s.applied).toBe(18);
    expect(s.accept([], { fromSeq: 19, toSeq: 25 })).toEqual({ fresh: [], gap: false }); // nothing of the place
    expect(s.applied).toBe(25);
    expect(s.behind(25)).toBe(false);
    expect(s.behind(26)).toBe(true);
  });

  it('drops repeats: events at or below the applied seq, a range starting before it', () => {
    const s = new Sequencer();
    s.onSync({ mode: 'resume', fromSeq: 20, toSeq: 30, serverTime: '' });
    expect(seqs(s.accept([ev(18), ev(20), ev(23)], { fromSeq: 15, toSeq: 24 }))).toEqual([23]);
    expect(seqs(s.accept([ev(23), ev(26)], { fromSeq: 23, toSeq: 27 }))).toEqual([26]);
    expect(s.applied).toBe(27);
  });

  it('reports a gap when a range starts past the next seq, or an event lies beyond its range', () => {
    const s = new Sequencer();
    s.onSync({ mode: 'resume', fromSeq: 5, toSeq: 5, serverTime: '' });
    expect(s.accept([ev(9)], { fromSeq: 7, toSeq: 9 })).toEqual({ fresh: [], gap: true }); // 6 was never accounted for
    expect(s.accept([ev(6)], { fromSeq: 6, toSeq: 6 }).fresh).toEqual([]); // waiting for the resync's sync
    s.onSync({ mode: 'resume', fromSeq: 5, toSeq: 9, serverTime: '' });
    const r = s.accept([ev(6), ev(11)], { fromSeq: 6, toSeq: 8 });
    expect(r.gap).toBe(true);
    expect(seqs(r)).toEqual([6]);
  });

  it('the town: a range matching its batch behaves as without one', () => {
    const a = new Sequencer();
    const b = new Sequencer();
    for (const s of [a, b]) s.onSync({ mode: 'resume', fromSeq: 0, toSeq: 3, serverTime: '' });
    expect(seqs(a.accept([ev(1), ev(2), ev(3)], { fromSeq: 1, toSeq: 3 }))).toEqual(seqs(b.accept([ev(1), ev(2), ev(3)])));
    expect(a.applied).toBe(b.applied);
  });
});
