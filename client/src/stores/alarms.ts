// Open alarms for the alarm bar: fed by the socket (`alarms`, `alarm:raised`, `alarm:updated`),
// acknowledged by officers through `alarm:ack`. New alarms flash for a few seconds and notify
// listeners (the sound). Failures of an acknowledgement become visible state, never a throw.
import { useTimeoutFn } from '@vueuse/core';
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { Alarm, AlarmAck } from '#shared/alarms';
import { Emitter } from '#shared/emitter';
import type { Response } from '#shared/protocol';
import { AlarmList, DEFAULT_ALARM_OPTIONS, type AlarmListOptions } from './alarmList';
import { useSessionStore } from './session';

export type AckSender = (req: AlarmAck) => Promise<Response<Alarm>>;

export const NOTE_MAX = 200;

export const useAlarmStore = defineStore('alarms', () => {
  const session = useSessionStore();
  let list = markRaw(new AlarmList());
  const open = shallowRef<Alarm[]>([]);
  const flashing = shallowRef<ReadonlySet<number>>(new Set());
  /** id of the alarm whose acknowledgement is on its way */
  const pending = ref<number | null>(null);
  const error = ref<string | null>(null);
  let sender: AckSender | null = null;
  /** Publishes again when the next flash ends (its delay is read at each start). */
  const flashEnd = useTimeoutFn(publish, () => Math.max(50, (list.nextFlashEnd() ?? 0) - Date.now()), { immediate: false });
  const newAlarms = new Emitter<[Alarm[]]>((err) => console.error('[alarms] listener failed', err)); // never into the socket layer

  const canAck = computed(() => session.isOfficer);
  const urgentCount = computed(() => open.value.filter((a) => a.kind === 'urgent').length);

  function publish() {
    open.value = list.open;
    flashing.value = list.flashing(Date.now());
    flashEnd.stop();
    if (list.nextFlashEnd() !== null) flashEnd.start();
  }
  function announce(fresh: Alarm[]) {
    if (fresh.length) newAlarms.emit(fresh);
  }

  function handleList(alarms: Alarm[]) {
    announce(list.replace(alarms, Date.now()));
    publish();
  }
  function handleRaised(a: Alarm) {
    const isNew = list.raised(a, Date.now());
    publish();
    if (isNew) announce([a]);
  }
  function handleUpdated(a: Alarm) {
    list.updated(a);
    publish();
  }

  function setSender(fn: AckSender | null) {
    sender = fn;
  }

  /** Acknowledges with an optional short note. Viewers have no such control; the server refuses them anyway. */
  async function ack(id: number, note = ''): Promise<boolean> {
    error.value = null;
    const text = note.trim().slice(0, NOTE_MAX);
    const refused = !canAck.value ? 'forbidden: only a duty officer can acknowledge' : !sender ? 'not connected' : null;
    if (refused || !sender) {
      error.value = refused;
      return false;
    }
    pending.value = id;
    try {
      const res = await sender(text ? { id, note: text } : { id });
      if (!res.ok) {
        error.value = res.error;
        return false;
      }
      handleUpdated(res.data);
      return true;
    } catch (err) {
      error.value = (err as Error).message;
      return false;
    } finally {
      pending.value = null;
    }
  }

  const onNew = (listener: (alarms: Alarm[]) => void): (() => void) => newAlarms.subscribe(listener);

  /** For tests: a fresh list with other options. */
  function reset(opts: AlarmListOptions = DEFAULT_ALARM_OPTIONS) {
    flashEnd.stop();
    list = markRaw(new AlarmList(opts));
    publish();
  }

  const stop = () => flashEnd.stop();

  return {
    open, flashing, pending, error, canAck, urgentCount,
    handleList, handleRaised, handleUpdated, setSender, ack, onNew, reset, stop,
    clearError: () => (error.value = null),
  };
});
export type AlarmStore = ReturnType<typeof useAlarmStore>;
