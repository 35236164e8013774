import { cameraStep } from '@meshmeet/rtc-core';
import { describe, expect, it } from 'vitest';
import { formatText, steppedFormat } from './steppedFormat.ts';

const base = { width: 320, height: 240, fps: 30 };

describe('steppedFormat', () => {
  it('follows the camera steps by room size, sizes rounded to even', () => {
    const at = (others: number, screen = false): string => formatText(steppedFormat(base, cameraStep(others, screen)));
    expect(at(1)).toBe('320x240@30');
    expect(at(2)).toBe('320x240@30');
    expect(at(3)).toBe('214x160@24'); // 213.3 -> 214
    expect(at(4)).toBe('214x160@24');
    expect(at(5)).toBe('160x120@20');
    expect(at(7)).toBe('128x96@15');
    expect(at(2, true)).toBe('214x160@24');
    expect(at(7, true)).toBe('106x80@12');
  });

  it('never raises the frame rate above the base, nor enlarges, nor goes below 16 pixels', () => {
    expect(steppedFormat({ width: 160, height: 120, fps: 15 }, { scaleResolutionDownBy: 1.5, maxFramerate: 24 })).toEqual({ width: 106, height: 80, fps: 15 });
    expect(steppedFormat(base, { scaleResolutionDownBy: 0.5, maxFramerate: 30 })).toEqual(base);
    expect(steppedFormat({ width: 32, height: 24, fps: 10 }, { scaleResolutionDownBy: 3, maxFramerate: 12 })).toEqual({ width: 16, height: 16, fps: 10 });
  });

  it('is the base without a step', () => {
    const same = steppedFormat(base, null);
    expect(same).toEqual(base);
    expect(same).not.toBe(base);
  });
});
