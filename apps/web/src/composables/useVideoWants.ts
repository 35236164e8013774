import type { VideoWant } from '@meshmeet/rtc-core';
import { onScopeDispose, ref, watchEffect } from 'vue';
import { tileWant } from '../lib/videoWants.ts';

/**
 * Tells each remote sender what its tile needs (`tileWant`), again whenever the page is hidden or
 * shown, the layout changes or people come and go. `ask` may repeat itself: the mesh sends a want
 * only when it changes.
 */
export function useVideoWants(ids: () => readonly string[], widthOf: (id: string) => number | undefined, ask: (id: string, want: VideoWant) => void): void {
  const visible = ref(document.visibilityState !== 'hidden');
  const onChange = (): void => void (visible.value = document.visibilityState !== 'hidden');
  document.addEventListener('visibilitychange', onChange);
  onScopeDispose(() => document.removeEventListener('visibilitychange', onChange));
  watchEffect(() => {
    for (const id of ids()) ask(id, tileWant(visible.value, widthOf(id)));
  });
}
