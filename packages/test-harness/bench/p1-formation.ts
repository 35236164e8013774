/**
 * P1 mesh formation: N bots join one room at once through the real server; the time until every
 * directed flow delivered its first frame, against the floor (the same N-party mesh of bare wrtc
 * connections wired by function call in this process), alternating runs so both see the same noise.
 */
import { runBots } from '../src/cli/mediaRun.ts';
import { spawnServer } from '../src/server/spawnServer.ts';
import { median } from '../src/stats.ts';
import { runFloorMesh } from './floor.ts';
import { fmt, load, printTable } from './lib.ts';

export interface P1Options {
  sizes: number[];
  repeats: number;
}

export async function p1(options: P1Options): Promise<Record<string, unknown>> {
  const video = { width: 320, height: 240, fps: 15 };
  console.log(`\nP1 mesh formation: N bots at ${video.width}x${video.height}@${video.fps} joining at once, ${options.repeats} run(s) each, median; load ${load()}`);
  const server = await spawnServer();
  const rows: Array<Array<string | number>> = [];
  const results: Record<string, unknown> = {};
  try {
    // Warm-up: the first peer connections of a process pay for wrtc's threads and codecs.
    await runFloorMesh(2, video);
    for (const n of options.sizes) {
      const floor: number[] = [];
      const bots: number[] = [];
      const floorConnected: number[] = [];
      const botsJoined: number[] = [];
      const botsConnected: number[] = [];
      for (let r = 0; r < options.repeats; r++) {
        const f = await runFloorMesh(n, video);
        floor.push(f.allFirstFrameMs);
        floorConnected.push(f.allConnectedMs);
        const run = await runBots({ url: server.url, rooms: [`p1-${n}-${r}-${Date.now()}`], count: n, durationMs: 30_000, video, audio: true, schedule: [], rampMs: 0, untilMeshComplete: true });
        const firstFrames = run.bots.flatMap((b) => b.peers.map((p) => p.firstFrameAt));
        // Where the time goes: the last join answer, the last connection `connected`.
        botsJoined.push(Math.max(...run.bots.map((b) => b.joinedAt ?? Number.NaN)));
        botsConnected.push(Math.max(...run.bots.flatMap((b) => b.peers.map((p) => p.connectedAt ?? Number.NaN))));
        bots.push(firstFrames.length === n * (n - 1) && firstFrames.every((t) => t !== null) ? Math.max(...(firstFrames as number[])) : Number.NaN);
      }
      const f = median(floor) ?? Number.NaN;
      const b = median(bots) ?? Number.NaN;
      results[`n${n}`] = { floorMs: floor, botsMs: bots, floorConnectedMs: floorConnected, botsLastJoinMs: botsJoined, botsConnectedMs: botsConnected, ratio: b / f };
      rows.push([n, n * (n - 1), fmt(median(floorConnected), 0), fmt(f, 0), fmt(median(botsJoined), 0), fmt(median(botsConnected), 0), fmt(b, 0), fmt(b / f, 2), floor.map((v) => fmt(v, 0)).join('/'), bots.map((v) => fmt(v, 0)).join('/')]);
    }
  } finally {
    await server.stop();
  }
  printTable(['N', 'flows', 'floor connected ms', 'floor all frames ms', 'bots joined ms', 'bots connected ms', 'bots all frames ms', 'ratio', 'floor runs', 'bot runs'], rows);
  console.log('goal: N=6 within 1.5x the floor');
  return results;
}
