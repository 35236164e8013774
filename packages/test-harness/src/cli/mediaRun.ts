import { Bot, type BotReport, type MediaClocks } from '../bot/Bot.ts';
import type { ScheduleStep } from '../bot/schedule.ts';
import type { VideoFormat } from '../media/SyntheticCamera.ts';
import { Ticker } from '../media/ticker.ts';
import type { RoomProgress } from './progress.ts';

export interface MediaRunOptions {
  url: string;
  rooms: string[];
  count: number;
  durationMs: number;
  video: VideoFormat | null;
  audio: boolean;
  schedule: ScheduleStep[];
  /** Chat messages each bot sends after joining. */
  chat?: Array<{ text: string; atMs: number }>;
  /** false: bots announce no data channel. */
  dataChannels?: boolean;
  rampMs: number;
  /** See BotOptions.ice and relayOnly. */
  ice?: 'server' | 'none';
  relayOnly?: boolean;
  /** See BotOptions.followSteps (default true). */
  followSteps?: boolean;
  /** Stop early once every pair of every room delivered frames both ways (benchmarks). */
  untilMeshComplete?: boolean;
  onProgress?: (elapsedMs: number, rooms: RoomProgress[]) => void;
}

export interface MediaRunResult {
  bots: BotReport[];
  /** Bot process CPU (all threads, wrtc's included) over the run, in seconds. */
  cpuSeconds: number;
  wallMs: number;
}

/** Starts count bots in each room at once (or ramped), keeps them for the duration, then reports. */
export async function runBots(options: MediaRunOptions): Promise<MediaRunResult> {
  const clocks: MediaClocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
  const t0 = performance.now();
  const now = (): number => performance.now() - t0;
  const bots: Bot[] = [];
  options.rooms.forEach((room, r) => {
    for (let i = 1; i <= options.count; i++) {
      bots.push(new Bot({ url: options.url, room, name: `bot ${r + 1}-${i}`, video: options.video, audio: options.audio, schedule: options.schedule, chat: options.chat ?? [], dataChannels: options.dataChannels ?? true, clocks, now, hue: (r * options.count + i) * 47, ice: options.ice ?? 'server', relayOnly: options.relayOnly ?? false, followSteps: options.followSteps ?? true }));
    }
  });
  const cpuBefore = process.cpuUsage();
  const progress = (): RoomProgress[] =>
    options.rooms.map((room) => {
      const members = bots.filter((b) => b.report().room === room).map((b) => b.report());
      const peers = members.flatMap((m) => m.peers.filter((p) => p.leftAt === null));
      const connected = peers.filter((p) => p.states[p.states.length - 1]?.state === 'connected').length;
      const latest = peers.map((p) => p.fps[p.fps.length - 1]?.[1]).filter((v): v is number => v !== undefined);
      return {
        room,
        joined: members.filter((m) => m.joinedAt !== null && m.leftAt === null).length,
        total: members.length,
        pairsDone: Math.floor(connected / 2),
        pairs: (members.length * (members.length - 1)) / 2,
        fps: latest.length ? latest.reduce((a, b) => a + b, 0) / latest.length : null,
      };
    });
  const timer = setInterval(() => options.onProgress?.(now(), progress()), 1000);
  const starts: Array<Promise<unknown>> = [];
  for (const bot of bots) {
    starts.push(bot.start().catch(() => undefined)); // recorded in the bot's report
    if (options.rampMs > 0) await new Promise((resolve) => setTimeout(resolve, options.rampMs));
  }
  await Promise.all(starts);
  await new Promise<void>((resolve) => {
    const end = setTimeout(finish, Math.max(0, options.durationMs - now()));
    const poll = options.untilMeshComplete ? setInterval(() => meshComplete(bots) && finish(), 20) : null;
    function finish(): void {
      clearTimeout(end);
      if (poll) clearInterval(poll);
      resolve();
    }
  });
  clearInterval(timer);
  options.onProgress?.(now(), progress());
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = now();
  const reports = bots.map((b) => b.report());
  await Promise.all(bots.map((b) => b.stop()));
  clocks.video.stop();
  clocks.audio.stop();
  return { bots: reports, cpuSeconds: (cpu.user + cpu.system) / 1e6, wallMs };
}

function meshComplete(bots: readonly Bot[]): boolean {
  const reports = bots.map((b) => b.report());
  return reports.every((r) => {
    const roommates = reports.filter((o) => o !== r && o.room === r.room).length;
    return r.joinedAt !== null && r.peers.length === roommates && r.peers.every((p) => p.firstFrameAt !== null);
  });
}
