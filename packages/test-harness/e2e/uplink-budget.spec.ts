import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { writeNoiseY4m } from '../src/media/noiseY4m.ts';
import type { SpawnedServer } from '../src/server/spawnServer.ts';
import { closeAll, expect, expectPlaying, joinCall, REMOTE_VIDEOS, startServer, test, uniqueRoom, type Participant } from './fixtures.ts';
import { recordPeerConnections } from './peerConnections.ts';

// Issue 11: the server's video uplink budget holds in real browsers. Every camera is a file of
// moving noise, which an encoder would send at several Mbps if nothing stopped it (four tabs on
// main sent 2,000-4,900 kbps each); the default fake camera needs only about 190 kbps.

const BUDGET_KBPS = 1000;
const DATA_SAVER_KBPS = 250;
const WINDOW_MS = 10_000;
/**
 * Time for the bandwidth estimate to ramp up and the encoder to settle on new caps (WARM_UP_MS
 * overrides). With noise the encoder runs 5-8% over its target even when settled; at 640x360,
 * 5 s after the re-split to three links, tabs still sent 1.12-1.18 x the budget (1.05-1.08 x
 * after 15 s), so the file is 320x240, which four tabs on two cores encode closer to target.
 */
const WARM_UP_MS = Number(process.env.WARM_UP_MS ?? 8_000);

let dir: string;
let busy: Browser;
let server: SpawnedServer;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'meshmeet-noise-'));
  const file = join(dir, 'noise.y4m');
  // 320x240: four tabs encoding three streams each and decoding three fit on two cores.
  writeNoiseY4m(file, { width: 320, height: 240, fps: 30, frames: 90 });
  busy = await chromium.launch({
    headless: true,
    executablePath: test.info().project.use.launchOptions?.executablePath,
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${file}`],
  });
  server = await startServer({ VIDEO_UPLINK_KBPS: String(BUDGET_KBPS) });
});
test.afterAll(async () => {
  await busy?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});


/** Video payload bytes sent so far over all the page's open connections, and when (ms). */
function videoBytesSent(page: Page): Promise<{ bytes: number; at: number }> {
  return page.evaluate(async () => {
    const pcs = (window.__pcs ?? []).filter((pc) => pc.connectionState !== 'closed');
    let bytes = 0;
    for (const pc of pcs) {
      (await pc.getStats()).forEach((s: { type: string; kind?: string; bytesSent?: number }) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video') bytes += s.bytesSent ?? 0;
      });
    }
    return { bytes, at: performance.now() };
  });
}

/** What each camera sender is doing (for the log): encoder target, picture, why it is limited. */
function senderSummary(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const pcs = (window.__pcs ?? []).filter((pc) => pc.connectionState !== 'closed');
    const parts: string[] = [];
    for (const pc of pcs) {
      const max = pc.getSenders().find((s) => s.track?.kind === 'video')?.getParameters().encodings[0]?.maxBitrate;
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type !== 'outbound-rtp' || s.kind !== 'video' || !s.frameWidth) return;
        const kbps = (n: unknown) => (typeof n === 'number' ? Math.round(n / 1000) : '?');
        parts.push(`max ${kbps(max)} target ${kbps(s.targetBitrate)} ${String(s.frameWidth)}x${String(s.frameHeight)}@${String(s.framesPerSecond)} ${String(s.qualityLimitationReason)}`);
      });
    }
    return parts.join('; ');
  });
}

/** Each page's video uplink over WINDOW_MS, in kbps, all pages measured over the same window. */
async function measureKbps(pages: Page[]): Promise<number[]> {
  const before = await Promise.all(pages.map(videoBytesSent));
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const after = await Promise.all(pages.map(videoBytesSent));
  return after.map((a, i) => ((a.bytes - before[i]!.bytes) * 8) / (a.at - before[i]!.at));
}

async function expectWithin(pages: Page[], kbps: number[], budget: number, label: string): Promise<void> {
  console.log(`${label}: ${kbps.map((k) => `${Math.round(k)} kbps`).join(', ')} (budget ${budget})`);
  for (const [i, page] of pages.entries()) console.log(`  tab ${i + 1}: ${await senderSummary(page)}`);
  for (const k of kbps) {
    expect(k, `${label}: over 1.1 x the budget`).toBeLessThanOrEqual(1.1 * budget);
    // A floor, so that a call sending no video cannot pass.
    expect(k, `${label}: hardly any video`).toBeGreaterThan(0.2 * budget);
  }
}

test('with a busy camera each tab sends at most 1.1 x the server budget, with 2 and with 4 participants; the data saver goes lower', async () => {
  test.setTimeout(300_000);
  const room = uniqueRoom('budget');
  const people: Participant[] = [];
  const join = async (name: string) => people.push(await joinCall(busy, server.url, room, name, recordPeerConnections));
  const pages = () => people.map((p) => p.page);
  const settle = () => new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
  try {
    await join('P1');
    await join('P2');
    for (const page of pages()) await expectPlaying(page, REMOTE_VIDEOS, 1);
    await settle();
    await expectWithin(pages(), await measureKbps(pages()), BUDGET_KBPS, '2 participants');

    // The data saver, chosen in the settings dialog during the call, applies at once.
    const first = people[0]!.page;
    await first.locator('[data-testid="settings"]:visible').click();
    await first.getByTestId('settings-data-saver').selectOption(String(DATA_SAVER_KBPS));
    await first.getByRole('button', { name: 'Done' }).click();
    await settle();
    await expectWithin([first], await measureKbps([first]), DATA_SAVER_KBPS, '2 participants, P1 with the data saver');
    await first.locator('[data-testid="settings"]:visible').click();
    await first.getByTestId('settings-data-saver').selectOption('0');
    await first.getByRole('button', { name: 'Done' }).click();

    // Two more: every tab re-splits the same budget over three links.
    await join('P3');
    await join('P4');
    for (const page of pages()) await expectPlaying(page, REMOTE_VIDEOS, 3);
    await settle();
    await expectWithin(pages(), await measureKbps(pages()), BUDGET_KBPS, '4 participants');
  } finally {
    await closeAll(people);
  }
});
