// What a client written by others runs into: the order of the first messages, a resync without a
// payload, and a handshake whose lastSeq is not a seq.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../server/src/clock';
import { BASE_MS, makeCase } from '../support/events';
import { openSocket, startServer, waitFor, type TestServer, type TestSocket } from '../support/server';

let s: TestServer;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  s = await startServer({}, manualClock(BASE_MS + 3600_000));
  const r = await s.post([makeCase({ id: 'P-URGENT', urgent: true, category: 'safety', subcategory: '消防通道堵塞' }), makeCase({ id: 'P-2' })]);
  expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['stored', 'stored']);
  await waitFor(async () => (await s.store.alarms.active(10)).length === 1, 5_000, 'the urgent alarm');
});
afterAll(async () => {
  for (const sock of sockets) sock.close();
  await s.stop();
});

/** Connects and records the names of the first messages, up to and including `sync`. */
async function firstMessages(auth: Record<string, unknown>) {
  const names: string[] = [];
  const sock = openSocket(s.url, auth as { token: string });
  sockets.push(sock);
  sock.onAny((name: string) => names.push(name));
  const sync = await new Promise<{ mode: string }>((resolve, reject) => {
    sock.on('sync', resolve);
    sock.on('connect_error', (e) => reject(new Error(e.message)));
  });
  return { sock, names, sync };
}

describe('socket protocol, as a third-party client meets it', () => {
  it('sends session, then the open alarms, then sync — for a snapshot and for a resume', async () => {
    for (let i = 0; i < 5; i++) {
      const snap = await firstMessages({ token: 'demo-officer' });
      expect(snap.names.slice(0, 3)).toEqual(['session', 'alarms', 'sync']);
      expect(snap.sync.mode).toBe('snapshot');
      const res = await firstMessages({ token: 'demo-viewer', lastSeq: 1 });
      expect(res.names.slice(0, 3)).toEqual(['session', 'alarms', 'sync']); // then the resumed events
      expect(res.sync.mode).toBe('resume');
    }
  });

  it('answers a resync sent without a payload with an error, naming what it expects', async () => {
    const { sock } = await firstMessages({ token: 'demo-viewer' });
    const answer = await new Promise((resolve) => (sock.emit as (n: string, cb: (r: unknown) => void) => void)('stream:resync', resolve));
    expect(answer).toEqual({ ok: false, error: 'invalid request: stream:resync takes a payload {lastSeq?} before the callback' });
    const bad = await sock.timeout(3000).emitWithAck('stream:resync', { lastSeq: '100' } as never);
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid lastSeq: /) });
    // …and the socket is still served
    expect(await sock.timeout(3000).emitWithAck('stream:resync', { lastSeq: 2 })).toEqual({ ok: true, data: { mode: 'resume' } });
  });

  it('connects a valid token whose lastSeq is malformed, as if it had none: a snapshot', async () => {
    for (const lastSeq of [null, '100', -1, 1.5, {}]) {
      const { names, sync } = await firstMessages({ token: 'demo-viewer', lastSeq });
      expect(names[0]).toBe('session');
      expect(sync.mode).toBe('snapshot');
    }
  });
});
