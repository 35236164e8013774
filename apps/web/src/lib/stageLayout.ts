import { bestGrid } from './gridLayout.ts';

/** Where one tile goes inside the stage, in CSS pixels from its top left corner. */
export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

const ASPECT = 16 / 9;

/** `count` equal tiles as large as they fit, rows centred (an incomplete last row too). */
export function gridRects(count: number, width: number, height: number, gap = 12): Rect[] {
  if (count <= 0 || width <= 0 || height <= 0) return [];
  const grid = bestGrid(count, width, height, { gap, aspect: ASPECT });
  const rects: Rect[] = [];
  const usedHeight = grid.rows * grid.tileHeight + (grid.rows - 1) * gap;
  const top0 = Math.max(0, (height - usedHeight) / 2);
  for (let row = 0; row < grid.rows; row++) {
    const inRow = Math.min(grid.cols, count - row * grid.cols);
    const rowWidth = inRow * grid.tileWidth + (inRow - 1) * gap;
    const left0 = Math.max(0, (width - rowWidth) / 2);
    for (let col = 0; col < inRow; col++) {
      rects.push({
        left: Math.round(left0 + col * (grid.tileWidth + gap)),
        top: Math.round(top0 + row * (grid.tileHeight + gap)),
        width: grid.tileWidth,
        height: grid.tileHeight,
      });
    }
  }
  return rects;
}

/**
 * The speaker view: one large tile above a strip of `others` small ones (centred, shrunk to fit
 * the width). Returns the large tile first, then the strip's from left to right.
 */
export function speakerRects(others: number, width: number, height: number, gap = 12): Rect[] {
  if (width <= 0 || height <= 0) return [];
  if (others <= 0) return gridRects(1, width, height, gap);
  let stripHeight = Math.round(Math.min(140, Math.max(64, height * 0.2)));
  let stripWidth = stripHeight * ASPECT;
  const needed = others * stripWidth + (others - 1) * gap;
  if (needed > width) {
    stripWidth = Math.max(40, (width - (others - 1) * gap) / others);
    stripHeight = Math.round(stripWidth / ASPECT);
  }
  const mainHeight = Math.max(0, height - stripHeight - gap);
  const [main] = gridRects(1, width, mainHeight, gap);
  const rects: Rect[] = [main ?? { left: 0, top: 0, width: 0, height: 0 }];
  const rowWidth = others * stripWidth + (others - 1) * gap;
  const left0 = Math.max(0, (width - rowWidth) / 2);
  for (let i = 0; i < others; i++) {
    rects.push({
      left: Math.round(left0 + i * (stripWidth + gap)),
      top: Math.round(height - stripHeight),
      width: Math.floor(stripWidth),
      height: stripHeight,
    });
  }
  return rects;
}

/** A phone's own tile: small, portrait, floating in the bottom right corner. */
export function floatingRect(width: number, height: number, margin = 10): Rect {
  const w = Math.round(Math.min(110, width * 0.28));
  const h = Math.round(w * (4 / 3));
  return { left: Math.max(0, width - w - margin), top: Math.max(0, height - h - margin), width: w, height: h };
}
