// The town's geography, loaded once at boot and never made reactive (it is large and static).
import { defineStore } from 'pinia';
import { markRaw, shallowRef } from 'vue';
import type { TownGeo } from '#shared/geo';
import { buildGeoIndex, type GeoIndex } from './geoIndex';

export const useGeoStore = defineStore('geo', () => {
  const index = shallowRef<GeoIndex | null>(null);
  function load(geo: TownGeo) {
    index.value = markRaw(buildGeoIndex(markRaw(geo)));
  }
  return { index, load };
});
