import { onScopeDispose, ref, watch, type Ref } from 'vue';

/** The content box of `element` (which may come and go), updated on resize. */
export function useElementSize(element: Ref<HTMLElement | null>): { width: Ref<number>; height: Ref<number> } {
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
  return { width, height };
}
