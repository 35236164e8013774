// Closing a tab says goodbye: the app sends the protocol's `leave` on `pagehide`, so the others
// drop the tile at once. Without it they would wait for the socket to time out, or, once the
// server keeps a dropped participant for its resume grace (issue 8), for that grace to end.
import {
  REMOTE_VIDEOS,
  closeAll,
  expect,
  expectPlaying,
  joinCall,
  test,
  tileOf,
  uniqueRoom,
  watchServerLog,
  type Participant,
} from './fixtures.ts';

/** "At once": well under any grace or ping timeout, with room for a busy 2-core machine. */
const GONE_WITHIN_MS = 2000;

test('closing a tab removes its tile for the others at once, because the tab said leave', async ({ browser, server }) => {
  const people: Participant[] = [];
  const log = watchServerLog(server);
  try {
    const room = uniqueRoom('close');
    for (const name of ['Ana', 'Ben', 'Cleo']) people.push(await joinCall(browser, server.url, room, name));
    for (const p of people) await expectPlaying(p.page, REMOTE_VIDEOS, 2);
    const [stays1, stays2, closer] = people as [Participant, Participant, Participant];

    const closedAt = Date.now();
    // runBeforeUnload: the page unloads the way a tab a person closes does, so `pagehide` fires
    // (a plain close() just kills the target).
    await closer.page.close({ runBeforeUnload: true });
    for (const viewer of [stays1, stays2]) {
      await expect(tileOf(viewer.page, closer.peerId), `${viewer.name} drops ${closer.name}'s tile`).toHaveCount(0, {
        timeout: GONE_WITHIN_MS,
      });
    }
    const goneAfterMs = Date.now() - closedAt;
    test.info().annotations.push({ type: 'tile gone after (ms)', description: String(goneAfterMs) });
    expect(goneAfterMs).toBeLessThanOrEqual(GONE_WITHIN_MS);
    for (const viewer of [stays1, stays2]) await expect(viewer.page.getByTestId('tile')).toHaveCount(2);

    // The others cannot tell a goodbye from a dropped socket (this server drops a closed socket
    // at once too), so ask the server: the closing tab's `leave` reached it, before the socket closed.
    const mine = log.lines.filter((line) => line.peerId === closer.peerId);
    const left = mine.findIndex((line) => line.msg === 'left');
    const dropped = mine.findIndex((line) => line.msg === 'disconnected');
    expect(left, `the server logged ${closer.name}'s leave: ${JSON.stringify(mine)}`).toBeGreaterThanOrEqual(0);
    if (dropped >= 0) expect(left).toBeLessThan(dropped);
  } finally {
    log.stop();
    await closeAll(people);
  }
});
