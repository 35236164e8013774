import {
  REMOTE_VIDEOS,
  closeAll,
  expect,
  expectPlaying,
  joinCall,
  clickJoin,
  startServer,
  test,
  tileOf,
  uniqueRoom,
  type Participant,
} from './fixtures.ts';

test('without camera and microphone permission, people join receive-only and are told so', async ({ browser, server }) => {
  const people: Participant[] = [];
  try {
    const room = uniqueRoom('deny');
    people.push(await joinCall(browser, server.url, room, 'Sender'));
    const context = await browser.newContext();
    // The browser's answer when someone blocks the site's camera and microphone.
    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    const page = await context.newPage();
    const watcher: Participant = { name: 'Watcher', context, page, peerId: '' };
    people.push(watcher);
    await page.goto(`${server.url}/r/${room}`);
    await page.getByTestId('lobby-name').fill('Watcher');
    await expect(page.getByTestId('media-problem')).toContainText(/blocked/i);
    await expect(page.getByTestId('receive-only')).toBeVisible();
    await clickJoin(watcher);

    // The watcher sees and hears the sender ...
    await expectPlaying(page, REMOTE_VIDEOS, 1);
    // ... and the sender sees the watcher's tile with both indicators.
    const tile = tileOf(people[0]!.page, watcher.peerId);
    await expect(tile).toContainText('Watcher');
    await expect(tile.getByTestId('mic-off-indicator')).toBeVisible();
    await expect(tile.getByTestId('camera-off-indicator')).toBeVisible();
  } finally {
    await closeAll(people);
  }
});

test('when the server goes away a "reconnecting" notice shows, and goes when the server is back', async ({ browser }) => {
  let server = await startServer();
  const port = server.port;
  const people: Participant[] = [];
  try {
    const room = uniqueRoom('lost');
    people.push(await joinCall(browser, server.url, room, 'Ana'));
    people.push(await joinCall(browser, server.url, room, 'Ben'));
    for (const p of people) await expectPlaying(p.page, REMOTE_VIDEOS, 1);

    await server.stop();
    for (const p of people) await expect(p.page.getByTestId('signaling-notice')).toBeVisible();

    server = await startServer({ PORT: String(port) });
    for (const p of people) {
      await expect(p.page.getByTestId('signaling-notice')).toHaveCount(0);
      await expect(p.page.getByTestId('tile')).toHaveCount(2);
      await expectPlaying(p.page, REMOTE_VIDEOS, 1);
    }
  } finally {
    await closeAll(people);
    await server.stop();
  }
});

test('an unreachable server is reported in the lobby with a retry', async ({ browser }) => {
  const server = await startServer();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/r/${uniqueRoom('down')}`);
    await page.getByTestId('lobby-name').fill('Solo');
    await server.stop();
    await page.getByTestId('join').click();
    await expect(page.getByTestId('join-error')).toContainText(/reach/i, { timeout: 30_000 });
    await expect(page.getByTestId('join')).toHaveText(/Retry/);
  } finally {
    await context.close();
    await server.stop();
  }
});
