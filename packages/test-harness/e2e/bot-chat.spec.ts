import type { Page } from '@playwright/test';
import { Bot, Ticker, type MediaClocks } from '../src/index.ts';
import { closeAll, expect, expectPlaying, joinCall, test, tileOf, uniqueRoom, type Participant } from './fixtures.ts';

// Issue 12 with bots: a bot's chat (`--chat "text@2s"`) reaches the browsers and theirs reaches
// it; and a client that announces no data channel (a wave-1 client, as far as the links go) still
// completes a call with browsers, which say that it cannot receive chat.

async function openChat(page: Page): Promise<void> {
  if ((await page.getByTestId('chat-panel').count()) === 0) await page.getByTestId('chat-toggle').click();
  await expect(page.getByTestId('chat-panel')).toBeVisible();
}

async function say(page: Page, text: string): Promise<void> {
  await openChat(page);
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-send').click();
}

async function withBot(url: string, room: string, options: { chat?: Array<{ text: string; atMs: number }>; dataChannels?: boolean }, body: (bot: Bot) => Promise<void>): Promise<void> {
  const clocks: MediaClocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
  const bot = new Bot({ url, room, name: 'Chat Bot', video: { width: 320, height: 240, fps: 15 }, clocks, statsIntervalMs: 500, ...options });
  try {
    await bot.start();
    await body(bot);
  } finally {
    await bot.stop();
    clocks.video.stop();
    clocks.audio.stop();
  }
}

test('a bot chats with two browsers, both ways, under its roster name', async ({ browser, server }) => {
  const room = uniqueRoom('botchat');
  const people: Participant[] = [];
  try {
    await withBot(server.url, room, { chat: [{ text: 'hello from the bot', atMs: 4000 }] }, async (bot) => {
      people.push(await joinCall(browser, server.url, room, 'Ada'), await joinCall(browser, server.url, room, 'Bob'));
      const botId = bot.report().selfId!;
      for (const person of people) {
        await openChat(person.page);
        const fromBot = person.page.locator(`[data-testid="chat-message"][data-from="${botId}"]`);
        await expect(fromBot).toContainText('hello from the bot', { timeout: 15_000 });
        await expect(fromBot).toContainText('Chat Bot');
      }
      await say(people[0]!.page, 'hi bot');
      await expect.poll(() => bot.report().messages.filter((m) => m.from === people[0]!.peerId).map((m) => m.text), { timeout: 10_000 }).toEqual(['hi bot']);
    });
  } finally {
    await closeAll(people);
  }
});

test('a client without the data channel completes a call with browsers, who say it cannot receive chat', async ({ browser, server }) => {
  const room = uniqueRoom('nodata');
  const people: Participant[] = [];
  try {
    await withBot(server.url, room, { dataChannels: false }, async (bot) => {
      people.push(await joinCall(browser, server.url, room, 'Ada'), await joinCall(browser, server.url, room, 'Bob'));
      const botId = bot.report().selfId!;
      for (const person of people) {
        await expectPlaying(person.page, `[data-testid="tile"][data-peer-id="${botId}"] [data-testid="tile-video"]`, 1);
        await expect(tileOf(person.page, botId)).toContainText('Chat Bot');
      }
      await expect
        .poll(() => people.every((p) => (bot.report().peers.find((r) => r.peerId === p.peerId)?.framesReceived ?? 0) > 0), { timeout: 15_000 })
        .toBe(true);
      // Chat between the browsers still works; the bot gets none of it, and the app says so.
      await say(people[0]!.page, 'browsers only');
      await openChat(people[1]!.page);
      await expect(people[1]!.page.locator(`[data-testid="chat-message"][data-from="${people[0]!.peerId}"]`)).toContainText('browsers only');
      await expect(people[1]!.page.getByTestId('chat-deaf')).toContainText('1');
      expect(bot.report().messages).toEqual([]);
    });
  } finally {
    await closeAll(people);
  }
});
