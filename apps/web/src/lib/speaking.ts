/** Root-mean-square level (0..1) of one analyser frame in the 8-bit time-domain format (128 = silence). */
export function rmsLevel(samples: Uint8Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) {
    const v = (s - 128) / 128;
    sum += v * v;
  }
  return Math.sqrt(sum / samples.length);
}

export interface SpeakingOptions {
  /** Level above which someone counts as speaking. */
  onThreshold?: number;
  /** Level below which the hold timer starts (lower than onThreshold, so noise does not flicker). */
  offThreshold?: number;
  /** How long the level must stay low before the indicator goes off, in ms. */
  holdMs?: number;
}

/**
 * Turns a stream of audio levels into a steady "speaking" flag: on at once above a threshold,
 * off only after the level stayed below a lower threshold for a while.
 */
export class SpeakingDetector {
  private readonly on: number;
  private readonly off: number;
  private readonly holdMs: number;
  private speaking = false;
  private quietSince: number | null = null;

  constructor(options: SpeakingOptions = {}) {
    this.on = options.onThreshold ?? 0.04;
    this.off = options.offThreshold ?? 0.02;
    this.holdMs = options.holdMs ?? 400;
  }

  update(level: number, now: number): boolean {
    if (level >= this.on) {
      this.speaking = true;
      this.quietSince = null;
    } else if (level < this.off && this.speaking) {
      this.quietSince ??= now;
      if (now - this.quietSince >= this.holdMs) {
        this.speaking = false;
        this.quietSince = null;
      }
    } else {
      this.quietSince = null;
    }
    return this.speaking;
  }
}
