import { onScopeDispose, ref, watch, type Ref, type WatchSource } from 'vue';
import { SpeakingDetector, rmsLevel } from '../lib/speaking.ts';

interface Meter {
  analyser: AnalyserNode;
  source: MediaStreamAudioSourceNode;
  samples: Uint8Array<ArrayBuffer>;
  detector: SpeakingDetector;
  onLevel: (level: number, speaking: boolean) => void;
}

// One AudioContext and one timer for every meter on the page: cheap enough for eight tiles on a
// two-core laptop, and a timer keeps running in background tabs where animation frames stop.
let context: AudioContext | null = null;
const meters = new Set<Meter>();
let timer: ReturnType<typeof setInterval> | null = null;
const POLL_MS = 100;

function audioContext(): AudioContext | null {
  if (context) return context;
  if (typeof AudioContext === 'undefined') return null;
  context = new AudioContext();
  return context;
}

/** Browsers start an AudioContext suspended until a user gesture; call this from click handlers. */
export function resumeAudio(): void {
  void audioContext()?.resume().catch(() => undefined);
}

function poll(): void {
  const now = performance.now();
  for (const meter of meters) {
    meter.analyser.getByteTimeDomainData(meter.samples);
    const level = rmsLevel(meter.samples);
    meter.onLevel(level, meter.detector.update(level, now));
  }
}

function addMeter(track: MediaStreamTrack, onLevel: Meter['onLevel']): (() => void) | null {
  const ctx = audioContext();
  if (!ctx) return null;
  const source = ctx.createMediaStreamSource(new MediaStream([track]));
  const analyser = ctx.createAnalyser();
  // About 43 ms of audio per reading at 48 kHz: short sounds (a syllable, the fake mic's beep)
  // are caught by more of the 100 ms polls than with a shorter window.
  analyser.fftSize = 2048;
  source.connect(analyser);
  const meter: Meter = { analyser, source, samples: new Uint8Array(analyser.fftSize), detector: new SpeakingDetector(), onLevel };
  meters.add(meter);
  timer ??= setInterval(poll, POLL_MS);
  return () => {
    meters.delete(meter);
    source.disconnect();
    if (meters.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** Whether the audio on `track` is speech-loud right now, and its level (0..1), for as long as the caller's scope lives. */
export function useSpeaking(track: WatchSource<MediaStreamTrack | null>): { speaking: Ref<boolean>; level: Ref<number> } {
  const speaking = ref(false);
  const level = ref(0);
  let stop: (() => void) | null = null;
  watch(
    track,
    (current) => {
      stop?.();
      stop = null;
      speaking.value = false;
      level.value = 0;
      if (current && current.readyState === 'live') {
        stop = addMeter(current, (l, s) => {
          level.value = l;
          speaking.value = s;
        });
      }
    },
    { immediate: true },
  );
  onScopeDispose(() => stop?.());
  return { speaking, level };
}
