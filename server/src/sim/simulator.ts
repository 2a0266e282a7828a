// The live runner: backfills a month and today up to now (近7天, 近30天 and 环比 have data at once), then feeds the plan's events as they fall due.
// At speed s a virtual clock runs s× from the start instant t0, and every time of an event at or after
// t0 is pulled back onto real time (t0 + (T − t0) / s): a day plays in 24 minutes at ×60 with
// deadlines compressed alike, and nothing is ever stamped after the real clock.
import type { IngestEventInput } from '#shared/events';
import { DAY_MS, shanghaiDate, shanghaiDayStart, toShanghaiIso } from '#shared/time';
import type { Clock } from '../clock';
import type { Town } from '../geo/town';
import { iso } from './lifecycle';
import { eventsBetween } from './plan';

export interface SimulatorDeps {
  town: Town;
  clock: Clock;
  /** ingest; resolves once the batch is stored */
  submit: (items: unknown[]) => Promise<unknown>;
  seed: number;
  scale: number;
  /** virtual seconds per real second */
  speed: number;
  tickMs?: number;
  log?: (msg: string) => void;
  /**
   * Restart cursor: the occurredAt (epoch ms) of the last event this simulator stored in an earlier
   * run. The backfill then starts there (inclusive: the rest of that second is re-posted, duplicates
   * are harmless) instead of a month back, unless that is older than the month. Without it a restart
   * re-posts the whole month, which is correct (duplicates change nothing) but takes seconds.
   * At speed < 1 a stored occurredAt can lie after its plan time: pass nothing then.
   */
  resumeFrom?: number;
}

export interface Simulator {
  start(): Promise<void>;
  stop(): void;
  /** `historyDone`: every day of the backfill has been posted (the older days follow the live start). */
  stats(): { submitted: number; virtualNow: number; historyDone: boolean };
}

const BATCH = 1000;
/** Every ISO time field of the three streams. */
const TIME_FIELDS = [
  'occurredAt', 'reportedAt', 'deadline', 'handledAt', 'closedAt', 'receivedAt', 'dueAt', 'firstContactDueAt',
  'firstContactAt', 'repliedAt', 'inspectedAt', 'rectifyDeadline', 'rectifiedAt',
] as const;

/** Stamp a planned event onto real time: fields at or after t0 are compressed by the speed (floored to seconds). */
export function stampEvent(e: IngestEventInput, t0: number, speed: number): IngestEventInput {
  if (speed === 1) return e;
  const out: Record<string, unknown> = { ...e };
  for (const f of TIME_FIELDS) {
    const v = out[f];
    if (typeof v !== 'string') continue;
    const t = Date.parse(v);
    if (t >= t0) out[f] = iso(t0 + (t - t0) / speed);
  }
  return out as IngestEventInput;
}

/** Full days of history before today that a first start backfills: 近30天 and its 环比 have data at once. */
export const BACKFILL_DAYS = 31;
/** Where the backfill starts: 00:00 (Asia/Shanghai) BACKFILL_DAYS days before today. */
export const backfillFrom = (t0: number) => shanghaiDayStart(t0) - BACKFILL_DAYS * DAY_MS;

export function createSimulator(deps: SimulatorDeps): Simulator {
  const { town, clock, submit, speed } = deps;
  const cfg = { seed: deps.seed, scale: deps.scale };
  const log = deps.log ?? (() => {});
  let t0 = 0;
  /** Plan time up to which events have been taken: [.., cursor) is done. */
  let cursor = 0;
  /** The older history still to post, [olderFrom, olderTo): a day per tick once the screen is live. */
  let olderFrom = 0;
  let olderTo = 0;
  /** Taken but not yet stored: retried first on the next tick. Holds at most one tick's window, and at most one day. */
  let pending: IngestEventInput[] = [];
  let submitted = 0;
  let busy = false;
  let stopped = false;
  let timer: ReturnType<typeof setInterval> | undefined;

  const virtualNow = () => t0 + (clock.now() - t0) * speed;

  /** Submit pending in batches, each awaited; on failure keep the rest for the next tick. */
  async function drain(): Promise<void> {
    while (pending.length > 0 && !stopped) {
      const batch = pending.slice(0, BATCH);
      try {
        await submit(batch);
      } catch (err) {
        log(`submit of ${batch.length} events failed, retrying on the next tick: ${(err as Error)?.message ?? String(err)}`);
        return;
      }
      pending = pending.slice(batch.length);
      submitted += batch.length;
    }
  }

  /**
   * Take what is planned up to virtual now (inclusive) and not taken yet, up to the end of the
   * cursor's day: a backfill goes day by day, so memory holds one day of events, not a month.
   */
  function take(): void {
    const until = Math.min(Math.floor(virtualNow()) + 1, shanghaiDayStart(cursor) + DAY_MS);
    if (until <= cursor) return;
    pending = eventsBetween(town, cfg, cursor, until).map((e) => stampEvent(e, t0, speed));
    cursor = until;
  }

  /** One more day of the older history, when nothing live is waiting. */
  function takeOlder(): void {
    if (olderFrom >= olderTo) return;
    const until = Math.min(shanghaiDayStart(olderFrom) + DAY_MS, olderTo);
    pending = eventsBetween(town, cfg, olderFrom, until).map((e) => stampEvent(e, t0, speed));
    olderFrom = until;
    if (olderFrom >= olderTo) log('backfill of the older history done');
  }

  async function tick(): Promise<void> {
    if (busy || stopped) return; // never two submits at once
    busy = true;
    try {
      if (pending.length === 0) take();
      if (pending.length === 0) takeOlder();
      await drain();
    } catch (err) {
      log(`tick failed: ${(err as Error)?.message ?? String(err)}`);
    } finally {
      busy = false;
    }
  }

  return {
    async start() {
      if (timer || busy) return;
      stopped = false;
      t0 = clock.now();
      const month = backfillFrom(t0);
      const resume = deps.resumeFrom !== undefined && deps.resumeFrom > month;
      // Yesterday and today first, so the screen is complete (today, and yesterday to compare with)
      // within seconds; the older days follow a day per tick, between live events.
      const recent = Math.max(month, shanghaiDayStart(t0) - DAY_MS);
      cursor = resume ? Math.min(deps.resumeFrom!, t0) : recent;
      [olderFrom, olderTo] = resume ? [0, 0] : [month, recent];
      busy = true;
      try {
        // Backfill: yesterday and today up to now, at real speed (times before t0 are kept), a day at a
        // time; the older days of BACKFILL_DAYS follow from the ticks. A failed submit leaves the rest
        // to the ticks, which go on from the cursor.
        log(`backfill: from ${resume ? toShanghaiIso(cursor) : `${shanghaiDate(cursor)} 00:00`} to now`);
        const [before, started] = [submitted, performance.now()];
        let planning = 0;
        do {
          const p = performance.now();
          take();
          planning += performance.now() - p;
          await drain();
        } while (pending.length === 0 && cursor <= t0 && !stopped);
        if (pending.length === 0 && !stopped)
          log(`backfill of yesterday and today done: ${submitted - before} events in ${Math.round(performance.now() - started)} ms (planning ${Math.round(planning)} ms); the ${BACKFILL_DAYS - 1} days before follow`);
      } finally {
        busy = false;
      }
      if (!stopped) timer = setInterval(() => void tick(), deps.tickMs ?? 250);
    },
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    stats: () => ({ submitted, virtualNow: t0 ? virtualNow() : clock.now(), historyDone: olderFrom >= olderTo && pending.length === 0 }),
  };
}
