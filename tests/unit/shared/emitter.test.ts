import { describe, expect, it } from 'vitest';
import { Emitter } from '#shared/emitter';

/** An emitter whose listeners' errors are collected. */
function make<A extends unknown[]>() {
  const errors: unknown[] = [];
  return { emitter: new Emitter<A>((err) => errors.push(err)), errors };
}

describe('Emitter', () => {
  it('calls every listener with the arguments, in subscription order', () => {
    const { emitter, errors } = make<[number, string]>();
    const calls: string[] = [];
    emitter.subscribe((n, s) => calls.push(`a${n}${s}`));
    emitter.subscribe((n, s) => calls.push(`b${n}${s}`));
    emitter.emit(1, 'x');
    emitter.emit(2, 'y');
    expect(calls).toEqual(['a1x', 'b1x', 'a2y', 'b2y']);
    expect(errors).toEqual([]);
  });

  it('stops calling a listener once unsubscribed; unsubscribing twice changes nothing', () => {
    const { emitter } = make<[number]>();
    const a: number[] = [];
    const b: number[] = [];
    const offA = emitter.subscribe((n) => a.push(n));
    emitter.subscribe((n) => b.push(n));
    emitter.emit(1);
    offA();
    offA();
    emitter.emit(2);
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 2]);
    expect(emitter.size).toBe(1);
  });

  it('counts each subscription: the same function twice is called twice, and each unsubscribe removes one', () => {
    const { emitter } = make<[]>();
    let calls = 0;
    const fn = () => calls++;
    const off1 = emitter.subscribe(fn);
    emitter.subscribe(fn);
    emitter.emit();
    expect(calls).toBe(2);
    off1();
    emitter.emit();
    expect(calls).toBe(3);
  });

  it('a listener that throws does not stop the others; its error goes to onError, not to the emitter', () => {
    const { emitter, errors } = make<[number]>();
    const seen: string[] = [];
    const boom = new Error('boom');
    emitter.subscribe((n) => seen.push(`a${n}`));
    emitter.subscribe(() => {
      throw boom;
    });
    emitter.subscribe((n) => seen.push(`c${n}`));
    expect(() => emitter.emit(7)).not.toThrow();
    emitter.emit(8);
    expect(seen).toEqual(['a7', 'c7', 'a8', 'c8']);
    expect(errors).toEqual([boom, boom]);
  });

  it('an onError that throws is the owner\'s choice: it reaches the emitter\'s caller', () => {
    const emitter = new Emitter<[]>((err) => {
      throw err;
    });
    emitter.subscribe(() => {
      throw new Error('rethrown');
    });
    expect(() => emitter.emit()).toThrow('rethrown');
  });

  it('is safe against unsubscribes during an emit: a listener removed by an earlier one is not called', () => {
    const { emitter, errors } = make<[]>();
    const calls: string[] = [];
    let offC = () => {};
    const offA = emitter.subscribe(() => {
      calls.push('a');
      offA(); // removes itself
      offC(); // and a later one
    });
    emitter.subscribe(() => calls.push('b'));
    offC = emitter.subscribe(() => calls.push('c'));
    emitter.subscribe(() => calls.push('d'));
    emitter.emit();
    expect(calls).toEqual(['a', 'b', 'd']);
    emitter.emit();
    expect(calls).toEqual(['a', 'b', 'd', 'b', 'd']);
    expect(errors).toEqual([]);
  });

  it('a listener subscribed during an emit is called from the next emit on', () => {
    const { emitter } = make<[number]>();
    const late: number[] = [];
    let added = false;
    emitter.subscribe(() => {
      if (added) return;
      added = true;
      emitter.subscribe((n) => late.push(n));
    });
    emitter.emit(1);
    expect(late).toEqual([]);
    emitter.emit(2);
    expect(late).toEqual([2]);
  });

  it('clear() drops every listener, even during an emit', () => {
    const { emitter } = make<[]>();
    const calls: string[] = [];
    emitter.subscribe(() => {
      calls.push('a');
      emitter.clear();
    });
    emitter.subscribe(() => calls.push('b'));
    emitter.emit();
    emitter.emit();
    expect(calls).toEqual(['a']);
    expect(emitter.size).toBe(0);
  });
});
