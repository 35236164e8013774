import { describe, expect, it } from 'vitest';
import { SpeakingDetector, rmsLevel } from './speaking.ts';

describe('rmsLevel', () => {
  it('is zero for silence and an empty frame', () => {
    expect(rmsLevel(new Uint8Array(256).fill(128))).toBe(0);
    expect(rmsLevel(new Uint8Array(0))).toBe(0);
  });
  it('is close to one for a full-scale square wave', () => {
    const frame = Uint8Array.from({ length: 256 }, (_, i) => (i % 2 === 0 ? 0 : 255));
    expect(rmsLevel(frame)).toBeGreaterThan(0.99);
  });
});

describe('SpeakingDetector', () => {
  it('turns on at once above the threshold', () => {
    const d = new SpeakingDetector({ onThreshold: 0.1, offThreshold: 0.05, holdMs: 300 });
    expect(d.update(0.01, 0)).toBe(false);
    expect(d.update(0.2, 100)).toBe(true);
  });
  it('stays on through short pauses and turns off after the hold time', () => {
    const d = new SpeakingDetector({ onThreshold: 0.1, offThreshold: 0.05, holdMs: 300 });
    d.update(0.2, 0);
    expect(d.update(0.01, 100)).toBe(true);
    expect(d.update(0.01, 350)).toBe(true);
    expect(d.update(0.01, 400)).toBe(false);
  });
  it('restarts the hold timer when the voice comes back', () => {
    const d = new SpeakingDetector({ onThreshold: 0.1, offThreshold: 0.05, holdMs: 300 });
    d.update(0.2, 0);
    d.update(0.01, 100);
    d.update(0.2, 300);
    expect(d.update(0.01, 500)).toBe(true);
    expect(d.update(0.01, 800)).toBe(false);
  });
  it('does not flicker on levels between the two thresholds', () => {
    const d = new SpeakingDetector({ onThreshold: 0.1, offThreshold: 0.05, holdMs: 300 });
    d.update(0.2, 0);
    expect(d.update(0.07, 1000)).toBe(true);
    const quiet = new SpeakingDetector({ onThreshold: 0.1, offThreshold: 0.05 });
    expect(quiet.update(0.07, 0)).toBe(false);
  });
});
