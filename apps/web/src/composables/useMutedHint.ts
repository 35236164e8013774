import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import { useMediaStore } from '../stores/media.ts';
import { usePrefsStore } from '../stores/prefs.ts';
import { useSpeaking } from './useSpeaking.ts';

/** How long the hint stays after the person stopped talking. */
const HINT_MS = 3500;

/**
 * "You are muted" when someone talks with the microphone off. Turning the mic off stops its track
 * (rtc-core's LocalMedia), so there is nothing to measure; while the mic is off in a call this
 * listens on a separate capture of the same device that never leaves the page (as Meet does; the
 * browser's mic indicator stays on meanwhile). It only does so once microphone permission is
 * known to be granted, so it never prompts.
 */
export function useMutedHint(): { hint: Ref<boolean>; dismiss: () => void } {
  const media = useMediaStore();
  const { prefs } = usePrefsStore();
  const hint = ref(false);
  const monitor = shallowRef<MediaStreamTrack | null>(null);
  let micWasOn = media.mic;
  let disposed = false;
  let hideTimer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  function stopMonitor(): void {
    generation += 1;
    monitor.value?.stop();
    monitor.value = null;
  }

  async function permitted(): Promise<boolean> {
    if (micWasOn) return true;
    try {
      const status = await navigator.permissions.query({ name: 'microphone' as PermissionName });
      return status.state === 'granted';
    } catch {
      return false;
    }
  }

  async function startMonitor(): Promise<void> {
    const mine = ++generation;
    if (!navigator.mediaDevices?.getUserMedia || !(await permitted())) return;
    try {
      const deviceId = prefs.micDeviceId;
      const stream = await navigator.mediaDevices.getUserMedia({ audio: deviceId ? { deviceId: { exact: deviceId } } : true });
      const [track] = stream.getAudioTracks();
      if (mine !== generation || disposed || media.mic) {
        for (const t of stream.getTracks()) t.stop();
        return;
      }
      monitor.value = track ?? null;
    } catch {
      // No hint then; nothing else depends on it.
    }
  }

  watch(
    () => media.mic,
    (on) => {
      if (on) {
        micWasOn = true;
        stopMonitor();
        hint.value = false;
      } else {
        void startMonitor();
      }
    },
    { immediate: true },
  );

  const { speaking } = useSpeaking(monitor);
  watch(speaking, (now) => {
    if (media.mic) return;
    clearTimeout(hideTimer);
    if (now) hint.value = true;
    else hideTimer = setTimeout(() => (hint.value = false), HINT_MS);
  });

  function dismiss(): void {
    hint.value = false;
  }

  onScopeDispose(() => {
    disposed = true;
    clearTimeout(hideTimer);
    stopMonitor();
  });
  return { hint, dismiss };
}
