import { startSignalingProcess, waitUntil, type SignalingProcess } from '@meshmeet/rtc-core/test-utils';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { Ticker } from '../media/ticker.ts';
import { Bot, type MediaClocks } from './Bot.ts';

describe('Bot (real signaling server, real wrtc)', () => {
  let server: SignalingProcess;
  let clocks: MediaClocks;
  const bots: Bot[] = [];

  beforeAll(async () => {
    server = await startSignalingProcess();
  });
  afterAll(async () => {
    await server.stop();
  });
  afterEach(async () => {
    await Promise.all(bots.splice(0).map((b) => b.stop()));
    clocks?.video.stop();
    clocks?.audio.stop();
  });

  function bot(name: string, room: string, extra: Partial<ConstructorParameters<typeof Bot>[0]> = {}): Bot {
    const b = new Bot({ url: server.url, room, name, video: { width: 160, height: 120, fps: 15 }, clocks, statsIntervalMs: 500, ...extra });
    bots.push(b);
    return b;
  }

  it('records connection, first frame, received fps and audio packets for each remote peer', async () => {
    clocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
    const a = bot('alice bot', 'bot-rec');
    const b = bot('bob bot', 'bot-rec');
    await a.start();
    await b.start();
    const fpsFlowing = (x: Bot): boolean => {
      const peer = x.report().peers[0];
      return peer !== undefined && peer.audioPacketsReceived > 0 && peer.fps.some(([, fps]) => fps > 0);
    };
    await waitUntil(() => fpsFlowing(a) && fpsFlowing(b), 'both bots receive frames and audio', 30_000);
    for (const [self, other] of [[a, b], [b, a]] as const) {
      const report = self.report();
      expect(report.joinedAt).not.toBeNull();
      expect(report.framesSent).toBeGreaterThan(0);
      expect(report.peers).toHaveLength(1);
      const peer = report.peers[0]!;
      expect(peer.peerId).toBe(other.report().selfId);
      expect(peer.name).toBe(other.name);
      expect(peer.states.map((s) => s.state)).toContain('connected');
      expect(peer.connectedAt).toBeGreaterThanOrEqual(peer.discoveredAt);
      expect(peer.firstFrameAt).toBeGreaterThanOrEqual(peer.discoveredAt);
      expect(peer.framesReceived).toBeGreaterThan(0);
      // On one machine with no ICE servers in use, only host candidates exist.
      expect(peer.path).toMatchObject({ local: 'host', remote: 'host', protocol: 'udp' });
    }
  });

  it('turns its camera off on schedule: the peer sees the media state and the frames stop', async () => {
    clocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
    const a = bot('sched a', 'bot-sched', { schedule: [{ atMs: 1500, source: 'camera', on: false }] });
    const b = bot('sched b', 'bot-sched');
    await a.start();
    await b.start();
    await waitUntil(() => b.mesh.participants.get(a.report().selfId ?? '')?.media.camera === false, 'b sees a camera off', 30_000);
    expect(a.report().media.camera).toBe(false);
    expect(a.report().cameraOn[0]?.[1]).not.toBeNull();
    // After the switch, the received rate from a drops to nothing (two consecutive zero samples).
    await waitUntil(() => {
      const fps = b.report().peers[0]?.fps ?? [];
      return fps.length >= 2 && fps.slice(-2).every(([, v]) => v === 0);
    }, 'b stops receiving a\'s frames', 30_000);
    const framesBefore = a.report().framesSent;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(a.report().framesSent).toBe(framesBefore);
  });

  it('reports a refused join with the server\'s code', async () => {
    clocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
    const bad = bot('bad', 'no spaces allowed');
    await expect(bad.start()).rejects.toMatchObject({ code: 'INVALID_MESSAGE' });
    expect(bad.report().error).toMatch(/INVALID_MESSAGE/);
    expect(bad.report().joinedAt).toBeNull();
  });
});
