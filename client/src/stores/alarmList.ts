// The open alarms as a screen keeps them: urgent first, then the oldest (shared compareAlarms);
// acknowledged or cleared ones leave the list. Alarms this screen had not seen before are "new":
// they flash for a while and may sound — but not the list a screen finds when it first connects.
// Plain data, no Vue; the alarm store wraps one instance.
import { compareAlarms, isOpenAlarm, type Alarm } from '#shared/alarms';

export interface AlarmListOptions {
  /** how long a new alarm flashes */
  flashMs: number;
  /** most alarms kept (the server sends at most 200 on connection) */
  max: number;
}

export const DEFAULT_ALARM_OPTIONS: AlarmListOptions = { flashMs: 6_000, max: 500 };

export class AlarmList {
  /** open alarms, sorted */
  open: Alarm[] = [];
  /** alarm id → flash until (ms) */
  readonly flashUntil = new Map<number, number>();
  private readonly known = new Set<number>();
  private primed = false;

  constructor(readonly opts: AlarmListOptions = DEFAULT_ALARM_OPTIONS) {}

  /** The open alarms sent on every (re)connection: replaces the list. Returns those never seen before. */
  replace(list: readonly Alarm[], nowMs: number): Alarm[] {
    const fresh = this.primed ? list.filter((a) => isOpenAlarm(a) && !this.known.has(a.id)) : [];
    this.open = list.filter(isOpenAlarm).sort(compareAlarms).slice(0, this.opts.max);
    for (const id of this.flashUntil.keys()) if (!this.open.some((a) => a.id === id)) this.flashUntil.delete(id);
    for (const a of fresh) this.flashUntil.set(a.id, nowMs + this.opts.flashMs);
    this.remember(list);
    this.primed = true;
    return fresh;
  }

  /** A newly raised alarm; returns whether it is new to this screen. */
  raised(a: Alarm, nowMs: number): boolean {
    const isNew = !this.known.has(a.id);
    this.remember([a]);
    this.updated(a);
    if (isNew && isOpenAlarm(a)) this.flashUntil.set(a.id, nowMs + this.opts.flashMs);
    return isNew && isOpenAlarm(a);
  }

  /** Acknowledged or cleared (leaves the list), or a changed open alarm (replaced in place). */
  updated(a: Alarm): void {
    const rest = this.open.filter((x) => x.id !== a.id);
    if (isOpenAlarm(a)) {
      rest.push(a);
      rest.sort(compareAlarms);
      if (rest.length > this.opts.max) rest.length = this.opts.max;
    } else this.flashUntil.delete(a.id);
    this.remember([a]);
    this.open = rest;
  }

  /** Ids flashing at `nowMs`; drops the expired ones. */
  flashing(nowMs: number): Set<number> {
    for (const [id, until] of this.flashUntil) if (until <= nowMs) this.flashUntil.delete(id);
    return new Set(this.flashUntil.keys());
  }

  /** When the next flash ends, if any flashes. */
  nextFlashEnd(): number | null {
    return this.flashUntil.size ? Math.min(...this.flashUntil.values()) : null;
  }

  private remember(list: readonly Alarm[]): void {
    for (const a of list) this.known.add(a.id);
    // Bounded: ids of alarms long gone are forgotten (they will not come back as open).
    if (this.known.size > 4 * this.opts.max) {
      const keep = new Set(this.open.map((a) => a.id));
      for (const id of this.known) {
        if (this.known.size <= 2 * this.opts.max) break;
        if (!keep.has(id)) this.known.delete(id);
      }
    }
  }
}
