// Issue 12, the parts that need no data channels: the participants panel, grid and speaker view
// following whoever speaks, pin, the muted hint, join/leave notices, the "You left · Rejoin"
// screen with its focus, and the call on a phone.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REMOTE_VIDEOS, closeAll, expect, expectPlaying, joinCall, test, tileOf, uniqueRoom, type Participant, personOf } from './fixtures.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
mkdirSync(ARTIFACTS, { recursive: true });

async function setMic(p: Participant, on: boolean): Promise<void> {
  const mic = p.page.getByTestId('toggle-mic');
  if ((await mic.getAttribute('aria-pressed')) !== String(on)) await mic.click();
  await expect(mic).toHaveAttribute('aria-pressed', String(on));
}

test('focus is on the name field when the lobby opens', async ({ browser, server }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/r/${uniqueRoom('focus')}`);
    await expect(page.getByTestId('lobby-name')).toBeFocused();
  } finally {
    await context.close();
  }
});

test.describe.serial('issue 12 in a three-party call', () => {
  let people: Participant[] = [];
  const person = personOf(() => people);
  const a = () => person(0);
  const b = () => person(1);
  const c = () => person(2);

  test.beforeAll(async ({ browser, server }) => {
    const room = uniqueRoom('feat');
    for (const name of ['Ada', 'Bob', 'Chloé']) people.push(await joinCall(browser, server.url, room, name));
    for (const viewer of people) await expect(viewer.page.getByTestId('tile')).toHaveCount(3);
  });

  test.afterAll(async () => {
    await closeAll(people);
    people = [];
  });

  test('after Join, focus is in the call', async () => {
    await expect(a().page.locator('h1.room-name')).toBeFocused();
  });

  test('the participants panel lists everyone with mic state, how each link is connected, and a volume per person that sets their audio', async () => {
    const page = a().page;
    await page.getByTestId('participants-toggle').click();
    const rows = page.getByTestId('participant-row');
    await expect(rows).toHaveCount(3);
    for (const p of people) {
      await expect(page.locator(`[data-testid="participant-row"][data-peer-id="${p.peerId}"]`)).toContainText(p.name);
    }
    // You first (no hands are up), then the others by name.
    await expect(rows.first()).toHaveAttribute('data-peer-id', a().peerId);
    await expect(rows.first().getByTestId('volume')).toHaveCount(0);
    const bobRow = page.locator(`[data-testid="participant-row"][data-peer-id="${b().peerId}"]`);
    await expect(bobRow.getByTestId('participant-mic-on')).toHaveCount(1);
    // How the link is connected (issue 9): pages on one machine connect directly, over UDP.
    await expect(bobRow.getByTestId('link-path')).toHaveText(/Direct · UDP · \d+ ms/);
    await bobRow.getByTestId('volume').fill('30');
    await expect
      .poll(() => page.locator(`[data-testid="remote-audio"][data-peer-id="${b().peerId}"]`).evaluate((el) => (el as HTMLAudioElement).volume))
      .toBeCloseTo(0.3, 2);
    // Chloé's audio is untouched.
    expect(await page.locator(`[data-testid="remote-audio"][data-peer-id="${c().peerId}"]`).evaluate((el) => (el as HTMLAudioElement).volume)).toBe(1);
    await setMic(b(), false);
    await expect(bobRow.getByTestId('participant-mic-off')).toHaveCount(1);
    await page.screenshot({ path: `${ARTIFACTS}participants-panel.png` });
    await page.getByTestId('participants-toggle').click();
    await expect(page.getByTestId('participants-panel')).toHaveCount(0);
  });

  test('speaker view shows whoever speaks large (fake microphones beep; the others muted) and follows a change of speaker', async () => {
    const page = a().page;
    await setMic(a(), false);
    await setMic(b(), false);
    await setMic(c(), true);
    await page.getByTestId('layout-toggle').click();
    await expect(page.getByTestId('layout-toggle')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('section.people')).toHaveAttribute('data-layout', 'speaker');
    const featured = page.locator('[data-testid="tile"][data-featured]');
    await expect(featured).toHaveAttribute('data-peer-id', c().peerId, { timeout: 15_000 });
    await expect(featured).toHaveCount(1);
    // The large tile is much larger than the others, once the layout has followed the change of
    // mode (it is sized from observed element sizes, a frame or more later on a loaded machine).
    await expect
      .poll(async () => {
        const big = await featured.boundingBox();
        const small = await tileOf(page, b().peerId).boundingBox();
        return big && small ? big.width / small.width : 0;
      })
      .toBeGreaterThan(2);
    await page.screenshot({ path: `${ARTIFACTS}speaker-view.png` });

    // Chloé stops, Bob speaks: after the hold time Bob is large, and stays.
    await setMic(c(), false);
    await setMic(b(), true);
    await expect(featured).toHaveAttribute('data-peer-id', b().peerId, { timeout: 15_000 });
    // No flicker: it stays on Bob while he goes on.
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      seen.add((await featured.getAttribute('data-peer-id')) ?? '');
      await page.waitForTimeout(200);
    }
    expect([...seen]).toEqual([b().peerId]);
  });

  test('a pinned tile stays large whoever speaks; unpinning returns to the speaker', async () => {
    const page = a().page;
    const featured = page.locator('[data-testid="tile"][data-featured]');
    await tileOf(page, c().peerId).getByTestId('pin').click();
    await expect(featured).toHaveAttribute('data-peer-id', c().peerId);
    await expect(tileOf(page, c().peerId).getByTestId('pin')).toHaveAttribute('aria-pressed', 'true');
    // Bob keeps speaking; the pin holds.
    await page.waitForTimeout(2500);
    await expect(featured).toHaveAttribute('data-peer-id', c().peerId);
    await tileOf(page, c().peerId).getByTestId('pin').click();
    await expect(featured).toHaveAttribute('data-peer-id', b().peerId, { timeout: 15_000 });
    // Pinning from the grid shows the speaker layout with the pin large; the toggle goes back to the grid.
    await page.getByTestId('layout-toggle').click();
    await expect(page.locator('section.people')).toHaveAttribute('data-layout', 'grid');
    await expect(featured).toHaveCount(0);
    await tileOf(page, a().peerId).getByTestId('pin').click();
    await expect(featured).toHaveAttribute('data-peer-id', a().peerId);
    await page.getByTestId('layout-toggle').click();
    await expect(featured).toHaveCount(0);
  });

  test('"You are muted" shows when you speak with the microphone off, and goes when it is on', async () => {
    const page = a().page;
    await setMic(a(), false);
    await expect(page.getByTestId('muted-hint')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('muted-hint')).toContainText('You are muted');
    await page.screenshot({ path: `${ARTIFACTS}muted-hint.png` });
    await setMic(a(), true);
    await expect(page.getByTestId('muted-hint')).toHaveCount(0);
    // The hint's own capture never reached the others: Ada's tile shows her mic on again only now.
    await expect(tileOf(b().page, a().peerId).getByTestId('mic-off-indicator')).toHaveCount(0);
  });

  test('on a phone: own video floats small, controls sit in one row at the bottom, panels cover the call', async () => {
    const page = b().page;
    await page.setViewportSize({ width: 390, height: 844 });
    await expectPlaying(page, REMOTE_VIDEOS, 2);
    const self = await page.locator('[data-testid="tile"][data-self]').boundingBox();
    const other = await tileOf(page, a().peerId).boundingBox();
    expect(self && other && self.width < other.width / 2).toBe(true);
    // Every control is within the bottom 100 px: reachable with the thumb of the hand that holds the phone.
    for (const id of ['toggle-mic', 'toggle-camera', 'raise-hand', 'chat-toggle', 'more', 'leave']) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.y, id).toBeGreaterThan(844 - 100);
      expect(box!.x + box!.width, id).toBeLessThanOrEqual(390);
    }
    await page.screenshot({ path: `${ARTIFACTS}phone-call.png` });
    await page.getByTestId('more').click();
    await page.screenshot({ path: `${ARTIFACTS}phone-more.png` });
    await page.getByTestId('participants-toggle').click();
    await expect(page.getByTestId('participant-row')).toHaveCount(3);
    await page.screenshot({ path: `${ARTIFACTS}phone-participants.png` });
    await page.getByRole('button', { name: 'Close people' }).click();
    await page.getByTestId('chat-toggle').click();
    await expect(page.getByTestId('chat-panel')).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}phone-chat.png` });
    await page.getByRole('button', { name: 'Close chat' }).click();

    // A shared screen fills the phone's width.
    await a().page.getByTestId('toggle-screen').click();
    await expect(a().page.getByTestId('presenting')).toContainText('You are presenting');
    // The presenter does not see their own screen large.
    await expect(a().page.getByTestId('screen-tile')).toHaveCount(0);
    const screen = page.locator(`[data-testid="screen-tile"][data-peer-id="${a().peerId}"]`);
    await expectPlaying(page, `[data-testid="screen-tile"][data-peer-id="${a().peerId}"] video`, 1);
    const box = await screen.boundingBox();
    expect(box && box.width >= 390 - 20).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}phone-screen-share.png` });
    await a().page.screenshot({ path: `${ARTIFACTS}presenter.png` });
    await a().page.getByTestId('stop-presenting').click();
    await expect(screen).toHaveCount(0);
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  test('leaving shows "You left · Rejoin" with Rejoin focused; the others see a notice; Rejoin brings you back', async () => {
    const leaver = c();
    await leaver.page.getByTestId('leave').click();
    await expect(leaver.page.getByTestId('rejoin')).toBeFocused();
    await expect(leaver.page.getByText('You left the call')).toBeVisible();
    await expect(a().page.getByTestId('call-notice').filter({ hasText: `${leaver.name} left` })).toHaveCount(1);
    await leaver.page.screenshot({ path: `${ARTIFACTS}you-left.png` });
    // Enter on the focused Rejoin is all it takes.
    await leaver.page.keyboard.press('Enter');
    const self = leaver.page.locator('[data-testid="tile"][data-self]');
    await expect(self).toHaveAttribute('data-peer-id', /^(?!self$).+/);
    await expect(leaver.page.locator('h1.room-name')).toBeFocused();
    await expect(a().page.getByTestId('call-notice').filter({ hasText: `${leaver.name} joined` })).toHaveCount(1);
    await expect(a().page.getByTestId('tile')).toHaveCount(3);
    leaver.peerId = (await self.getAttribute('data-peer-id')) ?? '';
    await expectPlaying(a().page, `[data-testid="tile"][data-peer-id="${leaver.peerId}"] [data-testid="tile-video"]`, 1);
  });

  test('no page threw an error or logged one', () => {
    expect(people.flatMap((p) => (p.errors ?? []).map((e) => `${p.name}: ${e}`))).toEqual([]);
  });
});
