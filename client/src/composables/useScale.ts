// The wall scale u (CSS px per design px), provided by the screen canvas to charts and the map.
import { computed, inject, provide, type ComputedRef, type InjectionKey } from 'vue';

const scaleKey: InjectionKey<ComputedRef<number>> = Symbol('wall scale');

export const provideScale = (u: ComputedRef<number>): void => provide(scaleKey, u);
export const useScale = (): ComputedRef<number> => inject(scaleKey, computed(() => 1));
