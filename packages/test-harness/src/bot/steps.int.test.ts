import { startSignalingProcess, waitUntil, type SignalingProcess } from '@meshmeet/rtc-core/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoFormat } from '../media/SyntheticCamera.ts';
import { Ticker } from '../media/ticker.ts';
import { RTCVideoSink, type VideoSinkFrameEvent } from '../wrtc.ts';
import { Bot, type BotReport, type MediaClocks } from './Bot.ts';

/** Every camera frame one bot receives, per sender: what a browser's tile would be given. */
class ReceivedFrames {
  private readonly frames = new Map<string, Array<{ at: number; width: number; height: number }>>();
  private readonly sinks: Array<{ stop(): void }> = [];

  constructor(bot: Bot) {
    bot.mesh.on('trackAdded', ({ participant, source, track }) => {
      if (source !== 'camera') return;
      const list: Array<{ at: number; width: number; height: number }> = [];
      this.frames.set(participant.id, list);
      const sink = new RTCVideoSink(track);
      this.sinks.push(sink);
      sink.onframe = ({ frame }: VideoSinkFrameEvent) => list.push({ at: performance.now(), width: frame.width, height: frame.height });
    });
  }

  /** The last `ms` of frames from `peerId`: the most frequent size and the rate. */
  recent(peerId: string, ms: number): { size: string | null; fps: number } {
    const since = performance.now() - ms;
    const frames = (this.frames.get(peerId) ?? []).filter((f) => f.at >= since);
    const counts = new Map<string, number>();
    for (const f of frames) counts.set(`${f.width}x${f.height}`, (counts.get(`${f.width}x${f.height}`) ?? 0) + 1);
    const size = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
    return { size, fps: (frames.length * 1000) / ms };
  }

  stop(): void {
    for (const sink of this.sinks) sink.stop();
  }
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** "step 2 120/152": the last sample's video and all-RTP kbps towards that peer. */
const uplinkText = (p: BotReport['peers'][number]): string => {
  const [, all, video] = p.uplinkKbps.at(-1) ?? [0, 0, 0];
  return `${p.name} ${Math.round(video)}/${Math.round(all)}`;
};
const text = (f: Pick<VideoFormat, 'width' | 'height' | 'fps'> | undefined): string => (f ? `${f.width}x${f.height}@${f.fps}` : '-');

describe('bots step their camera as browsers do (real signaling server, real wrtc)', () => {
  let server: SignalingProcess;
  const clocks: MediaClocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
  const bots: Bot[] = [];
  let received: ReceivedFrames | null = null;

  beforeAll(async () => {
    server = await startSignalingProcess();
  });
  afterAll(async () => {
    received?.stop();
    await Promise.all(bots.map((b) => b.stop()));
    clocks.video.stop();
    clocks.audio.stop();
    await server.stop();
  });

  it('sends 1/1.5 the size at 24 fps with 3 others, full size at 30 with 2, and reports the uplink of every link', async () => {
    const base = { width: 320, height: 240, fps: 30 };
    for (let i = 1; i <= 4; i++) bots.push(new Bot({ url: server.url, room: 'bot-steps', name: `step ${i}`, video: base, clocks, statsIntervalMs: 500, hue: i * 80 }));
    const [watcher, ...senders] = bots as [Bot, Bot, Bot, Bot];
    received = new ReceivedFrames(watcher);
    for (const bot of bots) await bot.start();
    const sentNow = (b: Bot): string => text(b.report().cameraFormats.at(-1));
    await waitUntil(() => bots.every((b) => sentNow(b) === '214x160@24'), 'every bot steps to 214x160@24', 20_000);
    const ids = senders.map((b) => b.report().selfId!);
    await waitUntil(() => ids.every((id) => received!.recent(id, 1000).size === '214x160'), 'the watcher receives 214x160 from each', 20_000);
    await pause(2500);
    const atFour = ids.map((id) => received!.recent(id, 2000));
    console.info(`4 bots: watcher receives ${atFour.map((r) => `${r.size} at ${r.fps.toFixed(1)} fps`).join(', ')}`);
    for (const r of atFour) {
      expect(r.size).toBe('214x160');
      // 24 fps sent; below 30 shows the cap, above 12 that the flow is alive on a loaded machine.
      expect(r.fps).toBeLessThan(27);
      expect(r.fps).toBeGreaterThan(12);
    }

    // The uplink of every link: each bot's record of each other carries kbps samples, video and all.
    for (const bot of bots) {
      const peers = bot.report().peers;
      expect(peers).toHaveLength(3);
      for (const peer of peers) {
        const [, all, video] = peer.uplinkKbps.at(-1) ?? [0, 0, 0];
        expect(video, `${bot.name} to ${peer.name}`).toBeGreaterThan(0);
        expect(all).toBeGreaterThan(video);
      }
    }
    const kbps = bots.map((b) => `${b.name}: ${b.report().peers.map(uplinkText).join(', ')}`);
    console.info(`4 bots: uplink kbps video/all per link (last sample) ${kbps.join('; ')}`);

    // One leaves: 2 others, the full format again.
    const leaver = senders[2];
    await leaver.stop();
    const staying = bots.filter((b) => b !== leaver);
    await waitUntil(() => staying.every((b) => sentNow(b) === '320x240@30'), 'the others step back to 320x240@30', 20_000);
    const left = ids.slice(0, 2);
    await waitUntil(() => left.every((id) => received!.recent(id, 1000).size === '320x240'), 'the watcher receives 320x240 from each', 20_000);
    await pause(2500);
    const atThree = left.map((id) => received!.recent(id, 2000));
    console.info(`3 bots: watcher receives ${atThree.map((r) => `${r.size} at ${r.fps.toFixed(1)} fps`).join(', ')}`);
    for (const r of atThree) {
      expect(r.size).toBe('320x240');
      expect(r.fps).toBeGreaterThan(12);
    }
    const steps = watcher.report().cameraFormats.map((f) => text(f));
    expect(steps[0]).toBe('320x240@30');
    expect(steps).toContain('214x160@24');
    expect(steps.at(-1)).toBe('320x240@30');
    for (const bot of staying) {
      const live = bot.report().peers.filter((p) => p.leftAt === null);
      expect(live).toHaveLength(2);
      for (const peer of live) expect(peer.uplinkKbps.at(-1)?.[2] ?? 0, `${bot.name} to ${peer.name}`).toBeGreaterThan(0);
    }
    const kbps3 = staying.map((b) => `${b.name}: ${b.report().peers.filter((p) => p.leftAt === null).map(uplinkText).join(', ')}`);
    console.info(`3 bots: uplink kbps video/all per link (last sample) ${kbps3.join('; ')}; watcher's steps ${steps.join(' -> ')}`);
  });

  it('keeps the captured format with followSteps: false', async () => {
    const format = { width: 160, height: 120, fps: 15 };
    const fixed = new Bot({ url: server.url, room: 'bot-nosteps', name: 'fixed', video: format, clocks, followSteps: false });
    const others = [1, 2, 3].map((i) => new Bot({ url: server.url, room: 'bot-nosteps', name: `other ${i}`, video: null, audio: false, clocks }));
    bots.push(fixed, ...others);
    for (const bot of [fixed, ...others]) await bot.start();
    await waitUntil(() => fixed.mesh.participants.size === 3, 'fixed sees 3 others', 20_000);
    expect(fixed.report().cameraFormats.map((f) => text(f))).toEqual(['160x120@15']);
    // The others, with no camera, have no formats at all.
    expect(others[0]!.report().cameraFormats).toEqual([]);
  });
});
