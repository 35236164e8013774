import { closeAll, expect, joinCall, test, tileOf, type Participant } from './fixtures.ts';

test('the lobby makes up a room, remembers the name, and the call hands out its invite link', async ({ browser, server }) => {
  const context = await browser.newContext();
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    const room = await page.getByTestId('lobby-room').inputValue();
    expect(room).toMatch(/^[a-z]+-[a-z]+-\d{4}$/);

    await page.getByTestId('lobby-name').fill('Grace Hopper');
    await page.reload();
    await expect(page.getByTestId('lobby-name')).toHaveValue('Grace Hopper');

    // An empty name is refused with a message, and nothing is joined.
    await page.getByTestId('lobby-name').fill('   ');
    await page.getByTestId('join').click();
    await expect(page.getByRole('textbox', { name: 'Your name' })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('tile')).toHaveCount(0);

    await page.getByTestId('lobby-name').fill('Grace Hopper');
    await page.getByTestId('lobby-room').fill('Team Sync!');
    await page.getByTestId('join').click();
    await expect(page.locator('[data-testid="tile"][data-self]')).toContainText('Grace Hopper');
    await expect(page).toHaveURL(`${server.url}/r/Team-Sync`);
    await expect(page.getByTestId('participant-count')).toHaveText('1');
    await expect(page.getByTestId('alone')).toBeVisible();

    await page.getByTestId('copy-invite').click();
    await expect(page.getByTestId('copy-invite')).toContainText('copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${server.url}/r/Team-Sync`);

    // Buttons say what they are and whether they are on.
    await expect(page.getByRole('button', { name: 'Microphone' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('button', { name: 'Camera' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('group', { name: 'Grace Hopper (you)' })).toHaveCount(1);
  } finally {
    await context.close();
  }
});

test('peer names are shown as text, never as markup', async ({ browser, server }) => {
  const name = '<img src=x onerror="window.__owned=1">';
  const people: Participant[] = [];
  try {
    people.push(await joinCall(browser, server.url, 'names-are-text', name));
    const viewer = await joinCall(browser, server.url, 'names-are-text', 'Viewer');
    people.push(viewer);
    await expect(tileOf(viewer.page, people[0]!.peerId)).toContainText(name);
    await expect(viewer.page.getByRole('group', { name })).toHaveCount(1);
    expect(await viewer.page.locator('[data-testid="tile"] img').count()).toBe(0);
    expect(await viewer.page.evaluate(() => (window as unknown as { __owned?: number }).__owned)).toBeUndefined();
  } finally {
    await closeAll(people);
  }
});
