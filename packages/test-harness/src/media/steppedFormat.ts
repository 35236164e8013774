import type { VideoStep } from '@meshmeet/rtc-core';
import type { VideoFormat } from './SyntheticCamera.ts';

/** The smallest side a TestPattern draws (its label and counter need the room). */
const MIN_SIDE = 16;

const even = (value: number): number => Math.max(MIN_SIDE, Math.round(value / 2) * 2);

/**
 * What a browser's encoder would send of `base` under `step`: the size divided by
 * scaleResolutionDownBy (rounded to even numbers, since I420 halves each side for chroma) and the
 * frame rate capped at maxFramerate. `null` = no step, the base format.
 */
export function steppedFormat(base: VideoFormat, step: VideoStep | null): VideoFormat {
  if (!step) return { ...base };
  const scale = Math.max(1, step.scaleResolutionDownBy);
  return { width: even(base.width / scale), height: even(base.height / scale), fps: Math.min(base.fps, step.maxFramerate) };
}

/** "214x160@24" */
export function formatText(format: VideoFormat): string {
  return `${format.width}x${format.height}@${format.fps}`;
}
