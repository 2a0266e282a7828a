// The time range the KPI cards, charts and rankings show. 今日 is the live screen; any other
// range is a RangeReport recomputed by the server from rollups (环比 included), refreshed while
// the range reaches up to now. The live feed and map keep running either way.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { RangeReport } from '../../../shared/src/range';
import { apiGet, errorText, isAbort } from '../api';
import { isLiveRange, LIVE_RANGE, rangeQuery, reachesNow, type RangeChoice } from './rangeView';
import { useSessionStore } from './session';

const REFRESH_MS = 60_000;

export const useRangeStore = defineStore('range', () => {
  const session = useSessionStore();
  const choice = ref<RangeChoice>(LIVE_RANGE);
  /** the report drawn; null in live mode */
  const report = shallowRef<RangeReport | null>(null);
  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const error = ref<string | null>(null);
  const live = computed(() => isLiveRange(choice.value));
  let request: AbortController | undefined;
  let refresh: ReturnType<typeof setTimeout> | undefined;

  async function load() {
    request?.abort();
    clearTimeout(refresh);
    if (live.value) return;
    const ctl = (request = new AbortController());
    status.value = 'loading';
    try {
      const r = await apiGet<RangeReport>(session.token, `/api/v1/range?${rangeQuery(choice.value)}`, ctl.signal);
      if (ctl.signal.aborted) return;
      report.value = r;
      status.value = 'ready';
      error.value = null;
      if (reachesNow(r, Date.now())) refresh = setTimeout(load, REFRESH_MS);
    } catch (err) {
      if (isAbort(err)) return;
      status.value = 'error';
      error.value = errorText(err);
      refresh = setTimeout(load, REFRESH_MS); // try again; the previous figures stay up meanwhile
    }
  }

  /** Switches the range; a report of another range is dropped at once (never shown under a new title). */
  function choose(c: RangeChoice) {
    choice.value = c;
    report.value = null;
    error.value = null;
    status.value = 'idle';
    if (!isLiveRange(c)) void load();
    else {
      request?.abort();
      clearTimeout(refresh);
    }
  }

  function stop() {
    request?.abort();
    clearTimeout(refresh);
  }

  return { choice, report, status, error, live, choose, load, stop };
});
export type RangeStore = ReturnType<typeof useRangeStore>;
