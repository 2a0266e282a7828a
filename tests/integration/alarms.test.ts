import { afterEach, describe, expect, it } from 'vitest';
import type { Alarm } from '#shared/alarms';
import { manualClock } from '../../server/src/clock';
import { BASE_MS, makeCase, makeTicket, next } from '../support/events';
import { openSocket, startServer, waitFor, type TestServer, type TestSocket } from '../support/server';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** A screen that records the alarms it is told about. */
function screen(s: TestServer, token: string) {
  const sock: TestSocket = openSocket(s.url, { token });
  const seen = { list: [] as Alarm[], raised: [] as Alarm[], updated: [] as Alarm[], sock, listed: false };
  sock.on('alarms', (l) => {
    seen.list = l;
    seen.listed = true; // in its alarm room: it hears every alarm raised from here on
  });
  sock.on('alarm:raised', (a) => seen.raised.push(a));
  sock.on('alarm:updated', (a) => seen.updated.push(a));
  cleanup.push(() => sock.close());
  return seen;
}

async function server(clock = manualClock(BASE_MS + 3600_000), dir?: string) {
  const s = await startServer({ ALARM_SCAN_MS: '100' }, clock, dir);
  return { s, clock };
}

describe('alarms', () => {
  it('raises an alarm for an urgent event within a second, on every screen', async () => {
    const { s } = await server();
    cleanup.push(() => s.stop());
    const viewer = screen(s, 'demo-viewer');
    const officer = screen(s, 'demo-officer');
    await waitFor(() => viewer.sock.connected && officer.sock.connected);
    const t0 = Date.now();
    await s.post(makeCase({ id: 'U-1', urgent: true, category: 'safety', subcategory: '消防通道堵塞' }));
    await waitFor(() => viewer.raised.length === 1 && officer.raised.length === 1, 2000, 'alarm');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(viewer.raised[0]).toMatchObject({ kind: 'urgent', entity: { id: 'U-1', urgent: true } });
    await s.post(makeCase({ id: 'N-1' })); // not urgent: no alarm
    await new Promise((r) => setTimeout(r, 300));
    expect(viewer.raised).toHaveLength(1);
  });

  it('raises overdue alarms on the clock, with no event arriving', async () => {
    const { s, clock } = await server();
    cleanup.push(() => s.stop());
    const viewer = screen(s, 'demo-viewer');
    await s.post([makeCase({ id: 'D-1' }), makeTicket({ id: 'T-1' })]); // deadlines +24 h and +5 days
    await new Promise((r) => setTimeout(r, 300));
    expect(viewer.raised).toEqual([]);
    clock.advance(24 * 3600_000); // past the case's deadline only
    await waitFor(() => viewer.raised.length === 1, 2000, 'overdue alarm');
    expect(viewer.raised[0]).toMatchObject({ kind: 'overdue', entity: { kind: 'case', id: 'D-1' } });
    clock.advance(96 * 3600_000); // an hour past the ticket's 5-day due time
    await waitFor(() => viewer.raised.length === 2, 2000, 'ticket overdue alarm');
    expect(viewer.raised[1]).toMatchObject({ kind: 'overdue', entity: { kind: 'ticket', id: 'T-1' } });
  });

  it('an officer acknowledges with a note: stored with who and when, broadcast, and it survives a restart', async () => {
    const { s, clock } = await server();
    const viewer = screen(s, 'demo-viewer');
    const officer = screen(s, 'demo-officer');
    await waitFor(() => viewer.listed && officer.listed, 2000, 'both screens');
    await s.post(makeCase({ id: 'U-2', urgent: true, category: 'safety', subcategory: '树木倒伏' }));
    await waitFor(() => officer.raised.length === 1);
    const id = officer.raised[0]!.id;

    const refused = await viewer.sock.timeout(2000).emitWithAck('alarm:ack', { id, note: 'viewer tries' });
    expect(refused).toEqual({ ok: false, error: expect.stringMatching(/forbidden/) });
    expect((await s.store.alarms.get(id))!.ackedAt).toBeUndefined();

    const bad = await officer.sock.timeout(2000).emitWithAck('alarm:ack', { id, note: 'x'.repeat(201) });
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/note/) });
    // a right-to-left override would show the note reversed on every wall
    const reordered = await officer.sock.timeout(2000).emitWithAck('alarm:ack', { id, note: '已派\u202E8765432193' });
    expect(reordered).toEqual({ ok: false, error: 'invalid note: U+202E (a bidirectional override) at character 3: control characters, bidirectional overrides and unpaired surrogates are not accepted' });
    expect((await s.store.alarms.get(id))!.ackedAt).toBeUndefined();

    const ok = await officer.sock.timeout(2000).emitWithAck('alarm:ack', { id, note: '已派城管中队 13912345678' });
    expect(ok).toMatchObject({ ok: true, data: { id, ackedBy: 'demo-officer', note: '已派城管中队 139****5678' } });
    await waitFor(() => viewer.updated.length === 1, 2000, 'broadcast');
    expect(viewer.updated[0]).toMatchObject({ id, ackedBy: 'demo-officer', ackedAt: expect.stringMatching(/\+08:00$/) });
    const again = await officer.sock.timeout(2000).emitWithAck('alarm:ack', { id });
    expect(again).toEqual({ ok: false, error: 'already_acknowledged' });

    // Restart on the same data: the acknowledgement is there, the alarm is not raised again.
    const dir = s.dir;
    await s.stop(true);
    const { s: s2 } = await server(clock, dir);
    cleanup.push(() => s2.stop());
    expect(await s2.store.alarms.get(id)).toMatchObject({ ackedBy: 'demo-officer', note: '已派城管中队 139****5678' });
    const late = screen(s2, 'demo-viewer');
    await waitFor(() => late.sock.connected);
    await new Promise((r) => setTimeout(r, 300));
    expect(late.list.map((a) => a.id)).not.toContain(id);
    expect(late.raised).toEqual([]);
  });

  it('lists open alarms urgent first to a new screen, and clears an alarm whose case closed', async () => {
    const { s, clock } = await server();
    cleanup.push(() => s.stop());
    await s.post([makeCase({ id: 'O-1' }), makeCase({ id: 'U-3', urgent: true, category: 'facilities', subcategory: '道路积水' })]);
    clock.advance(25 * 3600_000);
    await waitFor(async () => (await s.store.alarms.active(10)).length === 3, 2000, 'three alarms'); // U-3 urgent + overdue, O-1 overdue
    const viewer = screen(s, 'demo-viewer');
    await waitFor(() => viewer.list.length === 3);
    expect(viewer.list[0]).toMatchObject({ kind: 'urgent', entity: { id: 'U-3' } });
    const closedAt = new Date(clock.now()).toISOString();
    await s.post(next(makeCase({ id: 'O-1' }), 2, clock.now(), { status: 'closed', closedAt }));
    await waitFor(() => viewer.updated.length === 1, 2000, 'cleared');
    expect(viewer.updated[0]).toMatchObject({ entity: { id: 'O-1', open: false }, clearedAt: expect.any(String) });
    expect((await s.store.alarms.active(10)).map((a) => a.entity.id).sort()).toEqual(['U-3', 'U-3']);
  });
});
