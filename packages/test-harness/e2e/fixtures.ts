import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { spawnServer, type SpawnedServer } from '../src/server/spawnServer.ts';

/** The built web app the signaling server serves (turbo builds it before test:e2e). */
export const WEB_DIST = process.env.WEB_DIST ?? fileURLToPath(new URL('../../../apps/web/dist', import.meta.url));

export const REMOTE_VIDEOS = '[data-testid="tile"]:not([data-self]) [data-testid="tile-video"]';

export async function startServer(env: Record<string, string> = {}): Promise<SpawnedServer> {
  if (!existsSync(`${WEB_DIST}/index.html`)) {
    throw new Error(`no built web app in ${WEB_DIST}: run \`pnpm --filter @meshmeet/web build\` first`);
  }
  return spawnServer({ env: { WEB_DIST, ...env } });
}

/**
 * A server that can be killed hard and started again on the same port with the same session
 * secret, the way a crashed process comes back under a supervisor: resume credentials issued
 * before the crash still verify afterwards.
 */
export interface RestartableServer {
  readonly url: string;
  readonly port: number;
  /** SIGKILL: no drain, no goodbye; the kernel closes every socket. Resolves once it has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port and secret. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRestartableServer(env: Record<string, string> = {}): Promise<RestartableServer> {
  const secret = `e2e-${randomBytes(24).toString("base64url")}`;
  let current = await startServer({ SESSION_SECRET: secret, ...env });
  const port = current.port;
  const exited = (server: SpawnedServer) =>
    server.process.exitCode !== null || server.process.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => server.process.once('exit', () => resolve()));
  return {
    url: current.url,
    port,
    async kill() {
      const gone = exited(current);
      current.process.kill('SIGKILL');
      await gone;
    },
    async restart() {
      current = await startServer({ SESSION_SECRET: secret, ...env, PORT: String(port) });
    },
    stop: () => current.stop(),
  };
}

/**
 * Collects the server's structured log lines (JSON on stdout, per its process contract) from now
 * until `stop()`: for tests that must tell a goodbye from a dropped socket, which look the same
 * from the other browsers.
 */
export function watchServerLog(server: SpawnedServer): { lines: Array<Record<string, unknown>>; stop(): void } {
  const lines: Array<Record<string, unknown>> = [];
  let rest = '';
  const onData = (chunk: Buffer): void => {
    const text = rest + chunk.toString('utf8');
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) {
      try {
        const parsed: unknown = JSON.parse(line);
        if (typeof parsed === 'object' && parsed !== null) lines.push(parsed as Record<string, unknown>);
      } catch {
        // Not a log line.
      }
    }
  };
  server.process.stdout?.on('data', onData);
  return { lines, stop: () => void server.process.stdout?.off('data', onData) };
}

export interface Participant {
  name: string;
  context: BrowserContext;
  page: Page;
  /** The server-assigned id, read from the participant's own tile. */
  peerId: string;
  /** Uncaught exceptions and console errors of the page, for tests that check the app stayed clean. */
  errors?: string[];
}

/** Runs on a new participant's context before its page opens (e.g. `context.addInitScript`). */
export type ContextSetup = (context: BrowserContext) => Promise<void>;

/** Opens the lobby of `room` in a new browser context (own storage, own fake devices). */
export async function openLobby(browser: Browser, baseUrl: string, room: string, name: string, setup?: ContextSetup): Promise<Participant> {
  const context = await browser.newContext();
  if (setup) await setup(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(`${baseUrl}/r/${room}`);
  await page.getByTestId('lobby-name').fill(name);
  await expect(page.getByTestId('lobby-room')).toHaveValue(room);
  // Wait for the preview, so the participant joins sending camera and microphone.
  await expect(page.getByTestId('toggle-camera')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('toggle-mic')).toHaveAttribute('aria-pressed', 'true');
  return { name, context, page, peerId: '', errors };
}

/** Clicks Join and waits for the call view; fills in the participant's peer id. */
export async function clickJoin(participant: Participant): Promise<Participant> {
  await participant.page.getByTestId('join').click();
  const self = participant.page.locator('[data-testid="tile"][data-self]');
  await expect(self).toHaveAttribute('data-peer-id', /^(?!self$).+/);
  participant.peerId = (await self.getAttribute('data-peer-id')) ?? '';
  return participant;
}

export async function joinCall(browser: Browser, baseUrl: string, room: string, name: string, setup?: ContextSetup): Promise<Participant> {
  return clickJoin(await openLobby(browser, baseUrl, room, name, setup));
}

/** The tile of `peerId` as `viewer` sees it. */
export function tileOf(viewer: Page, peerId: string) {
  return viewer.locator(`[data-testid="tile"][data-peer-id="${peerId}"]`);
}

/**
 * Whether every <video> matched by `selector` is playing: it takes up room on the page, has a
 * picture (non-zero videoWidth), and both its clock and its decoded frame count advance over a
 * short interval. The number of videos must match `expected`.
 */
export async function videosPlaying(page: Page, selector: string, expected: number): Promise<boolean> {
  return page.evaluate(
    async ({ selector, expected }) => {
      const videos = [...document.querySelectorAll<HTMLVideoElement>(selector)];
      if (videos.length !== expected) return false;
      // Shown on screen (laid out with an area), with a decoded picture, and moving.
      const sample = () =>
        videos.map((v) => ({
          shown: v.clientWidth > 0 && v.clientHeight > 0,
          w: v.videoWidth,
          t: v.currentTime,
          f: v.getVideoPlaybackQuality().totalVideoFrames,
        }));
      const before = sample();
      await new Promise((resolve) => setTimeout(resolve, 600));
      const after = sample();
      return after.every((a, i) => {
        const b = before[i];
        return b !== undefined && a.shown && a.w > 0 && a.t > b.t && a.f > b.f;
      });
    },
    { selector, expected },
  );
}

export async function expectPlaying(page: Page, selector: string, expected: number, timeout = 45_000): Promise<void> {
  await expect.poll(() => videosPlaying(page, selector, expected), { timeout, intervals: [250, 500, 1000] }).toBe(true);
}

export async function closeAll(participants: Participant[]): Promise<void> {
  await Promise.all(participants.map((p) => p.context.close().catch(() => undefined)));
}

export function uniqueRoom(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** One signaling server (serving the built app) per worker, shared by the specs that need default settings. */
export const test = base.extend<object, { server: SpawnedServer }>({
  server: [
    async ({}, use) => {
      const server = await startServer();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
});

export { expect };

/** `person(i)` for a serial suite's participants, failing clearly when that one never joined. */
export function personOf(people: () => Participant[]): (i: number) => Participant {
  return (i) => {
    const p = people()[i];
    if (!p) throw new Error(`participant ${i} did not join`);
    return p;
  };
}
