// Stored event → what a screen receives: personal data masked, times in Shanghai time.
import { maskEvent } from '../../../shared/src/privacy';
import type { StreamEvent } from '../../../shared/src/protocol';
import { toShanghaiIso } from '../../../shared/src/time';
import type { StoredEvent } from '../store/types';

export const toScreen = (s: StoredEvent): StreamEvent => ({
  seq: s.seq,
  storedAt: toShanghaiIso(s.storedAt),
  event: maskEvent(s.event),
  delta: s.delta,
});
