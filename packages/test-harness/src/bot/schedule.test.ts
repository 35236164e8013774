import { describe, expect, it } from 'vitest';
import { parseDuration, parseSchedule } from './schedule.ts';

describe('parseDuration', () => {
  it('reads ms, s, m and bare seconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration('2')).toBe(2000);
  });
  it('refuses anything else', () => {
    expect(() => parseDuration('ten')).toThrow(/duration/);
    expect(() => parseDuration('-1s')).toThrow(RangeError);
  });
});

describe('parseSchedule', () => {
  it('sorts the steps by time', () => {
    expect(parseSchedule('camera:on@20s, camera:off@10s,screen:on@5s')).toEqual([
      { atMs: 5000, source: 'screen', on: true },
      { atMs: 10_000, source: 'camera', on: false },
      { atMs: 20_000, source: 'camera', on: true },
    ]);
    expect(parseSchedule('')).toEqual([]);
  });
  it('names the bad step', () => {
    expect(() => parseSchedule('webcam:off@1s')).toThrow(/unknown media source "webcam"/);
    expect(() => parseSchedule('camera@1s')).toThrow(/camera@1s/);
  });
});
