// Topic rotation on a wall: every rotateSec the next topic, unless pinned. A manual change
// restarts the interval so the chosen topic gets its full time.
import { onBeforeUnmount, watch } from 'vue';
import type { ScreenStore } from '../stores/screen';

export function useRotation(screen: ScreenStore) {
  let timer: ReturnType<typeof setInterval> | undefined;
  const restart = () => {
    clearInterval(timer);
    timer = screen.rotateSec > 0 ? setInterval(() => screen.rotate(), screen.rotateSec * 1_000) : undefined;
  };
  const stop = watch(() => [screen.topic, screen.pinned, screen.rotateSec], restart, { immediate: true });
  onBeforeUnmount(() => {
    stop();
    clearInterval(timer);
  });
}
