// Issue 13 through the web app, on a server that admits only join tokens (AUTH_SECRET): a room
// link with `?token=` joins under the token's name and role and drops the token from the address
// bar; no token, or an expired one, is refused with a message that says what is wrong. Tokens are
// signed here with node:crypto (HS256 by hand), independent of the server's code and its library.
import { createHmac, randomBytes } from 'node:crypto';
import type { Browser, Page } from '@playwright/test';
import type { SpawnedServer } from '../src/server/spawnServer.ts';
import { closeAll, expect, startServer, test, tileOf, uniqueRoom, type Participant } from './fixtures.ts';

const SECRET = `e2e-token-${randomBytes(24).toString('base64url')}`;

interface Claims {
  room: string;
  exp: number;
  name?: string;
  role?: 'host';
}

function mint(claims: Claims, secret = SECRET): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s;

/** The lobby of `room`, opened from a link carrying `token` (when given), with `name` typed in. */
async function openLink(browser: Browser, baseUrl: string, room: string, name: string, token?: string): Promise<Participant> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${baseUrl}/r/${room}${token ? `?token=${encodeURIComponent(token)}` : ''}`);
  await page.getByTestId('lobby-name').fill(name);
  await expect(page.getByTestId('toggle-camera')).toHaveAttribute('aria-pressed', 'true');
  return { name, context, page, peerId: '' };
}

async function joined(person: Participant): Promise<Participant> {
  await person.page.getByTestId('join').click();
  const self = person.page.locator('[data-testid="tile"][data-self]');
  await expect(self).toHaveAttribute('data-peer-id', /^(?!self$).+/);
  person.peerId = (await self.getAttribute('data-peer-id')) ?? '';
  return person;
}

async function openPeople(page: Page): Promise<void> {
  if ((await page.getByTestId('participants-panel').count()) === 0) await page.getByTestId('participants-toggle').first().click();
  await expect(page.getByTestId('participants-panel')).toBeVisible();
}

/** Refused: the typed message shows in the lobby, and the call view never appears. */
async function expectRefused(person: Participant): Promise<void> {
  await person.page.getByTestId('join').click();
  const error = person.page.getByTestId('join-error');
  await expect(error).toContainText('This link does not let you in');
  await expect(error).toContainText('valid invitation link');
  await expect(error).toContainText('expired');
  await expect(person.page.locator('[data-testid="tile"][data-self]')).toHaveCount(0);
  await expect(person.page.getByTestId('join')).toBeEnabled();
}

test.describe.serial('join tokens in the web app', () => {
  let server: SpawnedServer | null = null;
  const people: Participant[] = [];
  const room = uniqueRoom('token');
  const url = () => {
    if (!server) throw new Error('no server');
    return server.url;
  };

  test.beforeAll(async () => {
    server = await startServer({ AUTH_SECRET: SECRET });
  });
  test.afterAll(async () => {
    await closeAll(people);
    await server?.stop();
  });

  test('a host token: joins under its name, leaves the address bar, takes the host controls', async ({ browser }) => {
    // The first in the room (a plain token) is its host until a host token arrives.
    const first = await openLink(browser, url(), room, 'Pia', mint({ room, exp: inSeconds(3600) }));
    people.push(first);
    await joined(first);
    await openPeople(first.page);
    await expect(first.page.getByTestId('lock-room')).toBeVisible();

    const link = await openLink(browser, url(), room, 'Typed Name', mint({ room, exp: inSeconds(3600), name: 'Tokened', role: 'host' }));
    people.push(link);
    // Read and dropped as the app starts, before anyone could copy the link from the address bar.
    expect(await link.page.evaluate(() => window.location.href)).not.toContain('token=');
    await joined(link);
    expect(await link.page.evaluate(() => window.location.href)).not.toContain('token=');
    // The token's name wins over the one typed in the lobby, for self and for the others.
    await expect(link.page.locator('[data-testid="tile"][data-self] .name')).toHaveText('Tokened');
    await expect(tileOf(first.page, link.peerId).locator('.name')).toHaveText('Tokened');
    await openPeople(link.page);
    await expect(link.page.getByTestId('lock-room')).toBeVisible();
    await expect(first.page.getByTestId('lock-room')).toHaveCount(0);
  });

  test('no token: refused with a message that says the link needs a valid invitation', async ({ browser }) => {
    const bare = await openLink(browser, url(), room, 'Nobody');
    people.push(bare);
    await expectRefused(bare);
    await expect(people[0]!.page.getByTestId('tile')).toHaveCount(2);
  });

  test('an expired token: the same refusal, nothing joined', async ({ browser }) => {
    const late = await openLink(browser, url(), room, 'Late', mint({ room, exp: inSeconds(-60), name: 'Expired' }));
    people.push(late);
    await expectRefused(late);
    // Retrying does not help: it is the link, not the network.
    await expectRefused(late);
    for (const p of people.slice(0, 2)) await expect(p.page.getByTestId('tile')).toHaveCount(2);
  });
});
