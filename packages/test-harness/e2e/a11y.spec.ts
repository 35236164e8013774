// Issue 12: axe-core finds no serious or critical violation on the lobby, the call, the chat, the
// participants panel, the settings dialog and the "You left" screen.
import { expectNoSeriousViolations } from './axe.ts';
import { closeAll, expect, joinCall, openLobby, test, uniqueRoom, type Participant } from './fixtures.ts';

test('axe: no serious or critical violation anywhere in a call', async ({ browser, server }) => {
  const room = uniqueRoom('axe');
  const people: Participant[] = [];
  try {
    const lobby = await openLobby(browser, server.url, room, 'Ada');
    people.push(lobby);
    await expectNoSeriousViolations(lobby.page, 'the lobby');
    people.push(await joinCall(browser, server.url, room, 'Bob'));
    const { page } = lobby;
    await page.getByTestId('join').click();
    await expect(page.getByTestId('tile')).toHaveCount(2);
    await expectNoSeriousViolations(page, 'the call');

    await page.getByTestId('chat-toggle').click();
    await expect(page.getByTestId('chat-panel')).toBeVisible();
    await expectNoSeriousViolations(page, 'the chat');

    await page.getByTestId('participants-toggle').click();
    await expect(page.getByTestId('participant-row')).toHaveCount(2);
    await expectNoSeriousViolations(page, 'the participants panel');

    await page.getByTestId('layout-toggle').click();
    await expectNoSeriousViolations(page, 'the speaker view');

    await page.getByTestId('settings').click();
    await expect(page.getByTestId('settings-dialog')).toBeVisible();
    await expectNoSeriousViolations(page, 'the settings dialog');
    await page.keyboard.press('Escape');

    // On a phone a panel covers the call (closed with its own button).
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoSeriousViolations(page, 'the participants panel on a phone');
    await page.getByRole('button', { name: 'Close people' }).click();
    await expectNoSeriousViolations(page, 'the call on a phone');
    await page.getByTestId('more').click();
    await expectNoSeriousViolations(page, 'the phone "More" sheet');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 720 });

    await page.getByTestId('leave').click();
    await expect(page.getByTestId('rejoin')).toBeVisible();
    await expectNoSeriousViolations(page, 'the "You left" screen');
  } finally {
    await closeAll(people);
  }
});
