/** 10 ms of audio per frame, as WebRTC audio sources expect. */
export const AUDIO_FRAME_MS = 10;

export interface ToneOptions {
  sampleRate?: number;
  frequencyHz?: number;
  /** Peak amplitude, 0-1. */
  amplitude?: number;
}

/**
 * A sine tone cut into 10 ms frames of 16-bit mono PCM. The samples of one full period are
 * computed once; each frame is copied out of that table into one reused buffer.
 */
export class ToneGenerator {
  readonly sampleRate: number;
  readonly samples: Int16Array;
  private readonly table: Int16Array;
  private phase = 0;

  constructor(options: ToneOptions = {}) {
    this.sampleRate = options.sampleRate ?? 48_000;
    const frequency = options.frequencyHz ?? 440;
    const amplitude = options.amplitude ?? 0.25;
    if (!(this.sampleRate % 100 === 0 && this.sampleRate > 0)) throw new RangeError('sampleRate must be a multiple of 100');
    if (!(frequency > 0 && frequency < this.sampleRate / 2)) throw new RangeError('frequencyHz must be between 0 and half the sample rate');
    // A table of whole periods that spans an integer number of samples keeps the tone seamless.
    const periods = Math.max(1, Math.round(frequency / gcd(Math.round(frequency), this.sampleRate)));
    const length = Math.round((this.sampleRate * periods) / frequency);
    this.table = new Int16Array(length);
    for (let i = 0; i < length; i++) this.table[i] = Math.round(Math.sin((2 * Math.PI * frequency * i) / this.sampleRate) * amplitude * 32767);
    this.samples = new Int16Array((this.sampleRate * AUDIO_FRAME_MS) / 1000);
  }

  /** Fills `samples` with the next 10 ms and returns it. */
  next(): Int16Array {
    const n = this.samples.length;
    let written = 0;
    while (written < n) {
      const take = Math.min(n - written, this.table.length - this.phase);
      this.samples.set(this.table.subarray(this.phase, this.phase + take), written);
      written += take;
      this.phase = (this.phase + take) % this.table.length;
    }
    return this.samples;
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
