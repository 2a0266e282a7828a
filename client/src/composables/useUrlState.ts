// Reads the view (filters, place, range) from the address bar once the geography is loaded, and
// keeps the address bar current with history.replaceState (no history entries, no reload).
import { onBeforeUnmount, watch } from 'vue';
import { useFilterStore } from '../stores/filters';
import { useGeoStore } from '../stores/geo';
import { useRangeStore } from '../stores/range';
import { useScreenStore } from '../stores/screen';
import { readViewState, writeViewState } from '../stores/urlState';

export function useUrlState(): void {
  const filters = useFilterStore();
  const screen = useScreenStore();
  const range = useRangeStore();
  const geo = useGeoStore();
  if (geo.index) {
    const v = readViewState(location.search, geo.index);
    filters.filters = v.filters;
    if (v.selection.level !== 'town') screen.select(v.selection);
    range.choose(v.range, v.selection.id);
  } else range.choose(range.choice);
  // The range report follows the place drilled into (on the live screen it carries yesterday's figures).
  const stopPlace = watch(() => screen.selection.id, (place) => range.setPlace(place));
  const stop = watch(
    () => writeViewState(location.search, { filters: filters.filters, selection: screen.selection, range: range.choice }),
    (search) => {
      if (search === location.search) return;
      history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
    },
  );
  onBeforeUnmount(() => {
    stop();
    stopPlace();
    range.stop();
  });
}
