// Client → server payloads are a trust boundary: parsed, never assumed. Kept apart from
// protocol.ts so the screen's bundle does not carry the schema library.
import { z } from 'zod';
import { plainTextCheck } from './plainText';

const seq = z.int().min(0);
/**
 * The handshake: a token, and the last seq the screen applied. A lastSeq that is not a seq (`null`,
 * `"100"`, -1) is treated as absent — the screen gets a snapshot, which is always correct — rather
 * than refusing a valid token (README, socket protocol).
 */
export const handshakeAuthSchema = z.object({ token: z.string().min(1).max(200), lastSeq: seq.optional().catch(undefined) });
export const resyncRequestSchema = z.object({ lastSeq: seq.optional() });
export const alarmAckSchema = z.object({
  id: z.int().min(1),
  // shown on every wall as sent (masked): plain text, as any free text an event carries (docs/input.md)
  note: z.string().trim().max(200, 'a note has at most 200 characters').superRefine(plainTextCheck(true)).optional(),
});
