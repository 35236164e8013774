import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { i420Size } from './testPattern.ts';

export interface NoiseY4mOptions {
  width: number;
  height: number;
  fps: number;
  /** Frames in the file; Chromium loops it. */
  frames: number;
}

/**
 * Writes a Y4M (YUV4MPEG2, I420) file of moving noise for Chromium's
 * `--use-file-for-fake-video-capture`: every frame a fresh random luma plane on grey chroma.
 * Nothing in it repeats or predicts, so an encoder wants as many bits as it is allowed; the
 * default fake camera is so easy to encode that it never reaches a bitrate cap.
 */
export function writeNoiseY4m(path: string, { width, height, fps, frames }: NoiseY4mOptions): void {
  if (width % 2 !== 0 || height % 2 !== 0) throw new Error('I420 needs an even width and height');
  const frame = Buffer.alloc(i420Size(width, height), 128);
  const luma = frame.subarray(0, width * height);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
    for (let i = 0; i < frames; i++) {
      randomFillSync(luma);
      writeSync(fd, 'FRAME\n');
      writeSync(fd, frame);
    }
  } finally {
    closeSync(fd);
  }
}
