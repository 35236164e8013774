import { RTCVideoSource } from '../wrtc.ts';
import { TestPattern } from './testPattern.ts';
import type { Ticker } from './ticker.ts';

export interface VideoFormat {
  width: number;
  height: number;
  fps: number;
}

/** Parses "320x240@15" (fps optional, default 15). */
export function parseVideoFormat(text: string): VideoFormat {
  const match = /^(\d+)x(\d+)(?:@(\d+(?:\.\d+)?))?$/.exec(text.trim());
  if (!match) throw new RangeError(`video format must look like 320x240@15, got "${text}"`);
  const format = { width: Number(match[1]), height: Number(match[2]), fps: Number(match[3] ?? 15) };
  if (format.width % 2 || format.height % 2 || format.width < 16 || format.height < 16) throw new RangeError('video width and height must be even and at least 16');
  if (!(format.fps > 0 && format.fps <= 60)) throw new RangeError('video fps must be in (0, 60]');
  return format;
}

/**
 * A camera made of a wrtc RTCVideoSource fed with a TestPattern from a shared ticker. The track
 * exists from construction; frames flow only while started.
 */
export class SyntheticCamera {
  readonly track: MediaStreamTrack;
  readonly pattern: TestPattern;
  private readonly source = new RTCVideoSource();
  private unsubscribe: (() => void) | null = null;

  constructor(
    readonly format: VideoFormat,
    label: string,
    private readonly ticker: Ticker,
    hue?: number,
  ) {
    this.pattern = new TestPattern({ width: format.width, height: format.height, label, hue });
    this.track = this.source.createTrack();
  }

  get running(): boolean {
    return this.unsubscribe !== null;
  }

  /** Frames handed to the source so far. */
  get framesSent(): number {
    return this.pattern.count;
  }

  start(): void {
    if (this.unsubscribe) return;
    const period = Math.round((1000 / this.format.fps) * 100) / 100;
    // wrtc copies the pixels into its own buffer inside onFrame, so one buffer serves every frame.
    this.unsubscribe = this.ticker.subscribe(period, () => this.source.onFrame(this.pattern.next()));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Stops the frames and ends the track. */
  close(): void {
    this.stop();
    this.track.stop();
  }
}
