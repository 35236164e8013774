import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph, glyphPixel } from './font.ts';

export interface I420Frame {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface TestPatternOptions {
  width: number;
  height: number;
  /** Drawn in the top-left corner, e.g. the bot's name. */
  label: string;
  /** Background tint, 0-359. */
  hue?: number;
}

/** Bytes of an I420 frame: a full-size Y plane and quarter-size U and V planes. */
export function i420Size(width: number, height: number): number {
  return width * height + 2 * (width / 2) * (height / 2);
}

function tintChroma(hue: number): { u: number; v: number } {
  // A muted colour from the hue (HSV with s=0.5, v=0.8), then BT.601 chroma.
  const h = (((hue % 360) + 360) % 360) / 60;
  const c = 0.4;
  const x = c * (1 - Math.abs((h % 2) - 1));
  const [r1, g1, b1] = h < 1 ? [c, x, 0] : h < 2 ? [x, c, 0] : h < 3 ? [0, c, x] : h < 4 ? [0, x, c] : h < 5 ? [x, 0, c] : [c, 0, x];
  const m = 0.4;
  const [r, g, b] = [(r1 + m) * 255, (g1 + m) * 255, (b1 + m) * 255];
  return {
    u: Math.round(-0.169 * r - 0.331 * g + 0.5 * b + 128),
    v: Math.round(0.5 * r - 0.419 * g - 0.081 * b + 128),
  };
}

/**
 * A moving I420 test pattern that names its sender: a static tinted gradient with the label, a
 * bouncing white box and a frame counter. One buffer is allocated up front and updated in place
 * (only the box and the counter change), so painting costs a few row copies per frame and the
 * mostly static picture stays cheap to encode.
 */
export class TestPattern {
  readonly frame: I420Frame;
  /** Frames painted so far. */
  count = 0;
  private readonly background: Uint8Array;
  private readonly scale: number;
  private readonly box: number;
  private boxX = 0;
  private boxY = 0;
  private dx: number;
  private dy: number;
  private readonly counterY: number;

  constructor(options: TestPatternOptions) {
    const { width, height } = options;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16 || width % 2 || height % 2) {
      throw new RangeError(`video size must be even integers of at least 16x16, got ${width}x${height}`);
    }
    const data = new Uint8Array(i420Size(width, height));
    this.frame = { width, height, data };
    this.scale = Math.max(1, Math.floor(height / 60));
    this.box = Math.max(4, Math.floor(Math.min(width, height) / 6) & ~1);
    this.dx = Math.max(2, Math.round(width / 80)) & ~1 || 2;
    this.dy = Math.max(2, Math.round(height / 80)) & ~1 || 2;
    this.counterY = height - (GLYPH_HEIGHT + 2) * this.scale;

    // Static background: a vertical luma gradient plus the tint in the chroma planes.
    for (let y = 0; y < height; y++) data.fill(48 + Math.floor((y * 128) / height), y * width, (y + 1) * width);
    const { u, v } = tintChroma(options.hue ?? 200);
    const plane = (width / 2) * (height / 2);
    data.fill(u, width * height, width * height + plane);
    data.fill(v, width * height + plane);
    this.drawText(options.label, this.scale, this.scale);
    this.background = data.slice();
    this.boxY = Math.floor((height - this.box) / 2) & ~1;
  }

  /** Paints the next frame into `frame.data` and returns `frame`. */
  next(): I420Frame {
    const { width, height, data } = this.frame;
    this.restore(this.boxX, this.boxY, this.box, this.box);
    this.boxX += this.dx;
    this.boxY += this.dy;
    if (this.boxX < 0 || this.boxX + this.box > width) {
      this.dx = -this.dx;
      this.boxX = Math.min(Math.max(this.boxX, 0), width - this.box);
    }
    if (this.boxY < 0 || this.boxY + this.box > height) {
      this.dy = -this.dy;
      this.boxY = Math.min(Math.max(this.boxY, 0), height - this.box);
    }
    for (let y = this.boxY; y < this.boxY + this.box; y++) {
      data.fill(235, y * width + this.boxX, y * width + this.boxX + this.box);
    }
    this.count++;
    this.drawCounter();
    return this.frame;
  }

  /** Luma at (x, y) of the current frame (tests read the picture through this). */
  luma(x: number, y: number): number {
    return this.frame.data[y * this.frame.width + x] ?? 0;
  }

  private restore(x: number, y: number, w: number, h: number): void {
    const { width, data } = this.frame;
    for (let row = y; row < y + h; row++) {
      const start = row * width + x;
      data.set(this.background.subarray(start, start + w), start);
    }
  }

  private drawCounter(): void {
    const { width, height, data } = this.frame;
    const text = String(this.count);
    const w = Math.min(width, (text.length * (GLYPH_WIDTH + 1) + 1) * this.scale);
    for (let y = this.counterY; y < height; y++) data.fill(16, y * width, y * width + w);
    this.drawText(text, this.scale, this.counterY + this.scale);
  }

  private drawText(text: string, x0: number, y0: number): void {
    const { width, height, data } = this.frame;
    const s = this.scale;
    const maxChars = Math.floor((width - x0) / ((GLYPH_WIDTH + 1) * s));
    for (let i = 0; i < Math.min(text.length, maxChars); i++) {
      const rows = glyph(text[i] ?? ' ');
      const gx = x0 + i * (GLYPH_WIDTH + 1) * s;
      for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
        for (let gxp = 0; gxp < GLYPH_WIDTH; gxp++) {
          if (!glyphPixel(rows, gxp, gy)) continue;
          for (let py = 0; py < s; py++) {
            const y = y0 + gy * s + py;
            if (y >= height) break;
            const start = y * width + gx + gxp * s;
            data.fill(235, start, Math.min(start + s, (y + 1) * width));
          }
        }
      }
    }
  }
}
