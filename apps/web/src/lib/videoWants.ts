import type { VideoWant } from '@meshmeet/rtc-core';

/** Below this rendered width (CSS px) a tile asks its sender for the smaller picture. */
export const SMALL_TILE_PX = 240;

/**
 * What a remote tile needs of its sender's camera: nothing while the page is hidden or the layout
 * leaves the tile out, the smaller picture for a small tile, else the full one. The stage lays out
 * every tile it shows (nothing scrolls), so its rectangles alone say what is seen.
 */
export function tileWant(pageVisible: boolean, width: number | undefined): VideoWant {
  if (!pageVisible || !width || width <= 0) return 'none';
  return width < SMALL_TILE_PX ? 'low' : 'full';
}
