// The browser viewport size, updated on resize (debounced a frame) and cleaned up on unmount.
import { onBeforeUnmount, onMounted, ref } from 'vue';

export function useViewport() {
  const width = ref(window.innerWidth);
  const height = ref(window.innerHeight);
  let frame = 0;
  const onResize = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      width.value = window.innerWidth;
      height.value = window.innerHeight;
    });
  };
  onMounted(() => window.addEventListener('resize', onResize));
  onBeforeUnmount(() => {
    cancelAnimationFrame(frame);
    window.removeEventListener('resize', onResize);
  });
  return { width, height };
}
