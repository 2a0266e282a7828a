// The alarm loop: a scan on the clock (deadlines pass without any event arriving) and right after
// commits, run by one node of the cluster at a time (the 'alarms' singleton), so each alarm is raised
// once however many nodes run. Changes go through the Socket.IO adapter to the screens of every node
// whose place contains the alarm's entity (a screen bound to a 片区, 居民区 or grid hears only its own).
// Officers acknowledge on any node: one conditional update decides, and every node's screens hear it.
// Viewers, and officers of another place, are refused here, whatever their client shows.
import type { Alarm } from '#shared/alarms';
import { TOWN_PLACE } from '#shared/model/places';
import { alarmAckSchema } from '#shared/protocolSchemas';
import { alarmRoom, firstKept, type PlaceScope } from '../access/placeScope';
import type { Clock } from '../clock';
import type { Store } from '../store/types';
import type { IoServer, IoSocket } from '../stream/io';

export const ACTIVE_ALARMS_SENT = 200;
/** Scans after commits are at least this far apart (an urgent event still alarms within the same second). */
const AFTER_COMMIT_GAP_MS = 250;
export const ALARM_ROLE = 'alarms';

/** `clustered`: other nodes hear this one through the Socket.IO adapter (REDIS_URL). */
export function createAlarmService(io: IoServer, store: Store, clock: Clock, scanMs: number, scope: PlaceScope, clustered = false) {
  let scanning: Promise<void> | undefined;
  let again = false;
  let closed = false;
  /** To this node's screens of the alarm's entity's four places (a screen is in one alarm room: its place's). */
  const emitHere = (name: 'alarm:raised' | 'alarm:updated', alarm: Alarm) =>
    io.local.to(scope.placesOf(alarm.entity).map(alarmRoom)).emit(name, alarm);
  /**
   * Here at once, and to the other nodes through the adapter (a no-op on one node). Not one
   * cluster-wide broadcast: the adapter publishes before it delivers locally, so with Redis down this
   * node's own screens would wait too. The relay is queued while Redis is down and sent when it is back.
   */
  const emit = (name: 'alarm:raised' | 'alarm:updated', alarm: Alarm) => {
    emitHere(name, alarm);
    if (clustered) io.serverSideEmit('alarm:relay', name, alarm);
  };
  io.on('alarm:relay', (name, alarm) => emitHere(name, alarm));

  let lastScan = 0;
  async function scanOnce() {
    lastScan = performance.now();
    if (closed || !(await store.singleton.hold(ALARM_ROLE))) return;
    for (const alarm of await store.alarms.scan(clock.now()))
      emit(alarm.clearedAt || alarm.ackedAt ? 'alarm:updated' : 'alarm:raised', alarm);
  }
  /** One scan at a time; a request during a scan runs one more after it. */
  function scan(): Promise<void> {
    if (scanning) {
      again = true;
      return scanning;
    }
    scanning = scanOnce()
      .catch((err: unknown) => console.error('[alarms] scan failed:', (err as Error).message))
      .finally(() => {
        scanning = undefined;
        if (again && !closed) {
          again = false;
          void scan();
        }
      });
    return scanning;
  }

  const timer = setInterval(() => void scan(), scanMs);
  // After commits: an urgent event alarms within the same second, without a scan for every commit.
  let soon: NodeJS.Timeout | undefined;
  const unsubscribe = store.feed.subscribe(() => {
    soon ??= setTimeout(() => {
      soon = undefined;
      void scan();
    }, Math.max(0, lastScan + AFTER_COMMIT_GAP_MS - performance.now()));
  });

  /** The open alarms a screen of `place` is sent on connecting. */
  const listFor = (place: string) => place === TOWN_PLACE
    ? store.alarms.active(ACTIVE_ALARMS_SENT)
    : firstKept((n) => store.alarms.active(n), (a) => scope.entityIn(place, a.entity), ACTIVE_ALARMS_SENT);

  /**
   * Sends every screen of this node its open alarms again (after Redis was away: what other nodes
   * raised or acknowledged meanwhile may not have been relayed).
   */
  async function refreshScreens() {
    const lists = new Map<string, Promise<Alarm[]>>();
    for (const socket of io.of('/').sockets.values()) {
      const place = socket.data.place ?? TOWN_PLACE;
      if (!lists.has(place)) lists.set(place, listFor(place));
      socket.emit('alarms', await lists.get(place)!);
    }
  }

  /** A new screen: into its place's alarm room (kept across resyncs), its open alarms sent, acknowledgements heard. */
  async function greet(socket: IoSocket): Promise<void> {
    const place = socket.data.place ?? TOWN_PLACE;
    socket.join(alarmRoom(place));
    socket.on('alarm:ack', async (req, ack) => {
      if (typeof ack !== 'function') return;
      if (socket.data.role !== 'officer') return ack({ ok: false, error: 'forbidden: only a duty officer can acknowledge' });
      const parsed = alarmAckSchema.safeParse(req);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return ack({ ok: false, error: `invalid ${issue?.path.join('.') || 'request'}: ${issue?.message}` });
      }
      try {
        const alarm = await store.alarms.get(parsed.data.id);
        if (alarm && !scope.entityIn(place, alarm.entity)) return ack({ ok: false, error: `forbidden: alarm ${alarm.id} is outside ${place}` });
        const r = await store.alarms.ack(parsed.data.id, socket.data.name, parsed.data.note || undefined, clock.now());
        if (!r.ok) return ack({ ok: false, error: r.error });
        emit('alarm:updated', r.alarm);
        ack({ ok: true, data: r.alarm });
      } catch {
        ack({ ok: false, error: 'unavailable: the store cannot be reached, try again' });
      }
    });
    try {
      socket.emit('alarms', await listFor(place));
    } catch (err) {
      console.error('[alarms] list failed:', (err as Error).message); // the refresh after a recovery sends them
    }
  }

  return {
    greet,
    scan,
    refreshScreens: () => refreshScreens().catch((err: unknown) => console.error('[alarms] refresh failed:', (err as Error).message)),
    close() {
      closed = true;
      clearInterval(timer);
      if (soon) clearTimeout(soon);
      unsubscribe();
    },
  };
}
