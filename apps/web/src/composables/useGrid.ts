import { computed, onBeforeUnmount, onMounted, ref, type Ref } from 'vue';
import { bestGrid, type GridLayout } from '../lib/gridLayout.ts';

/** Measures `element` and returns the best grid for `count` tiles in it, updated on resize. */
export function useGrid(element: Ref<HTMLElement | null>, count: Ref<number>, gap = 12): Ref<GridLayout> {
  const width = ref(0);
  const height = ref(0);
  let observer: ResizeObserver | null = null;
  onMounted(() => {
    observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      width.value = entry.contentRect.width;
      height.value = entry.contentRect.height;
    });
    if (element.value) observer.observe(element.value);
  });
  onBeforeUnmount(() => observer?.disconnect());
  return computed(() => bestGrid(count.value, width.value, height.value, { gap }));
}
