// Issue 12 over rtc-core's data channels: chat both ways, markup shown as text, a 1 MiB message
// refused, sending too fast, hands up and down in order, reactions, and history for a late joiner.
// Should the app ever show "chat unavailable" (an engine without data channels), each test is
// reported as fixme with that reason rather than failing on a missing panel.
import { closeAll, expect, joinCall, test, tileOf, uniqueRoom, type Participant, personOf } from './fixtures.ts';
import type { Page } from '@playwright/test';

const NO_ENGINE = 'waits for rtc-core data channels (mesh.sendMessage, messageReceived, setHandRaised, handChanged, react, reactionReceived): the app shows "chat unavailable"';

async function openChat(page: Page): Promise<void> {
  if ((await page.getByTestId('chat-panel').count()) === 0) await page.getByTestId('chat-toggle').click();
  await expect(page.getByTestId('chat-panel')).toBeVisible();
}

async function engineLacksData(page: Page): Promise<boolean> {
  await openChat(page);
  return (await page.getByTestId('chat-unavailable').count()) > 0;
}

async function say(page: Page, text: string): Promise<void> {
  await openChat(page);
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-send').click();
}

const messagesFrom = (page: Page, peerId: string) => page.locator(`[data-testid="chat-message"][data-from="${peerId}"]`);

test.describe.serial('chat, hands and reactions peer to peer', () => {
  let people: Participant[] = [];
  let room = '';
  const person = personOf(() => people);
  const a = () => person(0);
  const b = () => person(1);
  const c = () => person(2);

  test.beforeAll(async ({ browser, server }) => {
    room = uniqueRoom('chat');
    for (const name of ['Ada', 'Bob', 'Chloé']) people.push(await joinCall(browser, server.url, room, name));
    for (const viewer of people) await expect(viewer.page.getByTestId('tile')).toHaveCount(3);
  });

  test.afterAll(async () => {
    await closeAll(people);
    people = [];
  });

  test('a message goes both ways, with the sender name from the roster and an unread count', async () => {
    test.fixme(await engineLacksData(a().page), NO_ENGINE);
    await expect(a().page.getByTestId('chat-input')).toBeFocused();
    await a().page.getByTestId('chat-input').fill('Hello from Ada');
    await a().page.keyboard.press('Enter');
    await expect(messagesFrom(a().page, a().peerId)).toHaveCount(1);
    // Bob's panel is closed: the chat button counts it.
    await expect(b().page.getByTestId('chat-unread')).toHaveText('1');
    await openChat(b().page);
    await expect(b().page.getByTestId('chat-unread')).toHaveCount(0);
    const received = messagesFrom(b().page, a().peerId);
    await expect(received).toHaveCount(1);
    await expect(received).toContainText('Hello from Ada');
    await expect(received).toContainText('Ada');
    await expect(received.locator('time')).toHaveCount(1);
    await say(b().page, 'Hi Ada, Bob here');
    await expect(messagesFrom(a().page, b().peerId)).toContainText('Hi Ada, Bob here');
    await expect(c().page.getByTestId('chat-unread')).toHaveText('2');
  });

  test('markup in a message is shown as text', async () => {
    test.fixme(await engineLacksData(a().page), NO_ENGINE);
    const markup = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    await say(a().page, markup);
    const last = messagesFrom(b().page, a().peerId).last();
    await expect(last.locator('.text')).toHaveText(markup);
    await expect(b().page.locator('[data-testid="chat-message"] img, [data-testid="chat-message"] b')).toHaveCount(0);
    expect(await b().page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  test('a 1 MiB message is refused politely and reaches nobody', async () => {
    test.fixme(await engineLacksData(a().page), NO_ENGINE);
    const before = await messagesFrom(b().page, a().peerId).count();
    await say(a().page, 'x'.repeat(1024 * 1024));
    await expect(a().page.getByTestId('chat-error')).toContainText('too long');
    await b().page.waitForTimeout(1000);
    await expect(messagesFrom(b().page, a().peerId)).toHaveCount(before);
  });

  test('sending too fast is refused politely', async () => {
    test.fixme(await engineLacksData(c().page), NO_ENGINE);
    await openChat(c().page);
    // Seven sends within a few milliseconds (Playwright's own round trips per click would spread
    // them over seconds on a loaded machine, under the limit of 5 per 2 s).
    await c().page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement | HTMLTextAreaElement>('[data-testid="chat-input"]')!;
      const send = document.querySelector<HTMLButtonElement>('[data-testid="chat-send"]')!;
      for (let i = 0; i < 7; i++) {
        input.value = `quick ${i}`;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        send.click();
      }
    });
    await expect(c().page.getByTestId('chat-error')).toContainText('quickly');
  });

  test('hands go up and down, shown on tiles and in the list in raise order', async () => {
    test.fixme(await engineLacksData(a().page), NO_ENGINE);
    await b().page.getByTestId('raise-hand').click();
    await expect(tileOf(a().page, b().peerId).getByTestId('hand-raised')).toBeVisible();
    await c().page.getByTestId('raise-hand').click();
    await expect(tileOf(a().page, c().peerId).getByTestId('hand-raised')).toBeVisible();
    // Bob's own tile shows his hand too.
    await expect(tileOf(b().page, b().peerId).getByTestId('hand-raised')).toBeVisible();
    await a().page.getByTestId('participants-toggle').click();
    const rows = a().page.getByTestId('participant-row');
    await expect(rows.nth(0)).toHaveAttribute('data-peer-id', b().peerId);
    await expect(rows.nth(1)).toHaveAttribute('data-peer-id', c().peerId);
    await expect(rows.nth(0)).toHaveAttribute('data-hand', '');
    await b().page.getByTestId('raise-hand').click();
    await expect(tileOf(a().page, b().peerId).getByTestId('hand-raised')).toHaveCount(0);
    await expect(rows.nth(0)).toHaveAttribute('data-peer-id', c().peerId);
    await expect(tileOf(a().page, c().peerId).getByTestId('hand-raised')).toContainText('1');
  });

  test('a reaction floats over the sender tile for a few seconds', async () => {
    test.fixme(await engineLacksData(c().page), NO_ENGINE);
    await c().page.getByTestId('reactions-toggle').click();
    await c().page.locator('[data-testid="react"][data-emoji="🎉"]').click();
    const reaction = tileOf(a().page, c().peerId).getByTestId('reaction');
    await expect(reaction).toHaveText('🎉');
    await expect(tileOf(c().page, c().peerId).getByTestId('reaction')).toHaveText('🎉');
    await expect(reaction).toHaveCount(0, { timeout: 8_000 });
  });

  test('a late joiner receives the recent messages and the raised hands', async ({ browser, server }) => {
    test.fixme(await engineLacksData(a().page), NO_ENGINE);
    const late = await joinCall(browser, server.url, room, 'Dan');
    people.push(late);
    await openChat(late.page);
    await expect(messagesFrom(late.page, a().peerId).first()).toContainText('Hello from Ada');
    await expect(messagesFrom(late.page, b().peerId)).toContainText('Hi Ada, Bob here');
    await expect(tileOf(late.page, c().peerId).getByTestId('hand-raised')).toBeVisible();
  });
});
