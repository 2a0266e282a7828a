// Topic rotation on a wall: every rotateSec the next topic, unless pinned. A manual change
// restarts the interval so the chosen topic gets its full time.
import { useIntervalFn } from '@vueuse/core';
import { watch } from 'vue';
import type { ScreenStore } from '../stores/screen';

export function useRotation(screen: ScreenStore) {
  // stopped with the component's scope, like the watch
  const { pause, resume } = useIntervalFn(() => screen.rotate(), () => screen.rotateSec * 1_000, { immediate: false });
  // resume() keeps a running interval when rotateSec is 0, so pause first
  watch(() => [screen.topic, screen.pinned, screen.rotateSec], () => {
    pause();
    resume();
  }, { immediate: true });
}
