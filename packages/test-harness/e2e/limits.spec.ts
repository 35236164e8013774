// Issue 13's per-address limit as a person meets it: with MAX_SOCKETS_PER_IP=1, a second tab on
// the same address (one browser, so both come from 127.0.0.1) is refused at connect. The app must
// say so in its own words, with Retry, rather than hang on "Joining…" or blame the network; once
// the first tab has gone, Retry joins.
import type { SpawnedServer } from '../src/server/spawnServer.ts';
import { clickJoin, closeAll, expect, joinCall, openLobby, startServer, test, uniqueRoom, type Participant } from './fixtures.ts';

/** One sample of the server's Prometheus metrics. */
async function metric(server: SpawnedServer, line: RegExp): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const found = text.split('\n').find((l) => line.test(l));
  return found === undefined ? Number.NaN : Number(found.split(' ').pop());
}

test('a second tab over the per-address socket limit is told so, and Retry joins once the first has gone', async ({ browser }) => {
  const server = await startServer({ MAX_SOCKETS_PER_IP: '1' });
  const people: Participant[] = [];
  try {
    const room = uniqueRoom('limits');
    const first = await joinCall(browser, server.url, room, 'Uma');
    people.push(first);

    // The lobby connects ahead of Join; that socket is refused, and so is the fresh one Join opens.
    const second = await openLobby(browser, server.url, room, 'Vic');
    people.push(second);
    await second.page.getByTestId('join').click();
    const error = second.page.getByTestId('join-error');
    await expect(error).toContainText('Too many attempts');
    await expect(error).toContainText('Close meshmeet tabs you do not need');
    await expect(error).not.toContainText('Cannot reach');
    // Not stuck connecting: the button is back, offering Retry.
    await expect(second.page.getByTestId('join')).toHaveText('Retry');
    await expect(second.page.getByTestId('join')).toBeEnabled();
    await expect(second.page.locator('[data-testid="tile"][data-self]')).toHaveCount(0);
    expect(await metric(server, /^meshmeet_refusals_total\{reason="sockets_per_ip"\}/)).toBeGreaterThanOrEqual(2);
    // The refusal cost the first tab nothing.
    await expect(first.page.getByTestId('tile')).toHaveCount(1);
    await expect(first.page.getByTestId('signaling-notice')).toHaveCount(0);

    await first.context.close();
    people.shift();
    // The server has let go of the first tab's socket (the only one from this address).
    await expect.poll(() => metric(server, /^meshmeet_sockets_connected /)).toBe(0);
    await clickJoin(second);
    await expect(second.page.getByTestId('join-error')).toHaveCount(0);
    await expect(second.page.getByTestId('tile')).toHaveCount(1);
  } finally {
    await closeAll(people);
    await server.stop();
  }
});
