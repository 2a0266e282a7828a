import { afterEach, describe, expect, it } from 'vitest';
import type { SnapshotSync } from '#shared/protocol';
import { manualClock } from '../../server/src/clock';
import { BASE_MS, makeCase, makeTicket } from '../support/events';
import { consume } from '../support/consumer';
import { manyCases, openSocket, startServer, waitFor, type TestServer } from '../support/server';

let s: TestServer;
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});
// A fixed clock an hour after the events' time: snapshots ("today", "yesterday") do not depend on the day the tests run.
async function server(env: Record<string, string> = {}) {
  s = await startServer(env, manualClock(BASE_MS + 3600_000));
  cleanup.push(() => s.stop());
  return s;
}
function client(token?: string, lastSeq?: number) {
  const c = consume(s.url, token, lastSeq);
  c.connect();
  cleanup.push(() => c.close());
  return c;
}
const connectError = (token: unknown) =>
  new Promise<string>((resolve, reject) => {
    const sock = openSocket(s.url, { token } as { token: string });
    sock.on('connect', () => reject(new Error('connected')));
    sock.on('connect_error', (e) => {
      sock.close();
      resolve(e.message);
    });
  });

describe('socket stream', () => {
  it('refuses a missing or unknown token and an ingest key', async () => {
    await server();
    expect(await connectError(undefined)).toBe('unauthorized');
    expect(await connectError('nope')).toBe('unauthorized');
    expect(await connectError('demo-ingest-key')).toBe('unauthorized');
  });

  it('checks the token again on every reconnection (middleware runs on recovered connections too)', async () => {
    await server();
    let token = 'demo-viewer';
    const sock = openSocket(s.url, () => ({ token }));
    await new Promise<void>((r) => sock.on('sync', () => r()));
    sock.disconnect();
    token = 'revoked-or-wrong';
    const refused = new Promise<string>((r) => sock.on('connect_error', (e) => r(e.message)));
    sock.connect();
    expect(await refused).toBe('unauthorized');
    sock.close();
  });

  it('tells each connection who it is', async () => {
    await server();
    const who = await new Promise((resolve) => openSocket(s.url, { token: 'demo-officer' }).once('session', resolve));
    expect(who).toEqual({ role: 'officer', name: 'demo-officer' });
  });

  it('sends a snapshot at the latest seq, then live batches in seq order', async () => {
    await server();
    await s.post(manyCases(5, 'pre', () => makeCase()));
    const c = client();
    await waitFor(() => c.syncs.length === 1, 5000, 'snapshot');
    const snap = c.syncs[0] as SnapshotSync;
    expect(snap.mode).toBe('snapshot');
    expect(snap.seq).toBe(5);
    expect(snap.entities.map((e) => e.id).sort()).toEqual(['pre-0', 'pre-1', 'pre-2', 'pre-3', 'pre-4']);
    expect(snap.recent.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const newToday = snap.rollups.filter(([, k]) => k === 'case.new').reduce((a, [, , n]) => a + n, 0);
    expect(newToday).toBe(5);

    await s.post(manyCases(30, 'live', () => makeCase()));
    await waitFor(() => c.applied.length === 30, 5000, 'live events');
    expect(c.applied.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => 6 + i));
    // compact: '@*' stands for the event's four places (expandDelta writes them out)
    expect(c.applied[0]!.delta).toEqual(expect.arrayContaining([[expect.any(Number), 'case.new@*', 1]]));
    expect(c.resyncs).toBe(0);
  });

  it('resumes a client that missed 10,000 events with exactly those, in order', async () => {
    await server();
    const c = client();
    await waitFor(() => c.syncs.length === 1);
    await s.post(manyCases(10, 'a', () => makeCase()));
    await waitFor(() => c.seq.applied === 10);
    c.close();
    for (let b = 0; b < 10; b++) await s.post(manyCases(1000, `gap${b}`, () => makeCase()));
    expect((await s.store.log.bounds()).latest).toBe(10_010);
    c.applied.length = 0;
    c.connect(c.seq.applied);
    await waitFor(() => c.seq.applied === 10_010, 20_000, 'catch-up');
    expect(c.syncs.at(-1)).toMatchObject({ mode: 'resume', fromSeq: 10, toSeq: 10_010 });
    expect(c.applied).toHaveLength(10_000);
    expect(c.applied.every((e, i) => e.seq === 11 + i)).toBe(true);
    // and live again afterwards
    await s.post(makeCase({ id: 'after-resume' }));
    await waitFor(() => c.seq.applied === 10_011);
    expect(c.applied.at(-1)!.event.id).toBe('after-resume');
  });

  it('sends a snapshot instead when the gap is older than what is retained for resume', async () => {
    await server({ RESUME_MAX_EVENTS: '100' });
    await s.post(manyCases(300, 'old', () => makeCase()));
    const c = client('demo-viewer', 50);
    await waitFor(() => c.syncs.length === 1);
    expect(c.syncs[0]).toMatchObject({ mode: 'snapshot', seq: 300 });
  });

  it('sends a snapshot to a client that is ahead of the store (the store was replaced)', async () => {
    await server();
    await s.post(makeCase({ id: 'one' }));
    const c = client('demo-viewer', 999);
    await waitFor(() => c.syncs.length === 1);
    expect(c.syncs[0]).toMatchObject({ mode: 'snapshot', seq: 1 });
  });

  it('answers a resync request with an ack and a fresh sync', async () => {
    await server();
    await s.post(manyCases(3, 'r', () => makeCase()));
    const c = client();
    await waitFor(() => c.syncs.length === 1);
    const ack = await c.socket.timeout(3000).emitWithAck('stream:resync', { lastSeq: 1 });
    expect(ack).toEqual({ ok: true, data: { mode: 'resume' } });
    const bad = await c.socket.timeout(3000).emitWithAck('stream:resync', { lastSeq: -4 } as never);
    expect(bad).toMatchObject({ ok: false });
    await waitFor(() => c.syncs.length === 2);
    expect(c.syncs[1]).toMatchObject({ mode: 'resume', fromSeq: 1, toSeq: 3 });
  });

  it('a resync during a long resume replaces it instead of interleaving with it', async () => {
    await server();
    for (let b = 0; b < 5; b++) await s.post(manyCases(1000, `long${b}`, () => makeCase()));
    const c = client('demo-viewer', 0);
    c.socket.emit('stream:resync', { lastSeq: 0 }, () => undefined);
    c.socket.emit('stream:resync', { lastSeq: 0 }, () => undefined);
    await waitFor(() => c.seq.applied === 5000, 10_000, 'catch-up');
    await new Promise((r) => setTimeout(r, 200));
    expect(c.resyncs).toBe(0); // no gap was ever seen
    expect(c.seq.applied).toBe(5000);
  });

  it('beats with the latest seq and server time', async () => {
    await server({ HEARTBEAT_MS: '200' });
    await s.post(makeCase({ id: 'hb' }));
    const c = client();
    const beats: Array<{ seq: number; serverTime: string }> = [];
    c.socket.on('heartbeat', (b) => beats.push(b));
    await waitFor(() => beats.length >= 2, 3000, 'heartbeats');
    expect(beats[0]!.seq).toBe(1);
    expect(beats[0]!.serverTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  });

  it('never sends a raw phone or ID number to a screen', async () => {
    await server();
    const c = client('demo-officer');
    await waitFor(() => c.syncs.length === 1);
    await s.post([
      makeTicket({ id: 'p1', callerPhone: '13912345678', summary: '市民13800001111反映，身份证310105198001011234' }),
      makeCase({ id: 'p2', reporterPhone: '13700002222', description: '联系人李小龙 021-62345678' }),
    ]);
    await waitFor(() => c.applied.length === 2);
    const late = client('demo-viewer'); // and in a snapshot
    await waitFor(() => late.syncs.length === 1);
    const all = c.raw.join('\n') + late.raw.join('\n');
    expect(all).toContain('139****5678');
    for (const raw of ['13912345678', '13800001111', '310105198001011234', '13700002222', '62345678', '李小龙'])
      expect(all).not.toContain(raw);
    expect((await s.store.read.history('ticket', 'p1'))[0]!.event).toMatchObject({ callerPhone: '13912345678' }); // raw stays in the store
  });
});
