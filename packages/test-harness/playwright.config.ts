import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Debian's Chromium when present (CHROMIUM_PATH overrides), else Playwright's own download.
const chromiumPath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** Flags that work headless as root here (see shared/WEBRTC-NOTES.md), plus fake media devices. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--auto-select-desktop-capture-source=Entire screen',
  '--autoplay-policy=no-user-gesture-required',
  // Several participants share one browser; hidden or occluded pages must keep decoding video.
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
];

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  // Each participant is a real Chromium page encoding and decoding video: one worker on 2 cores.
  workers: 1,
  fullyParallel: false,
  // CI's machine is shared: a failed spec runs once more there, and is reported as flaky.
  retries: process.env.CI ? 1 : 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    headless: true,
    viewport: { width: 1280, height: 720 },
    launchOptions: { executablePath: chromiumPath, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'e2e', testMatch: /.*\.spec\.ts$/ },
    // Figures, not assertions: run with MEASURE=1 (see e2e/README.md).
    ...(process.env.MEASURE ? [{ name: 'measure', testMatch: /.*\.measure\.ts$/, timeout: 600_000 }] : []),
  ],
});
