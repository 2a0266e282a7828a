// The range report of the view's (period, place) from /api/v1/range. For a range other than 今日 it
// is what the panels draw; on the live screen (今日) it gives the comparison with the same time
// yesterday and yesterday's curve. Refreshed while the period reaches up to now.
import { useTimeoutFn } from '@vueuse/core';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { placeParam } from '#shared/model/places';
import type { RangeReport } from '#shared/range';
import { apiGet, errorText, isAbort } from '../api';
import { isLiveRange, LIVE_RANGE, rangeQuery, reachesNow, type RangeChoice } from './rangeChoice';
import { useSessionStore } from './session';

const REFRESH_MS = 60_000;

/** The query of a place as the screen URL and the range API name it. */
export function placeQuery(place: string): string {
  const param = placeParam(place);
  return param ? `&${param}=${encodeURIComponent(place)}` : '';
}

export const useRangeStore = defineStore('range', () => {
  const session = useSessionStore();
  const choice = ref<RangeChoice>(LIVE_RANGE);
  const place = ref('town');
  /** the latest report of (choice, place); null until it arrives */
  const latest = shallowRef<RangeReport | null>(null);
  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const error = ref<string | null>(null);
  const live = computed(() => isLiveRange(choice.value));
  /** the report drawn by the panels: null on the live screen */
  const report = computed(() => (live.value ? null : latest.value));
  let request: AbortController | undefined;
  /** The next load of the same view, while it reaches now (or after a failure). */
  const refresh = useTimeoutFn(() => void load(), REFRESH_MS, { immediate: false });

  async function load() {
    request?.abort();
    refresh.stop();
    const ctl = (request = new AbortController());
    status.value = 'loading';
    try {
      const r = await apiGet<RangeReport>(session.token, `/api/v1/range?${rangeQuery(choice.value)}${placeQuery(place.value)}`, ctl.signal);
      if (ctl.signal.aborted) return;
      latest.value = r;
      status.value = 'ready';
      error.value = null;
      if (reachesNow(r, Date.now())) refresh.start();
    } catch (err) {
      if (isAbort(err)) return;
      status.value = 'error';
      error.value = errorText(err);
      refresh.start(); // try again; the previous figures stay up meanwhile
    }
  }

  /** Switches the range or the place; a report of another view is dropped at once (never shown under a new title). */
  function choose(c: RangeChoice, p = place.value) {
    choice.value = c;
    place.value = p;
    latest.value = null;
    error.value = null;
    void load();
  }

  const setPlace = (p: string) => p !== place.value && choose(choice.value, p);

  function stop() {
    request?.abort();
    refresh.stop();
  }

  return { choice, place, latest, report, status, error, live, choose, setPlace, load, stop };
});
