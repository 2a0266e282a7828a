import { describe, expect, it } from 'vitest';
import { Emitter } from '#shared/emitter';
import { until } from '../../../server/src/stream/until';

describe('until', () => {
  it('resolves at once, after the emit that makes the check hold, or false at the timeout, and leaves no listener', async () => {
    const emitter = new Emitter<[]>(() => undefined);
    let n = 0;
    expect(await until(emitter, () => true, 10)).toBe(true);
    const reached = until(emitter, () => n >= 2, 1_000);
    n = 1;
    emitter.emit();
    n = 2;
    emitter.emit();
    expect(await reached).toBe(true);
    expect(await until(emitter, () => n >= 3, 20)).toBe(false);
    expect(emitter.size).toBe(0);
  });
});
