import { onScopeDispose, watch, type WatchSource } from 'vue';
import { INITIAL_SPEAKER_STATE, nextSpeaker, type SpeakerState } from '../lib/activeSpeaker.ts';
import { useViewStore } from '../stores/view.ts';

const TICK_MS = 200;

/**
 * Keeps the view store's `speaker` on the active speaker among `candidates` (remote participants
 * with their mic on), from the peak levels the tiles report between ticks.
 */
export function useActiveSpeaker(candidates: WatchSource<ReadonlyArray<{ id: string; micOn: boolean }>>): void {
  const view = useViewStore();
  let state: SpeakerState = INITIAL_SPEAKER_STATE;
  let current: ReadonlyArray<{ id: string; micOn: boolean }> = [];
  watch(candidates, (list) => (current = list), { immediate: true });
  const timer = setInterval(() => {
    const levels = new Map<string, number>();
    for (const c of current) {
      const level = view.takeLevel(c.id);
      levels.set(c.id, c.micOn ? level : 0);
    }
    state = nextSpeaker(state, levels, performance.now());
    if (view.speaker !== state.current) view.speaker = state.current;
  }, TICK_MS);
  onScopeDispose(() => clearInterval(timer));
}
