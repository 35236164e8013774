import { describe, expect, it } from 'vitest';
import { ICONS } from './icons.ts';

describe('ICONS', () => {
  it('draws every icon with at least one well-formed shape', () => {
    for (const [name, shapes] of Object.entries(ICONS)) {
      expect(shapes.length, name).toBeGreaterThan(0);
      for (const [shape, attrs] of shapes) {
        if (shape === 'path') expect(attrs.d, name).toMatch(/^M[\d.]/);
        else for (const value of Object.values(attrs)) expect(Number.isFinite(value), `${name} ${shape}`).toBe(true);
      }
    }
  });

  it('draws the off icons as the on icon crossed out', () => {
    expect(ICONS['mic-off'].slice(0, -1)).toEqual(ICONS.mic);
    expect(ICONS['camera-off'].slice(0, -1)).toEqual(ICONS.camera);
    expect(ICONS['mic-off'].at(-1)?.[0]).toBe('path');
  });
});
