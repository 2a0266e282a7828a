// Stored event → what a screen receives: personal data masked, times in Shanghai time.
import { maskEvent } from '#shared/privacy';
import type { StreamEvent } from '#shared/protocol';
import { toShanghaiIso } from '#shared/time';
import type { StoredEvent } from '../store/types';

export const toScreen = (s: StoredEvent): StreamEvent => ({
  seq: s.seq,
  storedAt: toShanghaiIso(s.storedAt),
  event: maskEvent(s.event),
  delta: s.delta,
  ...(s.stale ? { stale: true as const } : {}),
});
