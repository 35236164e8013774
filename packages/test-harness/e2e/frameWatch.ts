import type { Page } from '@playwright/test';

/** What one page saw while a frame watch ran (see `startFrameWatch`). */
export interface FrameWatchReport {
  /** How long the watch ran, in ms, and how many samples it took. */
  durationMs: number;
  samples: number;
  /** Per remote peer id (the ids present at the start): the longest time its video did not advance, in ms. */
  maxStallMs: Record<string, number>;
  /** Every change of the set of tile peer ids, self included, relative to the start (ms). */
  idChanges: Array<{ atMs: number; ids: string[] }>;
  /** Peer ids whose tile carried `data-interrupted` at some sample. */
  interrupted: string[];
}

declare global {
  interface Window {
    __frameWatch?: { stop(): FrameWatchReport };
  }
}

/**
 * Samples, every `intervalMs`, the decoded frame count of each remote tile's video
 * (`getVideoPlaybackQuality().totalVideoFrames`) and the set of tile peer ids. A remote whose
 * tile is gone, or whose <video> element was replaced, counts as not advancing.
 */
export async function startFrameWatch(page: Page, intervalMs = 200): Promise<void> {
  await page.evaluate((intervalMs) => {
    const tileIds = () =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="tile"]')].map((t) => t.dataset.peerId ?? '').sort();
    const remoteTiles = () => document.querySelectorAll<HTMLElement>('[data-testid="tile"]:not([data-self])');
    const start = performance.now();
    const initial = tileIds().join(',');
    let lastIds = initial;
    let samples = 0;
    const idChanges: Array<{ atMs: number; ids: string[] }> = [];
    const interrupted = new Set<string>();
    const last = new Map<string, { video: HTMLVideoElement; frames: number; advancedAt: number }>();
    const maxStallMs: Record<string, number> = {};
    for (const tile of remoteTiles()) {
      const id = tile.dataset.peerId ?? '';
      const video = tile.querySelector<HTMLVideoElement>('video[data-testid="tile-video"]');
      maxStallMs[id] = 0;
      if (video) last.set(id, { video, frames: video.getVideoPlaybackQuality().totalVideoFrames, advancedAt: start });
    }
    const sample = () => {
      const now = performance.now();
      samples += 1;
      const ids = tileIds().join(',');
      if (ids !== lastIds) {
        idChanges.push({ atMs: Math.round(now - start), ids: ids === '' ? [] : ids.split(',') });
        lastIds = ids;
      }
      const present = new Map<string, HTMLElement>();
      for (const tile of remoteTiles()) {
        present.set(tile.dataset.peerId ?? '', tile);
        if (tile.hasAttribute('data-interrupted')) interrupted.add(tile.dataset.peerId ?? '');
      }
      for (const id of Object.keys(maxStallMs)) {
        const seen = last.get(id);
        const video = present.get(id)?.querySelector<HTMLVideoElement>('video[data-testid="tile-video"]') ?? null;
        const frames = video?.getVideoPlaybackQuality().totalVideoFrames ?? -1;
        if (seen && video === seen.video && frames > seen.frames) {
          seen.frames = frames;
          seen.advancedAt = now;
        }
        const since = seen ? seen.advancedAt : start;
        maxStallMs[id] = Math.max(maxStallMs[id] ?? 0, Math.round(now - since));
      }
    };
    const timer = setInterval(sample, intervalMs);
    window.__frameWatch = {
      stop() {
        clearInterval(timer);
        sample();
        return {
          durationMs: Math.round(performance.now() - start),
          samples,
          maxStallMs,
          idChanges,
          interrupted: [...interrupted],
        };
      },
    };
  }, intervalMs);
}

export async function stopFrameWatch(page: Page): Promise<FrameWatchReport> {
  return page.evaluate(() => {
    const watch = window.__frameWatch;
    if (!watch) throw new Error('no frame watch running on this page');
    delete window.__frameWatch;
    return watch.stop();
  });
}
