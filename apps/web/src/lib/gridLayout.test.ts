import { describe, expect, it } from 'vitest';
import { bestGrid } from './gridLayout.ts';

describe('bestGrid', () => {
  const wide = { width: 1600, height: 900 };

  it('fills a wide screen with one tile', () => {
    const g = bestGrid(1, wide.width, wide.height, { gap: 0 });
    expect(g).toEqual({ cols: 1, rows: 1, tileWidth: 1600, tileHeight: 900 });
  });

  it('places tiles side by side on a wide screen and in a column on a tall one', () => {
    expect(bestGrid(2, 1600, 600).cols).toBe(2);
    expect(bestGrid(2, 400, 900).cols).toBe(1);
  });

  it('uses 2x2 for four tiles and 3x2 or 3x3 up to eight on a 16:9 screen', () => {
    expect(bestGrid(4, wide.width, wide.height)).toMatchObject({ cols: 2, rows: 2 });
    expect(bestGrid(6, wide.width, wide.height)).toMatchObject({ cols: 3, rows: 2 });
    const eight = bestGrid(8, wide.width, wide.height);
    expect(eight.cols * eight.rows).toBeGreaterThanOrEqual(8);
    expect(eight.cols).toBeGreaterThanOrEqual(3);
  });

  it('never overflows the box, gaps included, for 1 to 8 tiles in many shapes', () => {
    for (const [w, h] of [[1600, 900], [375, 667], [1024, 1366], [800, 300], [320, 240]] as const) {
      for (let n = 1; n <= 8; n++) {
        const g = bestGrid(n, w, h, { gap: 10 });
        expect(g.cols * g.rows).toBeGreaterThanOrEqual(n);
        expect(g.cols * g.tileWidth + (g.cols - 1) * 10).toBeLessThanOrEqual(w);
        expect(g.rows * g.tileHeight + (g.rows - 1) * 10).toBeLessThanOrEqual(h);
        expect(g.tileWidth).toBeGreaterThan(0);
      }
    }
  });

  it('keeps the aspect ratio', () => {
    const g = bestGrid(3, 1200, 800, { aspect: 4 / 3 });
    expect(g.tileWidth / g.tileHeight).toBeCloseTo(4 / 3, 1);
  });

  it('returns an empty size for an unmeasured box', () => {
    expect(bestGrid(3, 0, 0).tileWidth).toBe(0);
  });
});
