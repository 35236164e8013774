import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeNoiseY4m } from './noiseY4m.ts';

describe('writeNoiseY4m', () => {
  const dir = mkdtempSync(join(tmpdir(), 'noise-y4m-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a YUV4MPEG2 header and I420 frames of fresh luma noise on grey chroma', () => {
    const path = join(dir, 'noise.y4m');
    writeNoiseY4m(path, { width: 8, height: 4, fps: 30, frames: 3 });
    const bytes = readFileSync(path);
    const header = 'YUV4MPEG2 W8 H4 F30:1 Ip A1:1 C420jpeg\n';
    expect(bytes.subarray(0, header.length).toString('latin1')).toBe(header);
    const frameBytes = 'FRAME\n'.length + 8 * 4 * 1.5;
    expect(bytes.length).toBe(header.length + 3 * frameBytes);
    const frame = (i: number) => bytes.subarray(header.length + i * frameBytes, header.length + (i + 1) * frameBytes);
    expect(frame(0).subarray(0, 6).toString('latin1')).toBe('FRAME\n');
    expect([...frame(0).subarray(6 + 32)].every((b) => b === 128)).toBe(true);
    expect(frame(0).subarray(6, 6 + 32).equals(frame(1).subarray(6, 6 + 32))).toBe(false);
  });

  it('refuses an odd size', () => {
    expect(() => writeNoiseY4m(join(dir, 'odd.y4m'), { width: 7, height: 4, fps: 30, frames: 1 })).toThrow(/even/);
  });
});
