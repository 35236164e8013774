// Issue 13: the app as the signaling server serves it, under its strict Content-Security-Policy
// and Permissions-Policy, runs a whole call (camera, a screen share, chat, a reaction) without a
// single policy violation. A recorder installed through CDP (addInitScript is not subject to the
// page's CSP) collects every securitypolicyviolation event and every WebSocket the page opens;
// a deliberate inline script and a fetch to another origin at the end prove that it records.
import type { BrowserContext, Page } from '@playwright/test';
import { REMOTE_VIDEOS, closeAll, expect, expectPlaying, joinCall, test, tileOf, uniqueRoom, type Participant } from './fixtures.ts';

interface Recorded {
  violations: { directive: string; blocked: string; source: string; sample: string }[];
  sockets: { url: string; opened: boolean }[];
}

/** Runs in the page before its own scripts. */
function recorder(): void {
  const record: Recorded = { violations: [], sockets: [] };
  (window as unknown as { __policy: Recorded }).__policy = record;
  document.addEventListener(
    'securitypolicyviolation',
    (event) => record.violations.push({ directive: event.effectiveDirective, blocked: event.blockedURI, source: event.sourceFile, sample: event.sample }),
    true,
  );
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      const entry = { url: String(url), opened: false };
      record.sockets.push(entry);
      this.addEventListener('open', () => (entry.opened = true));
    }
  };
}

const recorded = (page: Page): Promise<Recorded> => page.evaluate(() => (window as unknown as { __policy: Recorded }).__policy);

/** Console lines about a policy: Chromium reports violations and unknown policy features there. */
const POLICY_MESSAGE = /content.security.policy|permissions.policy|feature.policy/i;

test.describe.serial('the served app under its CSP and Permissions-Policy', () => {
  let people: Participant[] = [];
  const policyLogs = new Map<string, string[]>();
  const setup = (name: string) => async (context: BrowserContext) => {
    await context.addInitScript(recorder);
    const logs: string[] = [];
    policyLogs.set(name, logs);
    context.on('console', (message) => {
      if (POLICY_MESSAGE.test(message.text())) logs.push(`${message.type()}: ${message.text()}`);
    });
  };

  test.afterAll(async () => {
    await closeAll(people);
    people = [];
  });

  test('the server sends the policies with the app, whose HTML has nothing inline', async ({ server }) => {
    const res = await fetch(`${server.url}/r/csp-check`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('permissions-policy')).toContain('camera=(self)');
    const html = await res.text();
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/[^"]+\.js">/);
    // No inline script, no style element, no style attribute: none would run under this policy.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style[\s>]|\sstyle=/);
  });

  test('a two-party call with camera, a screen share, chat and a reaction reports no violation', async ({ browser, server }) => {
    const room = uniqueRoom('csp');
    for (const name of ['Ada', 'Bob']) people.push(await joinCall(browser, server.url, room, name, setup(name)));
    const [ada, bob] = people as [Participant, Participant];
    for (const viewer of people) {
      await expect(viewer.page.getByTestId('tile')).toHaveCount(2);
      await expectPlaying(viewer.page, REMOTE_VIDEOS, 1);
    }

    await ada.page.getByTestId('toggle-screen').click();
    await expectPlaying(bob.page, `[data-testid="screen-tile"][data-peer-id="${ada.peerId}"] video`, 1);
    await ada.page.getByTestId('toggle-screen').click();
    await expect(bob.page.locator('[data-testid="screen-tile"]')).toHaveCount(0);

    await ada.page.getByTestId('chat-toggle').click();
    test.skip((await ada.page.getByTestId('chat-unavailable').count()) > 0, 'the engine has no data channels: no chat to check');
    await ada.page.getByTestId('chat-input').fill('Hello under a strict CSP');
    await ada.page.getByTestId('chat-send').click();
    await bob.page.getByTestId('chat-toggle').click();
    await expect(bob.page.locator(`[data-testid="chat-message"][data-from="${ada.peerId}"]`)).toContainText('Hello under a strict CSP');
    await bob.page.getByTestId('reactions-toggle').click();
    await bob.page.locator('[data-testid="react"][data-emoji="🎉"]').click();
    await expect(tileOf(ada.page, bob.peerId).getByTestId('reaction')).toHaveText('🎉');
    // Video still plays after all that.
    for (const viewer of people) await expectPlaying(viewer.page, REMOTE_VIDEOS, 1);

    const origin = new URL(server.url);
    for (const person of people) {
      const seen = await recorded(person.page);
      expect(seen.violations, person.name).toEqual([]);
      expect(policyLogs.get(person.name), person.name).toEqual([]);
      expect(person.errors, person.name).toEqual([]);
      // connect-src 'self' let the websocket through (not a silent fall back to polling).
      expect(seen.sockets.filter((s) => s.opened).map((s) => new URL(s.url).host)).toContain(origin.host);
      expect(seen.sockets.every((s) => s.url.startsWith(`ws://${origin.host}/socket.io/`))).toBe(true);
      // The Permissions-Policy as the page sees it.
      const allowed = await person.page.evaluate(() => {
        const policy = (document as unknown as { featurePolicy?: { allowsFeature(name: string): boolean } }).featurePolicy;
        return policy ? ['camera', 'microphone', 'display-capture', 'geolocation', 'payment'].map((f) => policy.allowsFeature(f)) : null;
      });
      if (allowed !== null) expect(allowed).toEqual([true, true, true, false, false]);
    }
  });

  test('the recorder sees what the policy blocks: an inline script and a fetch to another origin', async ({ server }) => {
    const page = people[0]!.page;
    const other = new URL(server.url);
    other.hostname = '127.0.0.2';
    const outcome = await page.evaluate(async (url) => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      let fetched = 'allowed';
      try {
        await fetch(url);
      } catch {
        fetched = 'blocked';
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { ran: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true, fetched };
    }, `${other.origin}/healthz`);
    expect(outcome).toEqual({ ran: false, fetched: 'blocked' });
    const directives = (await recorded(page)).violations.map((v) => v.directive).sort();
    expect(directives).toEqual(['connect-src', 'script-src-elem']);
  });
});
