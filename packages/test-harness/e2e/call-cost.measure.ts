// Issue 11's browser benchmarks, same run: four participants in one Chromium per call, for three
// pages: the web app as it is ("now"), the web app of main before issue 11 ("before": no budget,
// no steps, no wants), and the bare reference page (bench/bare-page.html on the bare relay).
//   - join: 4 tabs click Join at once, default fake camera; Join click -> every remote tile playing.
//     Also the CPU the whole browser (every process of it) spent from the clicks to then.
//   - cost: after a warm-up, the browser's CPU / 4 and each tab's video uplink over a window, with
//     Chromium's default fake camera (640x360, easy to encode) and with a camera of moving noise
//     (a 640x360@30 Y4M, which an encoder cannot compress: the busy room of issue 11).
//     Four tabs fill both cores of a 2-core machine whatever they send, so also:
//   - one tab among three bots (wrtc, 320x240@15, stepped only for "now"): the CPU of that one
//     browser, which then has the room to use only what it needs.
// Prints figures, asserts nothing. "before" needs a checkout of that commit with its web app built:
//   git worktree add /tmp/before 06825aa && (cd /tmp/before && pnpm install && pnpm --filter @meshmeet/web build)
//   BEFORE_DIR=/tmp/before MEASURE=1 pnpm --filter @meshmeet/test-harness exec playwright test --project=measure call-cost
// Without BEFORE_DIR the "before" page is left out.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserServer, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { BARE_RELAY, processTreeCpuSeconds, sleep } from '../bench/lib.ts';
import { Bot, Ticker } from '../src/index.ts';
import { writeNoiseY4m } from '../src/media/noiseY4m.ts';
import { spawnServer, type SpawnedServer } from '../src/server/spawnServer.ts';
import { closeAll, expect, expectPlaying, openLobby, REMOTE_VIDEOS, startServer, test, uniqueRoom, type Participant } from './fixtures.ts';
import { armJoinTimer, joinMs } from './joinTimer.ts';
import { recordPeerConnections } from './peerConnections.ts';

const N = 4;
const RUNS = Number(process.env.MEASURE_RUNS ?? 3);
const WARM_UP_MS = Number(process.env.WARM_UP_MS ?? 10_000);
const WINDOW_MS = Number(process.env.WINDOW_MS ?? 15_000);
const BEFORE_DIR = process.env.BEFORE_DIR;
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

interface Setup {
  name: string;
  server: SpawnedServer;
  /** Opens one participant at its lobby, ready to click Join. */
  open(browser: Browser, room: string, name: string): Promise<Participant>;
}

async function openBare(server: SpawnedServer, browser: Browser, room: string, name: string): Promise<Participant> {
  const context = await browser.newContext();
  await recordPeerConnections(context);
  const page = await context.newPage();
  await page.goto(`${server.url}/bare/${room}`);
  await expect(page.getByTestId('join')).toBeEnabled();
  return { name, context, page, peerId: '' };
}

const setups: Setup[] = [];
let noiseDir: string;
let noiseFile: string;

test.beforeAll(async () => {
  noiseDir = mkdtempSync(join(tmpdir(), 'meshmeet-cost-'));
  noiseFile = join(noiseDir, 'noise.y4m');
  writeNoiseY4m(noiseFile, { width: 640, height: 360, fps: 30, frames: 60 });
  const app = (server: SpawnedServer) => (browser: Browser, room: string, name: string) =>
    openLobby(browser, server.url, room, name, recordPeerConnections);
  const now = await startServer();
  setups.push({ name: 'now', server: now, open: app(now) });
  if (BEFORE_DIR) {
    const dist = join(BEFORE_DIR, 'apps/web/dist');
    if (!existsSync(join(dist, 'index.html'))) throw new Error(`BEFORE_DIR has no built web app in ${dist}`);
    const before = await spawnServer({ script: join(BEFORE_DIR, 'apps/signaling/src/main.ts'), env: { WEB_DIST: dist } });
    setups.push({ name: 'before', server: before, open: app(before) });
  }
  const bare = await spawnServer({ script: BARE_RELAY });
  setups.push({ name: 'bare', server: bare, open: (browser, room, name) => openBare(bare, browser, room, name) });
});
test.afterAll(async () => {
  await Promise.all(setups.map((s) => s.server.stop()));
  if (noiseDir) rmSync(noiseDir, { recursive: true, force: true });
});

