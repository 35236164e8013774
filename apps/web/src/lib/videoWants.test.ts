import { describe, expect, it } from 'vitest';
import { SMALL_TILE_PX, tileWant } from './videoWants.ts';

describe('tileWant', () => {
  it('wants nothing of a hidden page or a tile the layout leaves out', () => {
    expect(tileWant(false, 800)).toBe('none');
    expect(tileWant(true, undefined)).toBe('none');
    expect(tileWant(true, 0)).toBe('none');
  });
  it('wants the smaller picture for a small tile, the full one otherwise', () => {
    expect(tileWant(true, SMALL_TILE_PX - 1)).toBe('low');
    expect(tileWant(true, SMALL_TILE_PX)).toBe('full');
    expect(tileWant(true, 1200)).toBe('full');
  });
});
