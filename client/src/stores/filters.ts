// The active filters of feed and map (see shared/src/filters.ts). The place (片区/居民区/网格) is the
// drill-down selection of the screen store, so KPIs and charts follow it where rollups allow.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { NO_FILTERS, isFiltering, normalise, type Filters } from '#shared/filters';

export const useFilterStore = defineStore('filters', () => {
  const filters = ref<Filters>({ ...NO_FILTERS });
  const active = computed(() => isFiltering(filters.value));

  function set(patch: Partial<Filters>) {
    filters.value = normalise({ ...filters.value, ...patch });
  }
  function clear() {
    filters.value = { ...NO_FILTERS };
  }

  return { filters, active, set, clear };
});
