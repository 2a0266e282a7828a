// Waiting on an emitter until a condition holds: the fan-out's "caught up to seq" and a resume's
// "drained enough" (outbound.ts). Here rather than in shared/: it needs the host's timers.
import type { Emitter } from '#shared/emitter';

/**
 * Resolves true once `check()` holds — at once, or after one of the emitter's emits —, false when
 * `timeoutMs` passes first. `check` only compares state: it must not throw.
 */
export function until(emitter: Emitter<[]>, check: () => boolean, timeoutMs: number): Promise<boolean> {
  if (check()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      off();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    const off = emitter.subscribe(() => {
      if (check()) done(true);
    });
  });
}
