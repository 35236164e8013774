// Issue 8: a call outlives its signaling connection. The server is killed (SIGKILL, no drain) in
// the middle of a three-party call and started again on the same port with the same session
// secret: media flows peer to peer all along, so no remote video may stall, no tile may change its
// peer id, and only a small notice says the server is away.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startFrameWatch, stopFrameWatch, type FrameWatchReport } from './frameWatch.ts';
import {
  REMOTE_VIDEOS,
  closeAll,
  expect,
  expectPlaying,
  joinCall,
  startRestartableServer,
  test,
  uniqueRoom,
  type Participant,
  type RestartableServer,
} from './fixtures.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
mkdirSync(ARTIFACTS, { recursive: true });

/** Longer than the ~3 s in which rtc-core marks stopped media as interrupted: nobody's media stops here. */
const OUTAGE_MS = 5000;
/** A remote video that does not advance for longer than this has stalled. */
const MAX_STALL_MS = 1000;

test('killing the server mid-call: every video keeps playing, every tile keeps its id, a notice shows meanwhile', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const server: RestartableServer = await startRestartableServer();
  const people: Participant[] = [];
  try {
    const room = uniqueRoom('restart');
    for (const name of ['Ana', 'Ben', 'Cleo']) people.push(await joinCall(browser, server.url, room, name));
    for (const p of people) await expectPlaying(p.page, REMOTE_VIDEOS, 2);
    const everyone = people.map((p) => p.peerId).sort();
    for (const p of people) {
      const ids = await p.page.locator('[data-testid="tile"]').evaluateAll((tiles) => tiles.map((t) => (t as HTMLElement).dataset.peerId));
      expect(ids.sort(), `${p.name}'s tiles before the outage`).toEqual(everyone);
    }

    await Promise.all(people.map((p) => startFrameWatch(p.page)));
    await people[0]!.page.waitForTimeout(1000);

    await server.kill();
    const killedAt = Date.now();
    for (const p of people) await expect(p.page.getByTestId('signaling-notice'), `${p.name} sees the notice`).toBeVisible({ timeout: 5000 });
    await people[1]!.page.screenshot({ path: `${ARTIFACTS}signaling-notice.png` });
    // The notice is polite and non-blocking: the call stays usable (a toggle still works).
    await people[0]!.page.getByTestId('toggle-mic').click();
    await expect(people[0]!.page.getByTestId('toggle-mic')).toHaveAttribute('aria-pressed', 'false');
    await people[0]!.page.waitForTimeout(Math.max(0, OUTAGE_MS - (Date.now() - killedAt)));

    await server.restart();
    for (const p of people) await expect(p.page.getByTestId('signaling-notice'), `${p.name}'s notice goes`).toHaveCount(0, { timeout: 30_000 });
    await people[0]!.page.waitForTimeout(2000);

    const reports = new Map<string, FrameWatchReport>();
    for (const p of people) reports.set(p.name, await stopFrameWatch(p.page));
    const summary = [...reports].map(([name, r]) => ({ name, samples: r.samples, maxStallMs: r.maxStallMs, idChanges: r.idChanges }));
    test.info().annotations.push({ type: 'frame watch', description: JSON.stringify(summary) });
    console.log(JSON.stringify(summary, null, 1));

    for (const [name, r] of reports) {
      // At 200 ms a sample, a 1 s stall cannot fall between two samples.
      expect(r.samples, `${name}'s samples`).toBeGreaterThan((OUTAGE_MS + 3000) / 250);
      expect(r.idChanges, `${name}'s tiles kept their peer ids throughout`).toEqual([]);
      expect(Object.keys(r.maxStallMs).sort(), `${name} watched both others`).toEqual(everyone.filter((id) => id !== people.find((p) => p.name === name)?.peerId));
      for (const [peerId, stall] of Object.entries(r.maxStallMs)) {
        expect(stall, `${name}'s video of ${peerId}: longest stall in ms`).toBeLessThanOrEqual(MAX_STALL_MS);
      }
      expect(r.interrupted, `${name} saw no tile marked interrupted`).toEqual([]);
    }
    // And the own tile still carries the id it had (no fresh join was needed).
    for (const p of people) await expect(p.page.locator('[data-testid="tile"][data-self]')).toHaveAttribute('data-peer-id', p.peerId);
  } finally {
    await closeAll(people);
    await server.stop();
  }
});
