// A view of a changing value that follows it at most once per interval (trailing), for parts of
// the wall where faster updates cost redraws without telling a viewer anything more.
import { onBeforeUnmount, shallowRef, watch, type ShallowRef } from 'vue';

export function useThrottled<T>(source: () => T, intervalMs: number): ShallowRef<T> {
  const view = shallowRef(source());
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const update = () => {
    timer = undefined;
    last = Date.now();
    view.value = source();
  };
  const stop = watch(source, () => {
    if (timer) return;
    const wait = last + intervalMs - Date.now();
    if (wait <= 0) update();
    else timer = setTimeout(update, wait);
  });
  onBeforeUnmount(() => {
    stop();
    clearTimeout(timer);
  });
  return view;
}
