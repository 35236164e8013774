import { describe, expect, it } from 'vitest';
import { floatingRect, gridRects, speakerRects, type Rect } from './stageLayout.ts';

const inside = (r: Rect, w: number, h: number) => r.left >= 0 && r.top >= 0 && r.left + r.width <= w + 1 && r.top + r.height <= h + 1;
const overlap = (a: Rect, b: Rect) => a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;

describe('gridRects', () => {
  it('lays out equal tiles inside the box without overlap, centring the last row', () => {
    const rects = gridRects(3, 1200, 600);
    expect(rects).toHaveLength(3);
    for (const r of rects) expect(inside(r, 1200, 600)).toBe(true);
    expect(overlap(rects[0]!, rects[1]!)).toBe(false);
    expect(new Set(rects.map((r) => r.width)).size).toBe(1);
  });
  it('is empty for an unmeasured box', () => {
    expect(gridRects(3, 0, 0)).toEqual([]);
  });
});

describe('speakerRects', () => {
  it('gives one large tile and a strip below it', () => {
    const [main, ...strip] = speakerRects(3, 1200, 620);
    expect(strip).toHaveLength(3);
    for (const r of strip) {
      expect(r.top).toBeGreaterThanOrEqual(main!.top + main!.height);
      expect(r.width).toBeLessThan(main!.width / 3);
      expect(inside(r, 1200, 620)).toBe(true);
    }
    expect(main!.width).toBeGreaterThan(700);
  });
  it('shrinks the strip to fit a narrow screen', () => {
    const rects = speakerRects(7, 390, 600);
    for (const r of rects) expect(inside(r, 390, 600)).toBe(true);
  });
  it('alone, the large tile fills the box', () => {
    expect(speakerRects(0, 800, 450)).toEqual(gridRects(1, 800, 450));
  });
});

describe('floatingRect', () => {
  it('sits in the bottom right corner, small', () => {
    const r = floatingRect(390, 600);
    expect(inside(r, 390, 600)).toBe(true);
    expect(r.width).toBeLessThanOrEqual(110);
    expect(r.left + r.width).toBe(380);
  });
});
