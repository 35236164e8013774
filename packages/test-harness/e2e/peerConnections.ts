import type { BrowserContext } from '@playwright/test';

declare global {
  interface Window {
    /** Every RTCPeerConnection the page made (see `recordPeerConnections`). */
    __pcs?: RTCPeerConnection[];
  }
}

/**
 * Keeps every RTCPeerConnection the page makes in `window.__pcs`, so that a spec can read the
 * senders' parameters and stats (CDP runs this before the app, outside its CSP).
 */
export async function recordPeerConnections(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const pcs: RTCPeerConnection[] = [];
    window.__pcs = pcs;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        pcs.push(this);
      }
    };
  });
}
