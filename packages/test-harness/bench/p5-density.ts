/**
 * P5 bot density: K media bots at 320x240@15 in rooms of 4 (through the real server), CPU of
 * this process (all threads: wrtc's encoders and decoders included) per bot over a steady window,
 * and the share of frames delivered (camera frames decoded by receivers / flows x fps x window).
 * Baseline, same run: the same rooms as bare wrtc meshes wired in-process (the P1 floor, held).
 */
import { Bot } from '../src/bot/Bot.ts';
import { Ticker } from '../src/media/ticker.ts';
import { spawnServer } from '../src/server/spawnServer.ts';
import { startFloorMesh, type FloorMesh } from './floor.ts';
import { fmt, load, printTable, processCpuSeconds, sleep } from './lib.ts';

export interface P5Options {
  sizes: number[];
  windowMs: number;
}

interface Density {
  setup: string;
  participants: number;
  cpuPerParticipant: number;
  perCore: number;
  delivered: number;
  /** Camera frames the sources produced / participants x fps x window (below 1: the process fell behind). */
  generated: number;
  serverCpu: number | null;
  load: string;
}

const VIDEO = { width: 320, height: 240, fps: 15 };
const ROOM = 4;

export async function steadyWindow(windowMs: number, frames: () => Promise<number>, sent: () => number, serverPid: number | null): Promise<{ cpu: number; frames: number; sent: number; serverCpu: number | null }> {
  await sleep(2000); // let encoders settle after the first keyframes
  // getStats over many connections takes a while under load: time frame counts at the call's midpoint.
  const sample = async (): Promise<{ at: number; frames: number }> => {
    const before = performance.now();
    const n = await frames();
    return { at: (before + performance.now()) / 2, frames: n };
  };
  const f0 = await sample();
  const sent0 = sent();
  const c0 = process.cpuUsage();
  const s0 = serverPid === null ? 0 : processCpuSeconds(serverPid);
  const t0 = performance.now();
  await sleep(windowMs);
  const c = process.cpuUsage(c0);
  const seconds = (performance.now() - t0) / 1000;
  const sentRate = (sent() - sent0) / seconds;
  const s = serverPid === null ? null : (processCpuSeconds(serverPid) - s0) / seconds;
  const f1 = await sample();
  return { cpu: (c.user + c.system) / 1e6 / seconds, frames: ((f1.frames - f0.frames) * 1000) / (f1.at - f0.at), sent: sentRate, serverCpu: s };
}

export async function p5(options: P5Options): Promise<Density[]> {
  console.log(`\nP5 bot density: bots at ${VIDEO.width}x${VIDEO.height}@${VIDEO.fps} + tone in rooms of ${ROOM}, ${options.windowMs / 1000} s steady window; load ${load()}`);
  const results: Density[] = [];
  const server = await spawnServer();
  try {
    for (const k of options.sizes) {
      const rooms = Math.ceil(k / ROOM);
      const flows = rooms * ROOM * (ROOM - 1);

      // Baseline: bare wrtc meshes of 4 in this process.
      {
        const clocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
        const meshes: FloorMesh[] = Array.from({ length: rooms }, () => startFloorMesh(ROOM, VIDEO, clocks));
        await Promise.all(meshes.map((m) => m.formed));
        const w = await steadyWindow(options.windowMs, async () => (await Promise.all(meshes.map((m) => m.framesDecoded()))).reduce((a, b) => a + b, 0), () => meshes.reduce((n, m) => n + m.framesSent(), 0), null);
        meshes.forEach((m) => m.close());
        clocks.video.stop();
        clocks.audio.stop();
        results.push({ setup: 'bare wrtc', participants: rooms * ROOM, cpuPerParticipant: w.cpu / (rooms * ROOM), perCore: (rooms * ROOM) / w.cpu, delivered: w.frames / (flows * VIDEO.fps), generated: w.sent / (rooms * ROOM * VIDEO.fps), serverCpu: null, load: load() });
      }
      await sleep(1000);

      // Bots through the server.
      {
        const clocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
        const bots: Bot[] = [];
        for (let r = 0; r < rooms; r++) for (let i = 0; i < ROOM; i++) bots.push(new Bot({ url: server.url, room: `p5-${k}-${r}`, name: `bot ${r}-${i}`, video: VIDEO, clocks, hue: (r * ROOM + i) * 47 }));
        await Promise.all(bots.map((b) => b.start()));
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline && !bots.every((b) => b.report().peers.length === ROOM - 1 && b.report().peers.every((p) => p.firstFrameAt !== null))) await sleep(100);
        const frames = async (): Promise<number> => {
          let total = 0;
          for (const bot of bots) for (const s of (await bot.mesh.getStats()).values()) total += s.framesDecoded;
          return total;
        };
        const w = await steadyWindow(options.windowMs, frames, () => bots.reduce((n, b) => n + b.report().framesSent, 0), server.process.pid!);
        await Promise.all(bots.map((b) => b.stop()));
        clocks.video.stop();
        clocks.audio.stop();
        results.push({ setup: 'bots', participants: bots.length, cpuPerParticipant: w.cpu / bots.length, perCore: bots.length / w.cpu, delivered: w.frames / (flows * VIDEO.fps), generated: w.sent / (bots.length * VIDEO.fps), serverCpu: w.serverCpu, load: load() });
      }
      await sleep(1000);
    }
  } finally {
    await server.stop();
  }
  printTable(
    ['setup', 'participants', 'CPU/participant (cores)', 'per core', 'frames delivered', 'frames generated', 'server CPU (cores)', 'load after'],
    results.map((r) => [r.setup, r.participants, fmt(r.cpuPerParticipant, 3), fmt(r.perCore, 1), `${fmt(r.delivered * 100, 1)}%`, `${fmt(r.generated * 100, 1)}%`, fmt(r.serverCpu, 3), r.load]),
  );
  console.log('goal: >= 6 bots per core with >= 95% of frames delivered');
  return results;
}
