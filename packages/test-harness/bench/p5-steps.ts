/**
 * P5s bot density with and without the camera steps (issue 11), same run: K bots at 320x240@15
 * in rooms of 4 and of 8, through the real server; each room size twice per setup, alternating.
 * "no steps" is the bots as they were before issue 11 (every link at the captured format);
 * "steps" is rtc-core's cameraStep for the room (3 others: 214x160, 7 others: 128x96).
 * CPU of this process per bot over a steady window, and the share of frames delivered.
 */
import { Bot } from '../src/bot/Bot.ts';
import { Ticker } from '../src/media/ticker.ts';
import { spawnServer } from '../src/server/spawnServer.ts';
import { fmt, load, printTable, sleep } from './lib.ts';
import { steadyWindow } from './p5-density.ts';

export interface P5sOptions {
  participants: number;
  roomSizes: number[];
  repeats: number;
  windowMs: number;
}

interface StepDensity {
  room: number;
  setup: 'no steps' | 'steps';
  perCore: number;
  delivered: number;
  sending: string;
  load: string;
}

const VIDEO = { width: 320, height: 240, fps: 15 };

async function measure(url: string, tag: string, participants: number, room: number, followSteps: boolean, windowMs: number): Promise<Omit<StepDensity, 'load'>> {
  const rooms = Math.ceil(participants / room);
  const clocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
  const bots: Bot[] = [];
  for (let r = 0; r < rooms; r++) for (let i = 0; i < room; i++) bots.push(new Bot({ url, room: `${tag}-${r}`, name: `bot ${r}-${i}`, video: VIDEO, clocks, hue: (r * room + i) * 47, followSteps }));
  try {
    await Promise.all(bots.map((b) => b.start()));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !bots.every((b) => b.report().peers.length === room - 1 && b.report().peers.every((p) => p.firstFrameAt !== null))) await sleep(100);
    const frames = async (): Promise<number> => {
      let total = 0;
      for (const bot of bots) for (const s of (await bot.mesh.getStats()).values()) total += s.framesDecoded;
      return total;
    };
    const w = await steadyWindow(windowMs, frames, () => bots.reduce((n, b) => n + b.report().framesSent, 0), null);
    const format = bots[0]!.report().cameraFormats.at(-1);
    // Steps never raise the frame rate above the capture's, so every flow is expected at VIDEO.fps.
    const flows = rooms * room * (room - 1);
    return { room, setup: followSteps ? 'steps' : 'no steps', perCore: bots.length / w.cpu, delivered: w.frames / (flows * VIDEO.fps), sending: format ? `${format.width}x${format.height}@${format.fps}` : '-' };
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    clocks.video.stop();
    clocks.audio.stop();
  }
}

export async function p5s(options: P5sOptions): Promise<StepDensity[]> {
  console.log(`\nP5s bots per core with and without camera steps: ${options.participants} bots at ${VIDEO.width}x${VIDEO.height}@${VIDEO.fps} in rooms of ${options.roomSizes.join(' and ')}, ${options.windowMs / 1000} s window; load ${load()}`);
  const results: StepDensity[] = [];
  const server = await spawnServer();
  try {
    for (const room of options.roomSizes) {
      for (let rep = 0; rep < options.repeats; rep++) {
        for (const followSteps of rep % 2 === 0 ? [false, true] : [true, false]) {
          const r = await measure(server.url, `p5s-${room}-${rep}-${String(followSteps)}`, options.participants, room, followSteps, options.windowMs);
          results.push({ ...r, load: load() });
          await sleep(1000);
        }
      }
    }
  } finally {
    await server.stop();
  }
  printTable(
    ['room', 'setup', 'sending', 'bots per core', 'frames delivered', 'load after'],
    results.map((r) => [r.room, r.setup, r.sending, fmt(r.perCore, 1), `${fmt(r.delivered * 100, 1)}%`, r.load]),
  );
  for (const room of options.roomSizes) {
    const mean = (setup: StepDensity['setup']) => {
      const xs = results.filter((r) => r.room === room && r.setup === setup).map((r) => r.perCore);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    console.log(`rooms of ${room}: steps / no steps = ${fmt(mean('steps') / mean('no steps'), 2)} bots per core (goal >= 1.5)`);
  }
  return results;
}
