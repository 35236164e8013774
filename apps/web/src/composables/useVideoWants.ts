import type { VideoWant } from '@meshmeet/rtc-core';
import { onScopeDispose, ref, watchEffect } from 'vue';
import { tileWant } from '../lib/videoWants.ts';

/**
 * Tells each remote sender what its tile needs (`tileWant`), again whenever the page is hidden or
 * shown, the layout changes or people come and go. `ask` may repeat itself: the mesh sends a want
 * only when it changes.
 */
export function useVideoWants(
  ids: () => readonly string[],
  /** A tile's laid-out width; null until the stage has a size (asking then would pause everyone for a moment). */
  widthOf: (id: string) => number | undefined | null,
  ask: (id: string, want: VideoWant) => void,
): void {
  const visible = ref(document.visibilityState !== 'hidden');
  const onChange = (): void => void (visible.value = document.visibilityState !== 'hidden');
  document.addEventListener('visibilitychange', onChange);
  onScopeDispose(() => document.removeEventListener('visibilitychange', onChange));
  watchEffect(() => {
    for (const id of ids()) {
      const width = widthOf(id);
      if (width !== null) ask(id, tileWant(visible.value, width));
    }
  });
}
