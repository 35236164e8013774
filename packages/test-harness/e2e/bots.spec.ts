import { Bot, Ticker, type MediaClocks } from '../src/index.ts';
import { closeAll, expect, expectPlaying, joinCall, test, tileOf, uniqueRoom, type Participant } from './fixtures.ts';

// Issue 5: bots join rooms where browsers are. The browser must see the bot's tile playing, and
// the bot must count the browser's frames and audio.
test('a browser and a wrtc bot in one room see and hear each other', async ({ browser, server }) => {
  const room = uniqueRoom('bots');
  const clocks: MediaClocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
  const bot = new Bot({ url: server.url, room, name: 'Load Bot 1', video: { width: 320, height: 240, fps: 15 }, clocks, statsIntervalMs: 500 });
  const people: Participant[] = [];
  try {
    await bot.start();
    const person = await joinCall(browser, server.url, room, 'Grace');
    people.push(person);

    const botId = bot.report().selfId;
    expect(botId).toBeTruthy();
    const botTile = tileOf(person.page, botId!);
    await expect(botTile).toContainText('Load Bot 1');
    await expectPlaying(person.page, `[data-testid="tile"][data-peer-id="${botId}"] [data-testid="tile-video"]`, 1);

    await expect
      .poll(() => {
        const peer = bot.report().peers.find((p) => p.peerId === person.peerId);
        return peer ? { frames: peer.framesReceived > 0, audio: peer.audioPacketsReceived > 0, firstFrame: peer.firstFrameAt !== null } : null;
      })
      .toEqual({ frames: true, audio: true, firstFrame: true });
    const peer = bot.report().peers.find((p) => p.peerId === person.peerId)!;
    expect(peer.name).toBe('Grace');
    expect(peer.states.map((s) => s.state)).toContain('connected');
  } finally {
    await bot.stop();
    clocks.video.stop();
    clocks.audio.stop();
    await closeAll(people);
  }
});
