// A headless Chromium inside a lab namespace. Playwright drives Chromium over a pipe on inherited
// file descriptors (--remote-debugging-pipe), not over the network, so launching it through
// `ip netns exec` works: only the browser's own traffic (page loads, signaling, WebRTC) lives in
// the namespace. Lab.destroy() kills it with everything else left in the namespace.
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
// The e2e specs' flags (headless as root, fake devices, background pages keep decoding).
import { CHROMIUM_ARGS } from '../playwright.config.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumUnsupportedReason(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
}

export interface NsBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches Chromium in namespace `ns` through a generated wrapper script. `secureOrigins` are
 * plain-http origins Chromium treats as secure contexts (camera and microphone need one; the lab's
 * server is reached by address, not as localhost).
 */
export async function launchChromiumIn(ns: string, secureOrigins: string[] = []): Promise<NsBrowser> {
  if (!/^[a-z0-9-]+$/.test(ns)) throw new RangeError(`not a lab namespace name: "${ns}"`);
  const dir = await mkdtemp(join(tmpdir(), 'netlab-chromium-'));
  const wrapper = join(dir, 'chromium-in-ns');
  // `exec` twice: the browser process Playwright talks to is Chromium itself, in the namespace.
  await writeFile(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${CHROMIUM_PATH} "$@"\n`);
  await chmod(wrapper, 0o755);
  try {
    const browser = await chromium.launch({
      executablePath: wrapper,
      headless: true,
      args: [...CHROMIUM_ARGS, ...(secureOrigins.length > 0 ? [`--unsafely-treat-insecure-origin-as-secure=${secureOrigins.join(',')}`] : [])],
    });
    return {
      browser,
      async close() {
        await browser.close().catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
