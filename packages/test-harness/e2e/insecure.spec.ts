import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { closeAll, expect, joinCall, REMOTE_VIDEOS, test, tileOf, uniqueRoom, expectPlaying, type Participant } from './fixtures.ts';

// A page on a real name over plain http is not a secure context: no camera, microphone or screen.
// Chromium resolves meshmeet.test to loopback, so the same server is reached by a name that is
// neither localhost nor https (see shared/WEBRTC-NOTES.md, "https on a real name").

let named: Browser;
test.beforeAll(async () => {
  named = await chromium.launch({
    headless: true,
    executablePath: test.info().project.use.launchOptions?.executablePath,
    args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP meshmeet.test 127.0.0.1'],
  });
});
test.afterAll(async () => {
  await named?.close();
});

test('over http on a real name the lobby says why there is no camera, and the page joins to watch and listen', async ({ browser, server }) => {
  const port = new URL(server.url).port;
  const room = uniqueRoom('insecure');
  const people: Participant[] = [];
  const context = await named.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`http://meshmeet.test:${port}/r/${room}`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    const notice = page.getByTestId('insecure-notice');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('Camera, microphone and screen sharing need HTTPS');
    await expect(notice).toContainText('localhost');
    await expect(notice.getByRole('link', { name: `https://meshmeet.test:${port}/r/${room}` })).toBeVisible();
    // Not the misleading messages of before: no "busy" problem, pickers blocked rather than empty.
    await expect(page.getByTestId('media-problem')).toHaveCount(0);
    await expect(page.getByTestId('select-mic')).toContainText('Blocked');
    await expect(page.getByTestId('select-camera')).toContainText('Blocked');
    await expect(page.getByTestId('select-mic')).not.toContainText('None found');
    await expect(page.getByTestId('receive-only')).toBeVisible();

    // A participant with a camera (on localhost, a secure context) is in the room already.
    const sender = await joinCall(browser, server.url, room, 'Sender');
    people.push(sender);
    await page.getByTestId('lobby-name').fill('Watcher');
    await page.getByTestId('join').click();
    const self = page.locator('[data-testid="tile"][data-self]');
    await expect(self).toContainText('Watcher');
    // It sees and hears the sender, and the sender sees its tile.
    await expectPlaying(page, REMOTE_VIDEOS, 1);
    const watcherId = await self.getAttribute('data-peer-id');
    await expect(tileOf(sender.page, watcherId ?? '')).toContainText('Watcher');
    // No share button where sharing is impossible; mic and camera stay off.
    await expect(page.getByTestId('toggle-screen')).toHaveCount(0);
    await expect(page.getByTestId('toggle-camera')).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByTestId('toggle-mic')).toHaveAttribute('aria-pressed', 'false');
  } finally {
    await context.close();
    await closeAll(people);
  }
});

test('the same app on localhost shows no such notice and has its camera', async ({ browser, server }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.url.replace('127.0.0.1', 'localhost')}/`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    await expect(page.getByTestId('toggle-camera')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('insecure-notice')).toHaveCount(0);
    await expect(page.getByTestId('select-camera')).not.toContainText('Blocked');
  } finally {
    await context.close();
  }
});
