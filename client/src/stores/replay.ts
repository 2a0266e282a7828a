// Replay mode: a day's events played on the map and the feed at 1×–3600×, with pause, step and a
// scrubber. Pages of /api/v1/replay load progressively (a bounded buffer ahead of the clock); the
// live stream keeps being applied to the stream store meanwhile, and exit returns to it untouched.
import { useIntervalFn } from '@vueuse/core';
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef, triggerRef } from 'vue';
import { Emitter } from '#shared/emitter';
import { DAY_MS, shanghaiDate } from '#shared/time';
import type { ReplayPage } from '#shared/http';
import { apiGet, errorText } from '../api';
import { useGeoStore } from './geo';
import { DEFAULT_REPLAY_LIMITS, ReplayPlayer, type ReplayLimits } from './replayPlayer';
import { useSessionStore } from './session';
import { useStreamStore } from './stream';
import type { EntityChanges } from './streamData';

export const REPLAY_SPEEDS = [1, 10, 60, 600, 3600] as const;
export const PAGE_SIZE = 2_000;
const TICK_MS = 100;

export type PageFetcher = (date: string, after: string | null) => Promise<ReplayPage>;

export interface ReplayOptions {
  fetchPage: PageFetcher;
  /** a monotonic clock (ms) for playback */
  now: () => number;
  limits: ReplayLimits;
}

export const useReplayStore = defineStore('replay', () => {
  const session = useSessionStore();
  const stream = useStreamStore();
  const geo = useGeoStore();
  const lookup = { areaOf: (nb: string) => geo.index?.areaOfNeighbourhood(nb) };
  let options: ReplayOptions = {
    fetchPage: (date, after) => apiGet<ReplayPage>(session.token, `/api/v1/replay?date=${date}&limit=${PAGE_SIZE}${after ? `&after=${encodeURIComponent(after)}` : ''}`),
    now: () => performance.now(),
    limits: DEFAULT_REPLAY_LIMITS,
  };
  const active = ref(false);
  const date = ref('');
  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const error = ref<string | null>(null);
  const playing = ref(false);
  const speed = ref<number>(60);
  /** replay time (ms), published per tick */
  const clock = ref(0);
  const loaded = ref(0);
  const player = shallowRef<ReplayPlayer | null>(null);
  let cursor: string | null = null;
  let generation = 0;
  let pumping = -1;
  let pendingSeek: number | null = null;
  const ticker = useIntervalFn(tick, TICK_MS, { immediate: false }); // while playing
  let lastTick = 0;
  const entityChanges = new Emitter<[EntityChanges]>((err) => console.error('[replay] listener failed', err));

  function emit(changes: EntityChanges) {
    const p = player.value;
    if (p) clock.value = p.clock;
    if (!changes.reset && !changes.changed.length && !changes.removed.length) return;
    triggerRef(player); // the player's feed, map state and counters changed
    entityChanges.emit(changes);
  }

  /** Loads pages while the player wants more; one loop per day/rewind. */
  async function pump() {
    const gen = generation;
    if (pumping === gen) return;
    pumping = gen;
    try {
      while (gen === generation && player.value?.wantsMore) {
        const p = player.value;
        const page = await options.fetchPage(p.date, cursor);
        if (gen !== generation) return;
        const opening = p.append(page.events, page.next === null, page.base);
        if (opening.reset) emit(opening);
        cursor = page.next;
        loaded.value = p.loaded;
        status.value = 'ready';
        if (pendingSeek !== null) continueSeek();
      }
    } catch (err) {
      if (gen !== generation) return;
      status.value = 'error';
      error.value = errorText(err);
      pause();
    } finally {
      if (pumping === gen) pumping = -1;
    }
  }

  function continueSeek() {
    const p = player.value;
    if (!p || pendingSeek === null) return;
    emit(p.advanceTo(pendingSeek));
    if (p.clock >= pendingSeek || p.loadedAll) pendingSeek = null;
  }

  function setDate(d: string) {
    generation++;
    pause();
    pendingSeek = null;
    cursor = null;
    date.value = d;
    error.value = null;
    status.value = 'loading';
    loaded.value = 0;
    player.value = markRaw(new ReplayPlayer(d, lookup, options.limits, stream.serverNow()));
    emit({ reset: true, changed: [], removed: [] });
    void pump();
  }

  /** Enters replay mode on a day (yesterday by default). */
  function enter(d?: string) {
    active.value = true;
    setDate(d ?? shanghaiDate(stream.serverNow() - DAY_MS));
  }

  function tick() {
    const p = player.value;
    if (!p) return;
    const now = options.now();
    const dt = now - lastTick;
    lastTick = now;
    emit(p.advanceTo(p.clock + dt * speed.value));
    if (p.clock >= p.dayEnd) pause();
    if (p.wantsMore) void pump();
  }

  function play() {
    const p = player.value;
    if (!p || playing.value) return;
    if (p.clock >= p.dayEnd) seek(p.dayStart); // played to the end: start over
    playing.value = true;
    lastTick = options.now();
    ticker.resume();
  }

  function pause() {
    playing.value = false;
    ticker.pause();
  }

  const toggle = () => (playing.value ? pause() : play());

  function setSpeed(s: number) {
    if ((REPLAY_SPEEDS as readonly number[]).includes(s)) speed.value = s;
  }

  /** Pauses and applies the next event. */
  function step() {
    const p = player.value;
    if (!p) return;
    pause();
    emit(p.step());
    if (p.wantsMore) void pump();
  }

  /** Moves the replay clock; backwards starts the day over (reloading pages if they were dropped). */
  function seek(ms: number) {
    const p = player.value;
    if (!p) return;
    const target = Math.min(p.dayEnd, Math.max(p.dayStart, ms));
    if (target < p.clock) {
      const kept = p.rewind();
      emit({ reset: true, changed: [], removed: [] });
      if (!kept) {
        generation++;
        cursor = null;
        pendingSeek = target;
        void pump();
        return;
      }
    }
    pendingSeek = target;
    continueSeek();
    if (pendingSeek !== null) void pump();
  }

  /** Back to live: the replay state is dropped; the map and feed show the live stream again. */
  function exit() {
    generation++;
    pause();
    pendingSeek = null;
    active.value = false;
    player.value = null;
    status.value = 'idle';
    error.value = null;
  }

  const onEntities = (listener: (changes: EntityChanges) => void): (() => void) => entityChanges.subscribe(listener);

  /** For tests: another page source, clock or bounds. */
  function configure(opts: Partial<ReplayOptions>) {
    options = { ...options, ...opts };
  }

  return {
    active, date, status, error, playing, speed, clock, loaded, player,
    enter, setDate, play, pause, toggle, setSpeed, step, seek, exit, onEntities, configure,
  };
});
