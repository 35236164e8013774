export interface GridLayout {
  cols: number;
  rows: number;
  /** Size of every tile in CSS pixels (all tiles share one size, so nothing jumps when one changes). */
  tileWidth: number;
  tileHeight: number;
}

export interface GridOptions {
  /** Width / height of a tile. */
  aspect?: number;
  /** Space between tiles in CSS pixels. */
  gap?: number;
}

/**
 * Chooses the column count that makes `count` equal tiles of the given aspect ratio as large as
 * possible inside a `width` x `height` box, and the resulting tile size. Ties go to fewer columns
 * (taller grids waste less space on phones held upright).
 */
export function bestGrid(count: number, width: number, height: number, options: GridOptions = {}): GridLayout {
  const aspect = options.aspect ?? 16 / 9;
  const gap = options.gap ?? 12;
  const n = Math.max(1, Math.floor(count));
  let best: GridLayout = { cols: 1, rows: n, tileWidth: 0, tileHeight: 0 };
  if (width <= 0 || height <= 0) return best;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const cellWidth = (width - gap * (cols - 1)) / cols;
    const cellHeight = (height - gap * (rows - 1)) / rows;
    if (cellWidth <= 0 || cellHeight <= 0) continue;
    const tileWidth = Math.min(cellWidth, cellHeight * aspect);
    const tileHeight = tileWidth / aspect;
    if (tileWidth > best.tileWidth + 0.5) {
      best = { cols, rows, tileWidth: Math.floor(tileWidth), tileHeight: Math.floor(tileHeight) };
    }
  }
  return best;
}
