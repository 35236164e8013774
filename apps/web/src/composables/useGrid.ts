import { computed, type Ref } from 'vue';
import { bestGrid, type GridLayout } from '../lib/gridLayout.ts';
import { useElementSize } from './useElementSize.ts';

/**
 * Measures `element` and returns the best grid for `count` tiles in it, updated on resize. The
 * element may come and go (v-if): useElementSize watches the ref rather than reading it once.
 */
export function useGrid(element: Ref<HTMLElement | null>, count: Ref<number>, gap = 12): Ref<GridLayout> {
  const { width, height } = useElementSize(element);
  return computed(() => bestGrid(count.value, width.value, height.value, { gap }));
}
