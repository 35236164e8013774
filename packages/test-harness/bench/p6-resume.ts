/**
 * P6 server restart: N bots (160x120@15 + tone, one process) in one room through the real server;
 * the server is killed (SIGKILL) mid-call and started again on the same port with the same
 * secret. Per run: how long the server was away, how long after it was back every mesh had
 * resumed (signaling 'connected' again), the longest gap between two received frames on any
 * flow across the whole outage, and any id change or leave (there should be none).
 * Reference, same run: the server's own downtime (kill to listening), the floor of any resume.
 */
import { randomBytes } from 'node:crypto';
import { Bot, type MediaClocks } from '../src/bot/Bot.ts';
import { Ticker } from '../src/media/ticker.ts';
import { FrameGaps } from '../src/resilience/FrameGaps.ts';
import { spawnServer, type SpawnedServer } from '../src/server/spawnServer.ts';
import { fmt, load, printTable, sleep } from './lib.ts';

export interface P6Options {
  sizes: number[];
  repeats: number;
}

interface ResumeRun {
  participants: number;
  serverDownMs: number;
  /** From the restarted server's "listening" to the last mesh's 'connected'. */
  resumeMs: number;
  resumeMedianMs: number;
  maxGapMs: number;
  medianGapMs: number;
  idChanges: number;
  leaves: number;
  load: string;
}

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

async function restartRun(n: number): Promise<ResumeRun> {
  const secret = randomBytes(32).toString('base64url');
  let server: SpawnedServer = await spawnServer({ env: { SESSION_SECRET: secret } });
  const clocks: MediaClocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
  const bots = Array.from({ length: n }, (_, i) => new Bot({ url: server.url, room: 'p6', name: `bot ${i + 1}`, video: { width: 160, height: 120, fps: 15 }, clocks, hue: i * 47 }));
  const gaps = bots.map((bot) => new FrameGaps(bot.mesh));
  let leaves = 0;
  let idChanges = 0;
  const resumedAt = new Map<Bot, number>();
  for (const bot of bots) {
    bot.mesh.on('participantLeft', () => leaves++);
    bot.mesh.on('selfIdChanged', () => idChanges++);
    bot.mesh.on('signalingStateChanged', (state) => state === 'connected' && resumedAt.set(bot, performance.now()));
  }
  try {
    for (const bot of bots) await bot.start();
    const deadline = performance.now() + 60_000;
    while (!gaps.every((g) => g.snapshot().length === n - 1 && g.snapshot().every((f) => f.frames > 15))) {
      if (performance.now() > deadline) throw new Error(`P6: the ${n}-party mesh did not form`);
      await sleep(200);
    }
    await sleep(1000);
    for (const g of gaps) g.mark();
    leaves = 0;
    resumedAt.clear();
    const exited = new Promise((resolve) => server.process.once('exit', resolve));
    const killedAt = performance.now();
    server.process.kill('SIGKILL');
    await exited;
    server = await spawnServer({ env: { SESSION_SECRET: secret, PORT: String(server.port) } });
    const upAt = performance.now();
    while (resumedAt.size < n) {
      if (performance.now() - upAt > 30_000) throw new Error(`P6: only ${resumedAt.size} of ${n} resumed`);
      await sleep(50);
    }
    await sleep(2000);
    const flows = gaps.flatMap((g) => g.snapshot().map((f) => f.maxGapMs));
    const resumed = [...resumedAt.values()].map((t) => t - upAt);
    return {
      participants: n,
      serverDownMs: upAt - killedAt,
      resumeMs: Math.max(...resumed),
      resumeMedianMs: median(resumed),
      maxGapMs: Math.max(...flows),
      medianGapMs: median(flows),
      idChanges,
      leaves,
      load: load(),
    };
  } finally {
    for (const g of gaps) g.stop();
    await Promise.all(bots.map((b) => b.stop()));
    clocks.video.stop();
    clocks.audio.stop();
    await server.stop();
  }
}

export async function p6(options: P6Options): Promise<ResumeRun[]> {
  console.log(`\nP6 server restart mid-call (SIGKILL, same port and secret): N bots 160x120@15 + tone in one process; load ${load()}`);
  const runs: ResumeRun[] = [];
  for (const n of options.sizes) {
    for (let r = 0; r < options.repeats; r++) runs.push(await restartRun(n));
  }
  printTable(
    ['N', 'server down ms', 'resume max ms', 'resume median ms', 'max frame gap ms', 'median flow gap ms', 'id changes', 'leaves', 'load'],
    runs.map((r) => [r.participants, fmt(r.serverDownMs, 0), fmt(r.resumeMs, 0), fmt(r.resumeMedianMs, 0), fmt(r.maxGapMs, 0), fmt(r.medianGapMs, 0), r.idChanges, r.leaves, r.load]),
  );
  return runs;
}
