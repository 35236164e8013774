// Issue 13 through the web app: the host sets a passcode (a newcomer is asked for it, wrong then
// right), locks the room (a third person is told it is locked), and removes someone (who is told,
// and whose tile leaves the host's grid).
import type { Page } from '@playwright/test';
import { clickJoin, closeAll, expect, joinCall, openLobby, test, tileOf, uniqueRoom, type Participant } from './fixtures.ts';

async function openPeople(page: Page): Promise<void> {
  if ((await page.getByTestId('participants-panel').count()) === 0) await page.getByTestId('participants-toggle').first().click();
  await expect(page.getByTestId('participants-panel')).toBeVisible();
}

test('host: passcode, lock and removal', async ({ browser, server }) => {
  const room = uniqueRoom('host');
  const people: Participant[] = [];
  try {
    const host = await joinCall(browser, server.url, room, 'Hana');
    people.push(host);
    await openPeople(host.page);
    await expect(host.page.getByTestId('host-controls')).toBeVisible();
    await host.page.getByTestId('set-passcode-input').fill('tea 4 two');
    await host.page.getByTestId('set-passcode').click();
    await expect(host.page.getByTestId('clear-passcode')).toBeVisible();

    // A newcomer is asked for the passcode, refused a wrong one, let in with the right one.
    const guest = await openLobby(browser, server.url, room, 'Gus');
    people.push(guest);
    await expect(guest.page.getByTestId('passcode-input')).toHaveCount(0);
    await guest.page.getByTestId('join').click();
    await expect(guest.page.getByTestId('passcode-input')).toBeVisible();
    await expect(guest.page.getByTestId('join-error')).toContainText('This room has a passcode');
    await guest.page.getByTestId('passcode-input').fill('tea for two');
    await guest.page.getByTestId('join').click();
    await expect(guest.page.getByTestId('join-error')).toContainText('That passcode is not right');
    await guest.page.getByTestId('passcode-input').fill('tea 4 two');
    await clickJoin(guest);
    await expect(tileOf(host.page, guest.peerId)).toBeVisible();
    // Only the host has the controls.
    await openPeople(guest.page);
    await expect(guest.page.getByTestId('host-controls')).toHaveCount(0);
    await expect(guest.page.getByTestId('remove-participant')).toHaveCount(0);

    // Locked: a third person is told so (the lock comes before the passcode: nobody is asked for one).
    await host.page.getByTestId('lock-room').check();
    await expect(host.page.getByTestId('lock-room')).toBeChecked();
    const late = await openLobby(browser, server.url, room, 'Lea');
    people.push(late);
    await late.page.getByTestId('join').click();
    await expect(late.page.getByTestId('join-error')).toContainText('The host locked this room');
    await expect(late.page.getByTestId('passcode-input')).toHaveCount(0);

    // Removal: the guest is told, and its tile leaves the host's grid.
    await host.page.locator(`[data-testid="participant-row"][data-peer-id="${guest.peerId}"] [data-testid="remove-participant"]`).click();
    await expect(guest.page.getByTestId('removed-notice')).toHaveText('The host removed you from the call');
    await expect(tileOf(host.page, guest.peerId)).toHaveCount(0);
    await expect(host.page.getByTestId('tile')).toHaveCount(1);
  } finally {
    await closeAll(people);
  }
});
