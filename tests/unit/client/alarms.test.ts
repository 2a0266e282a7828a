import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alarm } from '#shared/alarms';
import type { EntitySummary } from '#shared/protocol';
import { AlarmList } from '../../../client/src/stores/alarmList';
import { useAlarmStore, type AckSender } from '../../../client/src/stores/alarms';
import { useSessionStore } from '../../../client/src/stores/session';

const entity = (id: string): EntitySummary => ({
  kind: 'case', id, version: 1, status: 'reported', urgent: true, lng: 121.37, lat: 31.21, gridId: 'GC01', neighbourhoodId: 'N01',
  label: 'safety', startedAt: '2026-11-21T09:00:00+08:00', updatedAt: '2026-11-21T09:00:00+08:00', open: true,
});
const alarm = (id: number, kind: Alarm['kind'], raisedAt: string, over: Partial<Alarm> = {}): Alarm => ({
  id, kind, entity: entity(`CS-${id}`), raisedAt: `2026-11-21T${raisedAt}:00+08:00`, ...over,
});
const ids = (list: readonly Alarm[]) => list.map((a) => a.id);

describe('alarm list', () => {
  it('keeps open alarms urgent first, then the oldest; acknowledged and cleared ones leave', () => {
    const l = new AlarmList({ flashMs: 5_000, max: 100 });
    l.replace([alarm(1, 'overdue', '08:00'), alarm(2, 'urgent', '09:00'), alarm(3, 'urgent', '08:30'), alarm(4, 'overdue', '07:00', { ackedAt: 'x' })], 0);
    expect(ids(l.open)).toEqual([3, 2, 1]);
    l.raised(alarm(5, 'urgent', '08:45'), 0);
    expect(ids(l.open)).toEqual([3, 5, 2, 1]);
    l.updated(alarm(5, 'urgent', '08:45', { ackedBy: 'demo-officer', ackedAt: '2026-11-21T10:00:00+08:00' }));
    l.updated(alarm(1, 'overdue', '08:00', { clearedAt: '2026-11-21T10:00:00+08:00' }));
    expect(ids(l.open)).toEqual([3, 2]);
  });

  it('flashes alarms new to this screen for a while — not the list found on first connecting', () => {
    const l = new AlarmList({ flashMs: 5_000, max: 100 });
    expect(l.replace([alarm(1, 'urgent', '08:00')], 1_000)).toEqual([]);
    expect(l.flashing(1_000).size).toBe(0);
    expect(l.raised(alarm(2, 'overdue', '09:00'), 2_000)).toBe(true);
    expect(l.raised(alarm(2, 'overdue', '09:00'), 2_500)).toBe(false); // the same alarm again: not new
    expect([...l.flashing(6_999)]).toEqual([2]);
    expect(l.nextFlashEnd()).toBe(7_000);
    expect(l.flashing(7_000).size).toBe(0);
    // After a reconnection, an alarm raised while away is new; the known ones are not.
    expect(ids(l.replace([alarm(1, 'urgent', '08:00'), alarm(2, 'overdue', '09:00'), alarm(3, 'urgent', '09:30')], 8_000))).toEqual([3]);
    expect([...l.flashing(8_000)]).toEqual([3]);
  });

  it('is bounded', () => {
    const l = new AlarmList({ flashMs: 1, max: 3 });
    l.replace(Array.from({ length: 10 }, (_, i) => alarm(i + 1, 'overdue', `0${i}:00`)), 0);
    expect(ids(l.open)).toEqual([1, 2, 3]);
    for (let i = 11; i < 200; i++) l.raised(alarm(i, 'urgent', '09:00'), 0);
    expect(l.open).toHaveLength(3);
  });
});

describe('alarm store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('shows the acknowledge control to officers only, and never sends a viewer\'s acknowledgement', async () => {
    const store = useAlarmStore();
    const session = useSessionStore();
    const sent: unknown[] = [];
    const sender: AckSender = async (req) => {
      sent.push(req);
      return { ok: true, data: alarm(req.id, 'urgent', '09:00', { ackedBy: 'demo-officer', ackedAt: '2026-11-21T10:00:00+08:00', note: req.note }) };
    };
    store.setSender(sender);
    store.handleList([alarm(1, 'urgent', '09:00'), alarm(2, 'overdue', '08:00')]);
    expect(store.canAck).toBe(false); // no session yet
    session.setSession({ role: 'viewer', name: 'demo-viewer' });
    expect(store.canAck).toBe(false);
    expect(await store.ack(1, 'x')).toBe(false);
    expect(sent).toEqual([]);
    expect(store.error).toMatch(/forbidden/);

    session.setSession({ role: 'officer', name: 'demo-officer' });
    expect(store.canAck).toBe(true);
    expect(await store.ack(1, '  已派城管中队  ')).toBe(true);
    expect(sent).toEqual([{ id: 1, note: '已派城管中队' }]);
    expect(ids(store.open)).toEqual([2]);
    expect(store.error).toBeNull();
    await store.ack(2, '');
    expect(sent[1]).toEqual({ id: 2 }); // no empty note
  });

  it('shows a refusal from the server and keeps the alarm', async () => {
    const store = useAlarmStore();
    useSessionStore().setSession({ role: 'officer', name: 'demo-officer' });
    store.setSender(async () => ({ ok: false, error: 'already_acknowledged' }));
    store.handleList([alarm(1, 'urgent', '09:00')]);
    expect(await store.ack(1)).toBe(false);
    expect(store.error).toBe('already_acknowledged');
    expect(ids(store.open)).toEqual([1]);
    expect(store.pending).toBeNull();
  });

  it('tells listeners (the sound) about new alarms only, and stops flashing after a few seconds', () => {
    const store = useAlarmStore();
    const heard: number[][] = [];
    const off = store.onNew((list) => heard.push(ids(list)));
    store.handleList([alarm(1, 'urgent', '09:00')]);
    store.handleRaised(alarm(2, 'urgent', '09:10'));
    store.handleRaised(alarm(2, 'urgent', '09:10'));
    expect(heard).toEqual([[2]]);
    expect([...store.flashing]).toEqual([2]);
    vi.advanceTimersByTime(6_100);
    expect(store.flashing.size).toBe(0);
    store.handleUpdated(alarm(2, 'urgent', '09:10', { clearedAt: '2026-11-21T10:00:00+08:00' }));
    expect(ids(store.open)).toEqual([1]);
    off();
    store.handleRaised(alarm(3, 'overdue', '09:20'));
    expect(heard).toHaveLength(1);
  });
});
