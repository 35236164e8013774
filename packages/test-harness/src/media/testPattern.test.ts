import { describe, expect, it } from 'vitest';
import { GLYPH_HEIGHT, glyph, glyphPixel } from './font.ts';
import { TestPattern, i420Size } from './testPattern.ts';

describe('TestPattern', () => {
  it('paints an I420 frame of the requested size into one reused buffer', () => {
    const pattern = new TestPattern({ width: 320, height: 240, label: 'bot 1' });
    const first = pattern.next();
    const buffer = first.data;
    expect(first.width).toBe(320);
    expect(first.height).toBe(240);
    expect(buffer.length).toBe(i420Size(320, 240));
    expect(buffer.length).toBe(320 * 240 * 1.5);
    for (let i = 0; i < 20; i++) expect(pattern.next().data).toBe(buffer);
    expect(pattern.count).toBe(21);
  });

  it('moves between frames', () => {
    const pattern = new TestPattern({ width: 160, height: 120, label: 'x' });
    const a = pattern.next().data.slice();
    const b = pattern.next().data;
    let changed = 0;
    for (let i = 0; i < 160 * 120; i++) if (a[i] !== b[i]) changed++;
    expect(changed).toBeGreaterThan(100);
  });

  it('draws the label in the top-left corner with the bitmap font', () => {
    const pattern = new TestPattern({ width: 320, height: 240, label: '7' });
    pattern.next();
    const scale = Math.floor(240 / 60);
    const rows = glyph('7');
    // Every lit pixel of the glyph is white; an unlit one is the darker background.
    for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
      for (let gx = 0; gx < 5; gx++) {
        const luma = pattern.luma(scale + gx * scale, scale + gy * scale);
        if (glyphPixel(rows, gx, gy)) expect(luma).toBe(235);
        else expect(luma).toBeLessThan(235);
      }
    }
  });

  it('shows a different tint for a different hue', () => {
    const a = new TestPattern({ width: 64, height: 64, label: 'a', hue: 0 }).next();
    const b = new TestPattern({ width: 64, height: 64, label: 'b', hue: 180 }).next();
    expect(a.data[64 * 64]).not.toBe(b.data[64 * 64]);
  });

  it('refuses sizes an I420 frame cannot have', () => {
    expect(() => new TestPattern({ width: 321, height: 240, label: 'x' })).toThrow(RangeError);
    expect(() => new TestPattern({ width: 8, height: 8, label: 'x' })).toThrow(RangeError);
  });
});
