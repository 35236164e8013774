import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  REMOTE_VIDEOS,
  closeAll,
  expect,
  expectPlaying,
  joinCall,
  startServer,
  test,
  tileOf,
  uniqueRoom,
  personOf,
  type Participant,
} from './fixtures.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
mkdirSync(ARTIFACTS, { recursive: true });

// One three-party call carried through the scenarios in order; setting it up costs most of the time.
test.describe.serial('a three-party call', () => {
  let people: Participant[] = [];
  const person = personOf(() => people);
  const a = () => person(0);
  const b = () => person(1);
  const c = () => person(2);

  test.beforeAll(async ({ browser, server }) => {
    const room = uniqueRoom('e2e');
    for (const name of ['Ada Lovelace', 'Bob', 'Chloé Martin']) {
      people.push(await joinCall(browser, server.url, room, name));
    }
  });

  test.afterAll(async () => {
    await closeAll(people);
    people = [];
  });

  test('everyone sees two remote tiles whose videos play', async () => {
    for (const viewer of people) {
      await expect(viewer.page.getByTestId('tile')).toHaveCount(3);
      await expect(viewer.page.locator('[data-testid="tile"][data-self]')).toHaveCount(1);
      for (const other of people.filter((p) => p !== viewer)) {
        await expect(tileOf(viewer.page, other.peerId)).toContainText(other.name);
      }
      await expectPlaying(viewer.page, REMOTE_VIDEOS, 2);
      // Nothing covers the pictures once they play.
      await expect(viewer.page.getByTestId('tile-avatar')).toHaveCount(0);
    }
    await a().page.screenshot({ path: `${ARTIFACTS}three-party-call.png` });
    // The same call on a phone held upright: tiles stack, controls stay reachable.
    await c().page.setViewportSize({ width: 390, height: 844 });
    await expectPlaying(c().page, REMOTE_VIDEOS, 2);
    await c().page.screenshot({ path: `${ARTIFACTS}three-party-call-phone.png` });
    await c().page.setViewportSize({ width: 1280, height: 720 });
  });

  test('a speaking indicator follows the audio level (the fake microphone beeps)', async () => {
    for (const viewer of [b(), c()]) {
      await expect(viewer.page.locator(`[data-testid="tile"][data-peer-id="${a().peerId}"][data-speaking]`)).toHaveCount(1);
    }
  });

  test('camera and mic off show indicators on the others within 2 s; back on plays again', async () => {
    const others = [b(), c()];
    for (const viewer of others) {
      await expect(tileOf(viewer.page, a().peerId).getByTestId('mic-off-indicator')).toHaveCount(0);
      await expect(tileOf(viewer.page, a().peerId).getByTestId('camera-off-indicator')).toHaveCount(0);
    }
    await a().page.getByTestId('toggle-mic').click();
    await a().page.getByTestId('toggle-camera').click();
    await expect(a().page.getByTestId('toggle-camera')).toHaveAttribute('aria-pressed', 'false');
    for (const viewer of others) {
      const tile = tileOf(viewer.page, a().peerId);
      await expect(tile.getByTestId('mic-off-indicator')).toBeVisible({ timeout: 2_000 });
      await expect(tile.getByTestId('camera-off-indicator')).toBeVisible({ timeout: 2_000 });
      await expect(tile.getByTestId('tile-avatar')).toContainText('AL');
      // A muted microphone never lights the speaking indicator.
      await expect(tile).not.toHaveAttribute('data-speaking');
    }
    await b().page.screenshot({ path: `${ARTIFACTS}camera-off.png` });
    await a().page.getByTestId('toggle-mic').click();
    await a().page.getByTestId('toggle-camera').click();
    for (const viewer of others) {
      const tile = tileOf(viewer.page, a().peerId);
      await expect(tile.getByTestId('mic-off-indicator')).toHaveCount(0);
      await expect(tile.getByTestId('camera-off-indicator')).toHaveCount(0);
      await expectPlaying(viewer.page, `[data-testid="tile"][data-peer-id="${a().peerId}"] [data-testid="tile-video"]`, 1);
      await expect(tile.getByTestId('tile-avatar')).toHaveCount(0);
    }
  });

  test('Ctrl+D and Ctrl+E toggle the microphone and camera from the keyboard', async () => {
    const page = b().page;
    const mic = page.getByTestId('toggle-mic');
    const camera = page.getByTestId('toggle-camera');
    await expect(mic).toHaveAttribute('aria-keyshortcuts', 'Control+D');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    // A bare letter does nothing: shortcuts need a modifier.
    await page.keyboard.press('d');
    await expect(mic).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('Control+d');
    await expect(mic).toHaveAttribute('aria-pressed', 'false');
    await expect(tileOf(a().page, b().peerId).getByTestId('mic-off-indicator')).toBeVisible();
    await page.keyboard.press('Control+e');
    await expect(camera).toHaveAttribute('aria-pressed', 'false');
    await page.keyboard.press('Control+d');
    await page.keyboard.press('Control+e');
    await expect(mic).toHaveAttribute('aria-pressed', 'true');
    await expect(camera).toHaveAttribute('aria-pressed', 'true');
    await expectPlaying(a().page, `[data-testid="tile"][data-peer-id="${b().peerId}"] [data-testid="tile-video"]`, 1);
  });

  test('devices can be chosen during the call', async () => {
    const page = c().page;
    await page.getByTestId('settings').click();
    const dialog = page.getByTestId('settings-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('settings-camera').locator('option')).not.toHaveCount(0);
    await expect(dialog.getByTestId('settings-mic')).toContainText(/fake/i);
    await page.screenshot({ path: `${ARTIFACTS}settings.png` });
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });

  test('a screen share adds a playing screen tile on the others; stopping removes it', async () => {
    const screenOf = (viewer: Participant) => viewer.page.locator(`[data-testid="screen-tile"][data-peer-id="${a().peerId}"]`);
    await a().page.getByTestId('toggle-screen').click();
    await expect(a().page.getByTestId('toggle-screen')).toHaveAttribute('aria-pressed', 'true');
    for (const viewer of [b(), c()]) {
      await expect(screenOf(viewer)).toHaveCount(1);
      await expectPlaying(viewer.page, `[data-testid="screen-tile"][data-peer-id="${a().peerId}"] video`, 1);
      // The camera tiles keep playing beside the share.
      await expectPlaying(viewer.page, REMOTE_VIDEOS, 2);
    }
    await b().page.screenshot({ path: `${ARTIFACTS}screen-share.png` });
    await a().page.getByTestId('toggle-screen').click();
    for (const viewer of [b(), c()]) await expect(screenOf(viewer)).toHaveCount(0);
  });

  test('no page threw an error or logged one so far', () => {
    expect(people.flatMap((p) => (p.errors ?? []).map((e) => `${p.name}: ${e}`))).toEqual([]);
  });

  test('leaving removes the tile everywhere, and so does closing a tab', async () => {
    const leaver = a();
    await leaver.page.getByTestId('leave').click();
    await expect(leaver.page.getByTestId('rejoin')).toBeVisible();
    for (const viewer of [b(), c()]) {
      await expect(tileOf(viewer.page, leaver.peerId)).toHaveCount(0);
      await expect(viewer.page.getByTestId('announcer')).toHaveText(`${leaver.name} left`);
      await expect(viewer.page.getByTestId('tile')).toHaveCount(2);
    }
    const closer = c();
    await closer.page.close();
    await expect(tileOf(b().page, closer.peerId)).toHaveCount(0);
    await expect(b().page.getByTestId('tile')).toHaveCount(1);
  });
});

test('with MAX_PEERS_PER_ROOM=2 the third participant is told the room is full', async ({ browser }) => {
  const server = await startServer({ MAX_PEERS_PER_ROOM: '2' });
  const people: Participant[] = [];
  try {
    const room = uniqueRoom('full');
    people.push(await joinCall(browser, server.url, room, 'One'));
    people.push(await joinCall(browser, server.url, room, 'Two'));
    const context = await browser.newContext();
    const page = await context.newPage();
    people.push({ name: 'Three', context, page, peerId: '' });
    await page.goto(`${server.url}/r/${room}`);
    await page.getByTestId('lobby-name').fill('Three');
    await page.getByTestId('join').click();
    await expect(page.getByTestId('room-full')).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}room-full.png` });
    await expect(page.getByTestId('tile')).toHaveCount(0);
    // The two inside are undisturbed.
    await expect(people[0]!.page.getByTestId('tile')).toHaveCount(2);
  } finally {
    await closeAll(people);
    await server.stop();
  }
});
