import { describe, expect, it } from 'vitest';
import { ToneGenerator } from './tone.ts';

describe('ToneGenerator', () => {
  it('yields 10 ms frames of 16-bit samples in one reused buffer', () => {
    const tone = new ToneGenerator({ sampleRate: 48_000 });
    const frame = tone.next();
    expect(frame).toBeInstanceOf(Int16Array);
    expect(frame.length).toBe(480);
    expect(tone.next()).toBe(frame);
  });

  it('plays the requested frequency without a seam between frames', () => {
    const tone = new ToneGenerator({ sampleRate: 48_000, frequencyHz: 440, amplitude: 0.5 });
    const second = new Int16Array(48_000);
    for (let i = 0; i < 100; i++) second.set(tone.next(), i * 480);
    let upward = 0;
    let maxStep = 0;
    for (let i = 1; i < second.length; i++) {
      if ((second[i - 1] ?? 0) < 0 && (second[i] ?? 0) >= 0) upward++;
      maxStep = Math.max(maxStep, Math.abs((second[i] ?? 0) - (second[i - 1] ?? 0)));
    }
    expect(upward).toBeGreaterThanOrEqual(439);
    expect(upward).toBeLessThanOrEqual(441);
    // A sine at 440 Hz moves at most 2*pi*440/48000 of its amplitude per sample; a seam would jump.
    expect(maxStep).toBeLessThanOrEqual(Math.ceil(0.5 * 32767 * ((2 * Math.PI * 440) / 48_000)) + 1);
    expect(Math.max(...second)).toBeGreaterThan(16_000);
  });

  it('refuses a frequency above Nyquist', () => {
    expect(() => new ToneGenerator({ frequencyHz: 30_000 })).toThrow(RangeError);
  });
});