/** One Chromium per call, launched as a server so that its process tree can be read. */
async function launch(extraArgs: string[] = []): Promise<{ server: BrowserServer; browser: Browser }> {
  const server = await chromium.launchServer({
    headless: true,
    executablePath: test.info().project.use.launchOptions?.executablePath,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
  return { server, browser: await chromium.connect(server.wsEndpoint()) };
}

/** Opens N lobbies, arms their join timers and clicks Join on all at once; the browser's CPU from the clicks to all playing. */
async function joinAll(setup: Setup, browser: Browser, browserPid: number, prefix: string): Promise<{ people: Participant[]; playingMs: number; connectedMs: number; cpuSeconds: number }> {
  const room = uniqueRoom(`${prefix}-${setup.name}`);
  const people: Participant[] = [];
  for (let i = 0; i < N; i++) people.push(await setup.open(browser, room, `P${i + 1}`));
  for (const p of people) await armJoinTimer(p.page, N - 1);
  const cpu0 = processTreeCpuSeconds(browserPid);
  await Promise.all(people.map((p) => p.page.getByTestId('join').click()));
  const times = await Promise.all(people.map((p) => joinMs(p.page)));
  const cpuSeconds = processTreeCpuSeconds(browserPid) - cpu0;
  return { people, playingMs: Math.max(...times.map((t) => t.playing)), connectedMs: Math.max(...times.map((t) => t.connected)), cpuSeconds };
}

interface Traffic {
  at: number;
  videoBytesSent: number;
  framesDecoded: number;
  /** What the camera encoders produce now, e.g. "427x240@24". */
  pictures: string[];
}

function traffic(page: Page): Promise<Traffic> {
  return page.evaluate(async () => {
    const pcs = (window.__pcs ?? []).filter((pc) => pc.connectionState !== 'closed');
    const out: Traffic = { at: performance.now(), videoBytesSent: 0, framesDecoded: 0, pictures: [] };
    for (const pc of pcs) {
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.kind !== 'video') return;
        if (s.type === 'outbound-rtp') {
          out.videoBytesSent += Number(s.bytesSent ?? 0);
          if (s.frameWidth) out.pictures.push(`${String(s.frameWidth)}x${String(s.frameHeight)}@${String(s.framesPerSecond ?? '?')}`);
        } else if (s.type === 'inbound-rtp') {
          out.framesDecoded += Number(s.framesDecoded ?? 0);
        }
      });
    }
    return out;
  });
}

const results: Record<string, Record<string, number[]>> = {};
const pictures: Record<string, string[]> = {};
function record(setup: string, key: string, value: number): void {
  ((results[setup] ??= {})[key] ??= []).push(value);
}
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const median = (xs: number[] = []): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Each run takes the setups in a different order, so none always runs first on a cold machine. */
const rotated = (run: number): Setup[] => setups.map((_, i) => setups[(i + run) % setups.length]!);

test('4 participants clicking Join at once: now, before issue 11, bare page', async () => {
  test.setTimeout(120_000 * RUNS * setups.length);
  for (let run = 0; run < RUNS; run++) {
    for (const setup of rotated(run)) {
      const { server, browser } = await launch();
      let people: Participant[] = [];
      try {
        const joined = await joinAll(setup, browser, server.process().pid!, 'join');
        const cpu = joined.cpuSeconds;
        people = joined.people;
        record(setup.name, 'join: slowest playing (ms)', joined.playingMs);
        record(setup.name, 'join: slowest connected (ms)', joined.connectedMs);
        record(setup.name, 'join: browser CPU, clicks to playing (s)', cpu);
        console.log(`  join ${setup.name}: playing ${joined.playingMs.toFixed(0)} ms, connected ${joined.connectedMs.toFixed(0)} ms, CPU ${cpu.toFixed(2)} s (load ${load()})`);
      } finally {
        await closeAll(people);
        await server.close();
      }
    }
  }
});

for (const camera of ['fake', 'noise'] as const) test(`4 participants, ${camera} camera: CPU per tab and video uplink`, async () => {
  test.setTimeout((WARM_UP_MS + WINDOW_MS + 90_000) * RUNS * setups.length);
  const c = (key: string) => `${camera} camera: ${key}`;
  for (let run = 0; run < RUNS; run++) {
    for (const setup of rotated(run)) {
      const { server, browser } = await launch(camera === 'noise' ? [`--use-file-for-fake-video-capture=${noiseFile}`] : []);
      let people: Participant[] = [];
      try {
        people = (await joinAll(setup, browser, server.process().pid!, 'cost')).people;
        for (const p of people) await expectPlaying(p.page, REMOTE_VIDEOS, N - 1);
        await sleep(WARM_UP_MS);
        const pid = server.process().pid!;
        const before = await Promise.all(people.map((p) => traffic(p.page)));
        const cpu0 = processTreeCpuSeconds(pid);
        const t0 = performance.now();
        await sleep(WINDOW_MS);
        const cpu = (processTreeCpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000);
        const after = await Promise.all(people.map((p) => traffic(p.page)));
        const kbps = after.map((a, i) => ((a.videoBytesSent - before[i]!.videoBytesSent) * 8) / (a.at - before[i]!.at));
        const fps = after.map((a, i) => ((a.framesDecoded - before[i]!.framesDecoded) * 1000) / (a.at - before[i]!.at) / (N - 1));
        record(setup.name, c('CPU per tab (cores)'), cpu / N);
        record(setup.name, c('video uplink per tab (kbps)'), kbps.reduce((a, b) => a + b, 0) / N);
        record(setup.name, c('max tab uplink (kbps)'), Math.max(...kbps));
        record(setup.name, c('frames decoded per remote video (fps)'), fps.reduce((a, b) => a + b, 0) / N);
        (pictures[`${setup.name}, ${camera} camera`] ??= []).push(...after.flatMap((a) => a.pictures));
        console.log(`  ${camera} camera ${setup.name}: CPU ${(cpu / N).toFixed(3)} cores/tab, uplink ${kbps.map((k) => k.toFixed(0)).join('/')} kbps, received ${fps.map((f) => f.toFixed(1)).join('/')} fps, sending ${after[0]!.pictures.join(' ')} (load ${load()})`);
      } finally {
        await closeAll(people);
        await server.close();
      }
    }
  }
});

