// The alarm loop: a scan on the clock (deadlines pass without any event arriving) and right after
// commits; changes go to every connected screen whose place contains the alarm's entity (a screen
// bound to a 片区, 居民区 or grid hears only its own). Officers acknowledge; viewers, and officers
// of another place, are refused here, whatever their client shows.
import type { Alarm } from '#shared/alarms';
import { TOWN_PLACE } from '#shared/model/places';
import { alarmAckSchema } from '#shared/protocolSchemas';
import { alarmRoom, firstKept, type PlaceScope } from '../access/placeScope';
import type { Clock } from '../clock';
import type { EventStore } from '../store/types';
import type { IoServer } from '../stream/hub';

export const ACTIVE_ALARMS_SENT = 200;

export function createAlarmService(io: IoServer, store: EventStore, clock: Clock, scanMs: number, scope: PlaceScope) {
  let scheduled = false;
  /** To the screens of the alarm's entity's four places (a screen is in one alarm room: its place's). */
  const emit = (name: 'alarm:raised' | 'alarm:updated', alarm: Alarm) =>
    io.to(scope.placesOf(alarm.entity).map(alarmRoom)).emit(name, alarm);

  function scan() {
    scheduled = false;
    try {
      for (const alarm of store.alarms.scan(clock.now()))
        emit(alarm.clearedAt || alarm.ackedAt ? 'alarm:updated' : 'alarm:raised', alarm);
    } catch (err) {
      console.error('[alarms] scan failed:', (err as Error).message);
    }
  }
  const soon = () => {
    if (!scheduled) {
      scheduled = true;
      setImmediate(scan);
    }
  };

  const timer = setInterval(scan, scanMs);
  const unsubscribe = store.onCommit(soon); // an urgent event alarms within the same second

  io.on('connection', (socket) => {
    const place = socket.data.place ?? TOWN_PLACE;
    socket.join(alarmRoom(place)); // kept across resyncs: alarms do not wait for the stream
    socket.emit('alarms', place === TOWN_PLACE
      ? store.alarms.active(ACTIVE_ALARMS_SENT)
      : firstKept((n) => store.alarms.active(n), (a) => scope.entityIn(place, a.entity), ACTIVE_ALARMS_SENT));
    socket.on('alarm:ack', (req, ack) => {
      if (typeof ack !== 'function') return;
      if (socket.data.role !== 'officer') return ack({ ok: false, error: 'forbidden: only a duty officer can acknowledge' });
      const parsed = alarmAckSchema.safeParse(req);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return ack({ ok: false, error: `invalid ${issue?.path.join('.') || 'request'}: ${issue?.message}` });
      }
      const alarm = store.alarms.get(parsed.data.id);
      if (alarm && !scope.entityIn(place, alarm.entity)) return ack({ ok: false, error: `forbidden: alarm ${alarm.id} is outside ${place}` });
      const r = store.alarms.ack(parsed.data.id, socket.data.name, parsed.data.note || undefined, clock.now());
      if (!r.ok) return ack({ ok: false, error: r.error });
      emit('alarm:updated', r.alarm);
      ack({ ok: true, data: r.alarm });
    });
  });

  return {
    scan,
    close() {
      clearInterval(timer);
      unsubscribe();
    },
  };
}
