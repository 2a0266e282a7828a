// Type tests of the socket event maps (checked by `npm run typecheck`) plus the runtime parsers of
// client → server payloads.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ClientToServerEvents, Heartbeat, Response, ServerToClientEvents, StreamEvent, Sync } from '#shared/protocol';
import { handshakeAuthSchema, resyncRequestSchema } from '#shared/protocolSchemas';
import { Sequencer } from '#shared/sequencer';

describe('socket event maps', () => {
  it('server → client events carry the protocol types', () => {
    expectTypeOf<Parameters<ServerToClientEvents['events']>[0]>().toEqualTypeOf<StreamEvent[]>();
    expectTypeOf<Parameters<ServerToClientEvents['sync']>[0]>().toEqualTypeOf<Sync>();
    expectTypeOf<Parameters<ServerToClientEvents['heartbeat']>[0]>().toEqualTypeOf<Heartbeat>();
    expectTypeOf<Sync['mode']>().toEqualTypeOf<'snapshot' | 'resume'>();
  });

  it('resync is acknowledged with a Response', () => {
    type Ack = Parameters<ClientToServerEvents['stream:resync']>[1];
    expectTypeOf<Parameters<Ack>[0]>().toEqualTypeOf<Response<{ mode: Sync['mode'] }>>();
  });

  it('parses handshake and resync payloads at the boundary', () => {
    expect(handshakeAuthSchema.safeParse({ token: 'demo-viewer', lastSeq: 10 }).success).toBe(true);
    // a valid token with a lastSeq that is not a seq connects as if it had none (a snapshot)
    for (const lastSeq of [-1, 1.5, null, '100'])
      expect(handshakeAuthSchema.safeParse({ token: 'demo-viewer', lastSeq })).toEqual({ success: true, data: { token: 'demo-viewer' } });
    expect(handshakeAuthSchema.safeParse({}).success).toBe(false);
    expect(resyncRequestSchema.safeParse({ lastSeq: 'x' }).success).toBe(false);
  });
});

describe('Sequencer', () => {
  const ev = (seq: number) => ({ seq, storedAt: '', event: {} as StreamEvent['event'], delta: [] });
  it('applies in order exactly once and reports a gap', () => {
    const s = new Sequencer();
    expect(s.accept([ev(1)]).fresh).toEqual([]); // nothing before the first sync
    s.onSync({ mode: 'resume', fromSeq: 3, toSeq: 9, serverTime: '' });
    expect(s.accept([ev(2), ev(3), ev(4), ev(5), ev(4)]).fresh.map((e) => e.seq)).toEqual([4, 5]);
    const gap = s.accept([ev(6), ev(8)]);
    expect(gap.fresh.map((e) => e.seq)).toEqual([6]);
    expect(gap.gap).toBe(true);
    expect(s.applied).toBe(6);
    expect(s.accept([ev(7)]).fresh).toEqual([]); // waiting for the resync's sync
    expect(s.behind(10)).toBe(false);
  });
  it('a heartbeat ahead of what was applied means events were lost', () => {
    const s = new Sequencer();
    s.onSync({ mode: 'resume', fromSeq: 5, toSeq: 5, serverTime: '' });
    expect(s.behind(5)).toBe(false);
    expect(s.behind(6)).toBe(true);
  });
});
