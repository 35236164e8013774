import { computed, onScopeDispose, ref, watch, type Ref } from 'vue';
import { bestGrid, type GridLayout } from '../lib/gridLayout.ts';

/**
 * Measures `element` and returns the best grid for `count` tiles in it, updated on resize. The
 * element may come and go (v-if), so the ref is watched rather than read once at mount.
 */
export function useGrid(element: Ref<HTMLElement | null>, count: Ref<number>, gap = 12): Ref<GridLayout> {
  const width = ref(0);
  const height = ref(0);
  const observer = new ResizeObserver(([entry]) => {
    if (!entry) return;
    width.value = entry.contentRect.width;
    height.value = entry.contentRect.height;
  });
  watch(
    element,
    (current, previous) => {
      if (previous) observer.unobserve(previous);
      if (current) observer.observe(current);
      else width.value = height.value = 0;
    },
    { immediate: true, flush: 'post' },
  );
  onScopeDispose(() => observer.disconnect());
  return computed(() => bestGrid(count.value, width.value, height.value, { gap }));
}
