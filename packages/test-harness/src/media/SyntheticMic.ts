import { RTCAudioSource } from '../wrtc.ts';
import { AUDIO_FRAME_MS, ToneGenerator } from './tone.ts';
import type { Ticker } from './ticker.ts';

/** A microphone playing a tone: 10 ms frames of 16-bit mono PCM pushed into a wrtc RTCAudioSource. */
export class SyntheticMic {
  readonly track: MediaStreamTrack;
  private readonly source = new RTCAudioSource();
  private readonly tone: ToneGenerator;
  private readonly data: { samples: Int16Array; sampleRate: number; bitsPerSample: number; channelCount: number; numberOfFrames: number };
  private unsubscribe: (() => void) | null = null;
  framesSent = 0;

  constructor(
    private readonly ticker: Ticker,
    frequencyHz = 440,
  ) {
    this.tone = new ToneGenerator({ frequencyHz });
    this.data = { samples: this.tone.samples, sampleRate: this.tone.sampleRate, bitsPerSample: 16, channelCount: 1, numberOfFrames: this.tone.samples.length };
    this.track = this.source.createTrack();
  }

  get running(): boolean {
    return this.unsubscribe !== null;
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.ticker.subscribe(AUDIO_FRAME_MS, () => {
      this.tone.next();
      this.source.onData(this.data);
      this.framesSent++;
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  close(): void {
    this.stop();
    this.track.stop();
  }
}
