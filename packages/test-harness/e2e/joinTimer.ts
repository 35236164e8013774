// The join timer of the browser measurements (join-time and call-cost): Join click to every
// remote tile connected and playing, timed inside the page.
import type { Page } from '@playwright/test';
import { REMOTE_VIDEOS } from './fixtures.ts';

/**
 * Arms a watcher in the page: it notes the time of the Join click and resolves with the
 * milliseconds until every one of the `expected` remote tiles reports a connected peer connection,
 * and until their camera videos are laid out and have shown a frame.
 */
export async function armJoinTimer(page: Page, expected: number): Promise<void> {
  await page.evaluate(
    ({ selector, expected }) => {
      const w = window as unknown as { __joinMs: Promise<{ connected: number; playing: number }> };
      w.__joinMs = new Promise<{ connected: number; playing: number }>((resolve) => {
        let clickedAt: number | null = null;
        let connectedAt: number | null = null;
        document.addEventListener(
          'click',
          (e) => {
            if (clickedAt === null && (e.target as Element | null)?.closest('[data-testid="join"]')) clickedAt = performance.now();
          },
          true,
        );
        const timer = setInterval(() => {
          if (clickedAt === null) return;
          const states = [...document.querySelectorAll('[data-testid="tile"]:not([data-self])')].map((t) => t.getAttribute('data-connection-state'));
          if (connectedAt === null && states.length === expected && states.every((s) => s === 'connected')) connectedAt = performance.now();
          const videos = [...document.querySelectorAll<HTMLVideoElement>(selector)];
          if (videos.length === expected && videos.every((v) => v.clientWidth > 0 && v.videoWidth > 0 && v.currentTime > 0)) {
            clearInterval(timer);
            const now = performance.now();
            resolve({ connected: (connectedAt ?? now) - clickedAt, playing: now - clickedAt });
          }
        }, 10);
      });
    },
    { selector: REMOTE_VIDEOS, expected },
  );
}

export type JoinTiming = { connected: number; playing: number };
export const joinMs = (page: Page): Promise<JoinTiming> => page.evaluate(() => (window as unknown as { __joinMs: Promise<JoinTiming> }).__joinMs);
