// The stream as the screen sees it: applies sync/events/heartbeat in seq order exactly once
// (shared Sequencer), keeps the data bounded, and turns silence into visible state.
// Big collections live in one raw StreamData held by a shallowRef: views that read it recompute
// when the store publishes (triggerRef, throttled), never per event and without deep proxies.
import { useIntervalFn, useTimeoutFn } from '@vueuse/core';
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, triggerRef } from 'vue';
import { Emitter } from '#shared/emitter';
import { HEARTBEAT_MS, type Heartbeat, type SeqRange, type StreamEvent, type Sync } from '#shared/protocol';

import { Sequencer } from '#shared/sequencer';
import { shanghaiDayStart } from '#shared/time';
import { useGeoStore } from './geo';
import { DEFAULT_LIMITS, StreamData, type EntityChanges, type Limits } from './streamData';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'stale' | 'error';
/** The socket's own state, as the transport reports it. */
export type LinkState = 'connecting' | 'connected' | 'disconnected' | 'error';

export interface StreamOptions {
  /** Coalesce view updates to at most one per this many ms (wall charts need no more). */
  publishMs: number;
  limits: Limits;
}

export const useStreamStore = defineStore('stream', () => {
  const geo = useGeoStore();
  /** 片区 of a 居民区, for the compact counter changes (expandDelta) */
  const lookup = { areaOf: (nb: string) => geo.index?.areaOfNeighbourhood(nb) };
  let options: StreamOptions = { publishMs: 250, limits: DEFAULT_LIMITS };
  const data = shallowRef(markRaw(new StreamData(lookup, options.limits)));
  const sequencer = markRaw(new Sequencer());
  const link = ref<LinkState>('connecting');
  const linkError = ref<string | null>(null);
  const heartbeatMs = ref(HEARTBEAT_MS);
  /** Client clock (ms) of the last heartbeat; null before the first one. */
  const lastBeatAt = ref<number | null>(null);
  /** Server clock (ms) of the last data received (events or heartbeat). */
  const lastUpdateAt = ref<number | null>(null);
  const serverOffsetMs = ref(0);
  /** Client clock, ticking a few times per heartbeat so silence is noticed without events. */
  const clock = ref(Date.now());
  /** Server time rounded down to the minute: KPI periods roll over with it. */
  const minute = ref(0);
  const synced = ref(false);
  const eventsApplied = ref(0);
  let startedAt = Date.now();
  /** performance.now() when the first sync was applied: "time to first live data". */
  let firstSyncAt: number | null = null;
  let resync: ((lastSeq: number | undefined) => void) | null = null;
  const entityChanges = new Emitter<[EntityChanges]>((err) => console.error('[stream] entity listener failed', err)); // never into the socket layer
  // Both stop with the store; neither starts before start() (the socket's first data publishes at once).
  const publishLater = useTimeoutFn(publishNow, () => options.publishMs, { immediate: false });
  const ticker = useIntervalFn(tick, () => Math.min(1_000, Math.max(100, heartbeatMs.value / 4)), { immediate: false });
  let lastPrune = 0;

  const serverNow = () => Date.now() + serverOffsetMs.value;
  const beatAgeMs = computed(() => clock.value - (lastBeatAt.value ?? startedAt));
  /** No heartbeat for two intervals: the data on screen may be out of date. */
  const stale = computed(() => beatAgeMs.value > 2 * heartbeatMs.value);
  const status = computed<ConnectionStatus>(() => {
    if (link.value === 'error') return 'error';
    if (stale.value) return 'stale';
    if (link.value === 'connected' && synced.value) return 'live';
    return lastBeatAt.value === null ? 'connecting' : 'reconnecting';
  });

  function publishNow() {
    publishLater.stop();
    triggerRef(data);
  }
  function schedulePublish() {
    if (options.publishMs <= 0) return publishNow();
    if (!publishLater.isPending.value) publishLater.start();
  }
  function notify(changes: EntityChanges) {
    if (!changes.reset && !changes.changed.length && !changes.removed.length) return;
    entityChanges.emit(changes);
  }
  function noteServerTime(iso: string) {
    const t = Date.parse(iso);
    if (Number.isFinite(t)) serverOffsetMs.value = t - Date.now();
    lastUpdateAt.value = serverNow();
    minute.value = Math.floor(serverNow() / 60_000) * 60_000;
  }

  function askResync() {
    sequencer.requestResync();
    resync?.(sequencer.applied >= 0 ? sequencer.applied : undefined);
  }

  function handleSync(sync: Sync) {
    firstSyncAt ??= performance.now();
    sequencer.onSync(sync);
    noteServerTime(sync.serverTime);
    if (sync.mode === 'snapshot') notify(data.value.loadSnapshot(sync, serverNow()));
    synced.value = true;
    publishNow();
  }

  /** `covers`: the seqs the batch stands for (a screen bound to a place gets only its place's events of them). */
  function handleEvents(batch: readonly StreamEvent[], covers?: SeqRange) {
    const { fresh, gap } = sequencer.accept(batch, covers);
    if (fresh.length) {
      const changed = [];
      for (const e of fresh) {
        const s = data.value.apply(e);
        if (s) changed.push(s);
      }
      eventsApplied.value += fresh.length;
      lastUpdateAt.value = serverNow();
      notify({ reset: false, changed, removed: data.value.overCap() ? data.value.prune(serverNow()) : [] });
      schedulePublish();
    }
    if (gap) askResync();
  }

  function handleHeartbeat(beat: Heartbeat) {
    lastBeatAt.value = Date.now();
    clock.value = lastBeatAt.value;
    noteServerTime(beat.serverTime);
    data.value.gauges = beat.gauges;
    if (sequencer.behind(beat.seq)) askResync(); // something announced never reached us
    schedulePublish();
  }

  function setLink(state: LinkState, error: string | null = null) {
    link.value = state;
    linkError.value = error;
    if (state !== 'connected') {
      synced.value = false;
      sequencer.requestResync(); // batches before the next sync would be out of context
    }
  }

  function tick() {
    clock.value = Date.now();
    const m = Math.floor(serverNow() / 60_000) * 60_000;
    if (m !== minute.value) minute.value = m;
    // A new day: the screen holds one day of counters, so it starts the day from a fresh snapshot.
    if (synced.value && shanghaiDayStart(serverNow()) !== data.value.dayStart) {
      synced.value = false;
      sequencer.requestResync();
      resync?.(undefined);
    }
    if (clock.value - lastPrune > 60_000) {
      lastPrune = clock.value;
      const removed = data.value.prune(serverNow());
      notify({ reset: false, changed: [], removed });
      schedulePublish();
    }
  }

  /** Starts the clocks; `onResync` asks the server for a resume from a seq (or a snapshot). */
  function start(opts: { heartbeatMs?: number; onResync: (lastSeq: number | undefined) => void } & Partial<StreamOptions>) {
    options = { ...options, ...opts };
    if (opts.limits) data.value = markRaw(new StreamData(lookup, opts.limits));
    heartbeatMs.value = opts.heartbeatMs ?? HEARTBEAT_MS;
    resync = opts.onResync;
    startedAt = Date.now();
    lastPrune = startedAt;
    stop();
    ticker.resume();
  }

  function stop() {
    ticker.pause();
    publishLater.stop();
  }

  const onEntities = (listener: (changes: EntityChanges) => void): (() => void) => entityChanges.subscribe(listener);

  return {
    // state
    data, link, linkError, heartbeatMs, lastBeatAt, lastUpdateAt, clock, minute, synced, eventsApplied,
    // derived
    stale, status, beatAgeMs,
    appliedSeq: () => sequencer.applied,
    firstSyncAt: () => firstSyncAt,
    serverNow,
    // actions
    start, stop, tick, publishNow, setLink, handleSync, handleEvents, handleHeartbeat, onEntities,
  };
});
export type StreamStore = ReturnType<typeof useStreamStore>;
