// Issue 9 with a browser: the real web app in a headless Chromium inside one home, behind a
// port-preserving NAT, talking to a wrtc participant behind the other home's NAT, STUN only
// (coturn as the STUN server). The app is served by the signaling server on the public network,
// reached by address over plain http: the origin is declared secure to Chromium so the camera works.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REMOTE_VIDEOS, videosPlaying, WEB_DIST } from '../e2e/fixtures.ts';
import { chromiumUnsupportedReason, launchChromiumIn } from './chromium.ts';
import { withLab } from './lab.ts';
import { LabParticipant, startCoturn, startLabSignaling, waitForPair } from './meshProcesses.ts';
import { netlabUnsupportedReason, turnserverUnsupportedReason } from './run.ts';
import { stunOnly } from './scenarios.ts';

const unsupported =
  (await netlabUnsupportedReason()) ??
  (await turnserverUnsupportedReason()) ??
  chromiumUnsupportedReason() ??
  (existsSync(`${WEB_DIST}/index.html`) ? null : `no built web app in ${WEB_DIST} (pnpm --filter @meshmeet/web build)`);
/** The public namespace is the lab's own, so a fixed port is free, and the origin is known before the server starts. */
const PORT = 8080;

describe.skipIf(unsupported !== null)(`a browser across NATs (issue 9)${unsupported ? ` (skipped: ${unsupported})` : ''}`, () => {
  it('Chromium behind a cone NAT and a bot behind another, STUN only: each plays the other\'s video', async () => {
    await withLab({ homes: [{ name: 'a', nat: 'cone' }, { name: 'b', nat: 'cone' }] }, async (lab) => {
      const origin = `http://${lab.publicAddress}:${PORT}`;
      const coturn = await startCoturn(lab);
      const server = await startLabSignaling(lab, {
        PORT: String(PORT),
        WEB_DIST,
        ALLOWED_ORIGINS: origin,
        ...stunOnly(coturn),
      });
      expect(server.url).toBe(origin);
      const room = 'nat-browser';
      const [chrome, bot] = await Promise.all([
        launchChromiumIn(lab.home('a').hostNs, [origin]),
        LabParticipant.start(lab, 'b', { url: server.url, room, name: 'bot' }),
      ]);
      try {
        const page = await (await chrome.browser.newContext()).newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(`console: ${message.text()}`);
        });
        await page.goto(`${origin}/r/${room}`);
        expect(await page.evaluate(() => window.isSecureContext), 'the page is a secure context').toBe(true);
        await page.getByTestId('lobby-name').fill('chromium');
        // The camera preview is on: the page joins sending.
        await page.locator('[data-testid="toggle-camera"][aria-pressed="true"]').waitFor({ timeout: 20_000 });
        const joinedAt = Date.now();
        await page.getByTestId('join').click();
        const self = page.locator('[data-testid="tile"][data-self]');
        await page.waitForFunction(() => {
          const id = document.querySelector<HTMLElement>('[data-testid="tile"][data-self]')?.dataset.peerId;
          return id !== undefined && id !== 'self' && id !== '';
        });
        const browserId = (await self.getAttribute('data-peer-id')) ?? '';

        // The bot counts the browser's camera frames; the browser plays the bot's (frames advancing).
        await bot.waitForFrames(browserId, 30, 30_000);
        await expect.poll(() => videosPlaying(page, REMOTE_VIDEOS, 1), { timeout: 30_000, interval: 500 }).toBe(true);
        const firstFrame = bot.events('firstFrame').find((l) => l.peer === browserId);

        // Through the NATs: the bot sends to the browser's public mapping on router a.
        const pair = await waitForPair(bot, (p) => String(p.remoteAddress).startsWith(`${lab.home('a').wanAddress}:`), 'a pair to the browser\'s NAT');
        expect(['srflx', 'prflx']).toContain(pair.remote);
        console.log(
          `[issue 9] Chromium/cone/STUN: the bot's first frame from the browser ${Number(firstFrame?.t) - joinedAt} ms after the Join click; ` +
            `bot's pair ${String(pair.local)} ${String(pair.localAddress)} -> ${String(pair.remote)} ${String(pair.remoteAddress)}`,
        );
        // Still flowing both ways a few seconds on.
        await bot.waitForFrames(browserId, 30, 10_000);
        expect(await videosPlaying(page, REMOTE_VIDEOS, 1)).toBe(true);
        expect(errors).toEqual([]);
      } finally {
        await chrome.close();
      }
    });
  }, 90_000);
});
