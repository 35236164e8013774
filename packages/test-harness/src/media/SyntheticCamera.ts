import type { VideoStep } from '@meshmeet/rtc-core';
import { RTCVideoSource } from '../wrtc.ts';
import { steppedFormat } from './steppedFormat.ts';
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
 * exists from construction; frames flow only while started. `setStep` changes the size and rate
 * of the frames that follow on the same track, as a browser's encoder does under
 * scaleResolutionDownBy and maxFramerate (which wrtc's setParameters refuses).
 */
export class SyntheticCamera {
  readonly track: MediaStreamTrack;
  private readonly source = new RTCVideoSource();
  private unsubscribe: (() => void) | null = null;
  private current: VideoFormat;
  private painter: TestPattern;
  /** Frames of earlier patterns (each size has its own). */
  private earlierFrames = 0;

  constructor(
    /** The captured format; the frames sent are `format` unless a step lowers them. */
    readonly format: VideoFormat,
    private readonly label: string,
    private readonly ticker: Ticker,
    private readonly hue?: number,
  ) {
    this.current = { ...format };
    this.painter = this.paint(format);
    this.track = this.source.createTrack();
  }

  get running(): boolean {
    return this.unsubscribe !== null;
  }

  /** The pattern drawing the present frames. */
  get pattern(): TestPattern {
    return this.painter;
  }

  /** The format of the frames sent now. */
  get sending(): VideoFormat {
    return { ...this.current };
  }

  /** Frames handed to the source so far. */
  get framesSent(): number {
    return this.earlierFrames + this.painter.count;
  }

  /** Sends the following frames at `format` stepped by `step` (null: the captured format). Returns whether it changed. */
  setStep(step: VideoStep | null): boolean {
    const next = steppedFormat(this.format, step);
    const { width, height, fps } = this.current;
    if (next.width === width && next.height === height && next.fps === fps) return false;
    if (next.width !== width || next.height !== height) {
      this.earlierFrames += this.painter.count;
      this.painter = this.paint(next);
    }
    this.current = next;
    // The ticker runs one timer per period: a new rate is a new subscription.
    if (this.running && next.fps !== fps) {
      this.stop();
      this.start();
    }
    return true;
  }

  start(): void {
    if (this.unsubscribe) return;
    const period = Math.round((1000 / this.current.fps) * 100) / 100;
    // wrtc copies the pixels into its own buffer inside onFrame, so one buffer serves every frame;
    // it takes each frame's own width and height, so a new size needs no new track.
    this.unsubscribe = this.ticker.subscribe(period, () => this.source.onFrame(this.painter.next()));
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

  private paint(format: VideoFormat): TestPattern {
    return new TestPattern({ width: format.width, height: format.height, label: this.label, hue: this.hue });
  }
}
