// The alarm loop: a scan on the clock (deadlines pass without any event arriving) and right after
// commits; changes go to every connected screen. Officers acknowledge; viewers are refused here,
// whatever their client shows.
import { alarmAckSchema } from '../../../shared/src/protocolSchemas';
import type { Clock } from '../clock';
import type { EventStore } from '../store/types';
import type { IoServer } from '../stream/hub';

export const ACTIVE_ALARMS_SENT = 200;

export function createAlarmService(io: IoServer, store: EventStore, clock: Clock, scanMs: number) {
  let scheduled = false;

  function scan() {
    scheduled = false;
    try {
      for (const alarm of store.alarms.scan(clock.now()))
        io.emit(alarm.clearedAt || alarm.ackedAt ? 'alarm:updated' : 'alarm:raised', alarm);
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
    socket.emit('alarms', store.alarms.active(ACTIVE_ALARMS_SENT));
    socket.on('alarm:ack', (req, ack) => {
      if (typeof ack !== 'function') return;
      if (socket.data.role !== 'officer') return ack({ ok: false, error: 'forbidden: only a duty officer can acknowledge' });
      const parsed = alarmAckSchema.safeParse(req);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return ack({ ok: false, error: `invalid ${issue?.path.join('.') || 'request'}: ${issue?.message}` });
      }
      const r = store.alarms.ack(parsed.data.id, socket.data.name, parsed.data.note || undefined, clock.now());
      if (!r.ok) return ack({ ok: false, error: r.error });
      io.emit('alarm:updated', r.alarm);
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