test('one tab among three bots, fake camera: CPU of the tab', async () => {
  test.setTimeout((WARM_UP_MS + WINDOW_MS + 90_000) * RUNS * setups.length);
  const key = 'one tab + 3 bots: CPU of the tab (cores)';
  for (let run = 0; run < RUNS; run++) {
    for (const setup of rotated(run).filter((s) => s.name !== 'bare')) {
      const { server, browser } = await launch();
      const clocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
      const room = uniqueRoom(`tab-${setup.name}`);
      const bots = Array.from({ length: N - 1 }, (_, i) => new Bot({ url: setup.server.url, room, name: `bot ${i + 1}`, video: { width: 320, height: 240, fps: 15 }, clocks, hue: i * 90, followSteps: setup.name === 'now' }));
      let people: Participant[] = [];
      try {
        await Promise.all(bots.map((b) => b.start()));
        people = [await setup.open(browser, room, 'Tab')];
        await people[0]!.page.getByTestId('join').click();
        await expectPlaying(people[0]!.page, REMOTE_VIDEOS, N - 1);
        await sleep(WARM_UP_MS);
        const pid = server.process().pid!;
        const before = await traffic(people[0]!.page);
        const cpu0 = processTreeCpuSeconds(pid);
        const t0 = performance.now();
        await sleep(WINDOW_MS);
        const cpu = (processTreeCpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000);
        const after = await traffic(people[0]!.page);
        const kbps = ((after.videoBytesSent - before.videoBytesSent) * 8) / (after.at - before.at);
        record(setup.name, key, cpu);
        record(setup.name, 'one tab + 3 bots: video uplink of the tab (kbps)', kbps);
        (pictures[`${setup.name}, one tab + 3 bots`] ??= []).push(...after.pictures);
        console.log(`  one tab + 3 bots ${setup.name}: CPU ${cpu.toFixed(3)} cores, uplink ${kbps.toFixed(0)} kbps, sending ${after.pictures.join(' ')} (load ${load()})`);
      } finally {
        await closeAll(people);
        await Promise.all(bots.map((b) => b.stop()));
        clocks.video.stop();
        clocks.audio.stop();
        await server.close();
      }
    }
  }
});

test.afterAll(() => {
  console.log(`\nIssue 11 call cost, ${N} participants, ${cpus().length} cores, load average now ${load()} (median [runs])`);
  const keys = [...new Set(Object.values(results).flatMap((r) => Object.keys(r)))];
  for (const key of keys) {
    console.log(`  ${key}`);
    for (const [setup, r] of Object.entries(results)) {
      const xs = r[key];
      const digits = key.includes('CPU') ? 3 : 0;
      if (xs) console.log(`    ${setup.padEnd(7)} ${median(xs).toFixed(digits)}  [${xs.map((x) => x.toFixed(digits)).join(', ')}]`);
    }
  }
  const ratio = (a: string, b: string, key: string): string => (median(results[a]?.[key]) / median(results[b]?.[key])).toFixed(2);
  const j = 'join: slowest playing (ms)';
  console.log(`  join now/bare ${ratio('now', 'bare', j)} (goal <= 0.7), before/bare ${ratio('before', 'bare', j)}, now/before ${ratio('now', 'before', j)}`);
  for (const key of ['fake camera: CPU per tab (cores)', 'noise camera: CPU per tab (cores)', 'one tab + 3 bots: CPU of the tab (cores)']) {
    console.log(`  ${key.split(':')[0]}: CPU per tab now/before ${ratio('now', 'before', key)} (goal <= 0.6), now/bare ${ratio('now', 'bare', key)}`);
  }
  for (const [setup, list] of Object.entries(pictures)) {
    const counts = new Map<string, number>();
    for (const p of list) counts.set(p, (counts.get(p) ?? 0) + 1);
    console.log(`  ${setup} encoders sent: ${[...counts].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([p, n]) => `${p} x${n}`).join(', ')}`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(`${ARTIFACTS}call-cost.json`, JSON.stringify({ cores: cpus().length, loadavg: loadavg(), results, pictures }, null, 2));
});
