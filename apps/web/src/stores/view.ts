import { defineStore } from './store.ts';
import { computed, ref, shallowRef } from 'vue';

export type Layout = 'grid' | 'speaker';
export type Panel = 'chat' | 'participants';

/**
 * How the call is shown: the layout, a pinned tile, the active speaker, which side panel is open,
 * and the volume chosen for each person. Nothing here leaves this browser.
 */
export const useViewStore = defineStore(() => {
  const layout = ref<Layout>('grid');
  const pinned = ref<string | null>(null);
  /** Chosen from audio levels (activeSpeaker.ts), with hysteresis; null until someone speaks. */
  const speaker = ref<string | null>(null);
  const panel = ref<Panel | null>(null);
  /** Per-person playback volume (0..1); absent means full volume. */
  const volumes = shallowRef<ReadonlyMap<string, number>>(new Map());

  /** A pin shows the speaker layout with the pinned tile large, whatever the layout choice. */
  const effectiveLayout = computed<Layout>(() => (pinned.value !== null ? 'speaker' : layout.value));

  function toggleLayout(): void {
    const next = effectiveLayout.value === 'grid' ? 'speaker' : 'grid';
    pinned.value = null;
    layout.value = next;
  }

  function togglePin(id: string): void {
    pinned.value = pinned.value === id ? null : id;
  }

  function togglePanel(which: Panel): void {
    panel.value = panel.value === which ? null : which;
  }

  function volumeOf(id: string): number {
    return volumes.value.get(id) ?? 1;
  }

  function setVolume(id: string, volume: number): void {
    const next = new Map(volumes.value);
    next.set(id, Math.min(1, Math.max(0, volume)));
    volumes.value = next;
  }

  // Audio levels arrive from every tile's meter ten times a second: kept out of Vue's reactivity,
  // read (peak since the last read) by the speaker timer.
  const levels = new Map<string, number>();
  function reportLevel(id: string, level: number): void {
    levels.set(id, Math.max(levels.get(id) ?? 0, level));
  }
  function takeLevel(id: string): number {
    const level = levels.get(id) ?? 0;
    levels.delete(id);
    return level;
  }

  /** Back to defaults for the next call. */
  function reset(): void {
    layout.value = 'grid';
    pinned.value = null;
    speaker.value = null;
    panel.value = null;
    volumes.value = new Map();
    levels.clear();
  }

  return {
    layout,
    pinned,
    speaker,
    panel,
    volumes,
    effectiveLayout,
    toggleLayout,
    togglePin,
    togglePanel,
    volumeOf,
    setVolume,
    reportLevel,
    takeLevel,
    reset,
  };
});
