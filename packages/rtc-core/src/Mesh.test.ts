import wrtc from '@roamhq/wrtc';
import { afterEach, describe, expect, it } from 'vitest';
import { countFrames, countingWebRtc, createSyntheticVideo, MemorySignalingServer, waitFor, waitUntil, type WrtcNonstandard } from '../test-utils/index.ts';
import { MeshError } from './errors.ts';
import { Mesh } from './Mesh.ts';
import type { Logger } from './logger.ts';
import type { PeerLink } from './PeerLink.ts';
import type { SignalingChannel } from './SignalingChannel.ts';
import type { MeshOptions } from './types.ts';
import type { WebRtcImplementation } from './webrtc.ts';

const nonstandard = wrtc.nonstandard as unknown as WrtcNonstandard;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(count: number, options: Partial<MeshOptions> = {}) {
  const server = new MemorySignalingServer();
  const webrtc = countingWebRtc(wrtc as unknown as WebRtcImplementation);
  const meshes = Array.from({ length: count }, () => {
    const signaling = server.connect();
    const mesh = new Mesh({ ...options, signaling, webrtc });
    cleanups.push(() => mesh.leave(), () => signaling.close());
    return { mesh, signaling };
  });
  return { server, webrtc, meshes };
}

const allConnected = (mesh: Mesh, n: number) =>
  waitUntil(() => mesh.participants.size === n && [...mesh.participants.values()].every((p) => p.connectionState === 'connected'), `${n} connected`);

describe('Mesh (in-memory signaling, wrtc peer connections)', () => {
  it('connects two participants and carries camera video on transceiver 1', async () => {
    const { meshes, webrtc } = setup(2);
    const [a, b] = meshes.map((m) => m.mesh) as [Mesh, Mesh];
    const video = createSyntheticVideo(nonstandard);
    cleanups.push(() => video.stop());
    await a.setLocalTrack('camera', video.track);
    const joinedA = await a.join({ room: 'r1', name: 'Ann' });
    const bTrack = waitFor(b, 'trackAdded', (e) => e.source === 'camera');
    const joinedB = await b.join({ room: 'r1', name: 'Bob' });
    expect(joinedA.peers).toEqual([]);
    expect(joinedB.peers.map((p) => p.name)).toEqual(['Ann']);
    await Promise.all([allConnected(a, 1), allConnected(b, 1)]);
    const [{ participant, track }] = await bTrack;
    expect(participant.name).toBe('Ann');
    expect(participant.media.camera).toBe(true);
    expect(participant.cameraStream?.getVideoTracks()[0]).toBe(track);
    const frames = countFrames(nonstandard, track);
    cleanups.push(() => frames.stop());
    await waitUntil(() => frames.frames > 3, 'camera frames arrive');
    expect(webrtc.open()).toBe(2);
    await a.leave();
    await waitUntil(() => b.participants.size === 0, 'Bob sees Ann leave');
    await waitUntil(() => webrtc.open() === 0, 'no peer connection left open');
  });

  it('rejects a second join and a bad room with typed errors, changing nothing', async () => {
    const { meshes } = setup(1);
    const a = meshes[0]!.mesh;
    await expect(a.join({ room: 'bad room!', name: 'x' })).rejects.toMatchObject({ code: 'INVALID_MESSAGE' });
    expect(a.room).toBeNull();
    await a.join({ room: 'ok', name: 'x' });
    await expect(a.join({ room: 'ok', name: 'x' })).rejects.toBeInstanceOf(MeshError);
    expect(a.room).toBe('ok');
  });

  it('announces media set before joining, and changes after', async () => {
    const { meshes } = setup(2);
    const [a, b] = meshes.map((m) => m.mesh) as [Mesh, Mesh];
    const video = createSyntheticVideo(nonstandard);
    cleanups.push(() => video.stop());
    await a.setLocalTrack('camera', video.track);
    await a.join({ room: 'm', name: 'A' });
    const { peers } = await b.join({ room: 'm', name: 'B' });
    expect(peers[0]?.media).toEqual({ mic: false, camera: true, screen: false });
    const changed = waitFor(b, 'mediaChanged');
    await a.setLocalTrack('camera', null);
    const [{ media, participant }] = await changed;
    expect(media.camera).toBe(false);
    expect(participant.media.camera).toBe(false);
  });

  it('reports its own leave as participantLeft for everyone, and leave() is idempotent', async () => {
    const { meshes, webrtc } = setup(3);
    for (const [i, { mesh }] of meshes.entries()) await mesh.join({ room: 'l', name: `n${i}` });
    const a = meshes[0]!.mesh;
    await allConnected(a, 2);
    const left: string[] = [];
    a.on('participantLeft', (p) => left.push(p.name));
    await a.leave();
    await a.leave();
    expect(left.sort()).toEqual(['n1', 'n2']);
    expect(a.participants.size).toBe(0);
    await waitUntil(() => webrtc.open() === 2, 'only the link between the two others remains');
  });

  it('aborts a join that leave() overtakes', async () => {
    const { meshes } = setup(1);
    const a = meshes[0]!.mesh;
    const joining = a.join({ room: 'x', name: 'A' });
    await a.leave();
    await expect(joining).rejects.toMatchObject({ code: 'JOIN_ABORTED' });
    expect(a.room).toBeNull();
    await expect(a.join({ room: 'x', name: 'A' })).resolves.toMatchObject({ peers: [] });
  });

  it('keeps working when an app listener throws: the other listeners still hear, the throw is logged', async () => {
    const logged: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn() {}, error: (m) => logged.push(m) };
    const { meshes } = setup(2, { logger });
    const [a, b] = meshes.map((m) => m.mesh) as [Mesh, Mesh];
    const heard: string[] = [];
    a.on('participantJoined', () => {
      throw new Error('app bug');
    });
    a.on('participantJoined', (p) => heard.push(p.name));
    await a.join({ room: 't', name: 'A' });
    await b.join({ room: 't', name: 'B' });
    await Promise.all([allConnected(a, 1), allConnected(b, 1)]);
    expect(heard).toEqual(['B']);
    expect(logged).toContain('mesh listener threw');
  });

  it('without a WebRTC implementation, fails with WEBRTC_UNAVAILABLE', () => {
    const server = new MemorySignalingServer();
    expect(() => new Mesh({ signaling: server.connect() })).toThrow(expect.objectContaining({ code: 'WEBRTC_UNAVAILABLE' }));
  });

  it('takes the lowest of the server budget, the option and the user limit, which can change at any time', async () => {
    const server = new MemorySignalingServer({ videoUplinkKbps: 2500 });
    const mesh = new Mesh({ signaling: server.connect(), webrtc: wrtc as unknown as WebRtcImplementation, uplinkBudgetKbps: 3000 });
    cleanups.push(() => mesh.leave());
    expect(mesh.uplinkBudgetKbps).toBe(3000);
    await mesh.join({ room: 'budget', name: 'n' });
    expect(mesh.uplinkBudgetKbps).toBe(2500);
    mesh.setUplinkBudget(250);
    expect(mesh.uplinkBudgetKbps).toBe(250);
    mesh.setUplinkBudget(null);
    expect(mesh.uplinkBudgetKbps).toBe(2500);
    expect(() => mesh.setUplinkBudget(0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => mesh.setUplinkBudget(Number.NaN)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('refuses to ask for the video of a participant it does not have', async () => {
    const server = new MemorySignalingServer();
    const mesh = new Mesh({ signaling: server.connect(), webrtc: wrtc as unknown as WebRtcImplementation });
    cleanups.push(() => mesh.leave());
    await mesh.join({ room: 'wants', name: 'n' });
    expect(() => mesh.setVideoWanted('nobody', 'none')).toThrow(expect.objectContaining({ code: 'UNKNOWN_PEER' }));
  });

  it('carries a video want over the link’s data channel only when it changes', async () => {
    const { meshes } = setup(2);
    const [a, b] = meshes.map((m) => m.mesh) as [Mesh, Mesh];
    await a.join({ room: 'wants2', name: 'Ann' });
    await b.join({ room: 'wants2', name: 'Bob' });
    await Promise.all([allConnected(a, 1), allConnected(b, 1)]);
    const linkOf = (mesh: Mesh) => (mesh.participants.values().next().value as unknown as { link: PeerLink }).link;
    await waitUntil(() => linkOf(a).dataOpen && linkOf(b).dataOpen, 'data channels open');
    // wrtc refuses setParameters (and its sender methods cannot be wrapped): the test reads the
    // wire; bandwidth and videoWants tests and e2e/video-wants.spec show the sender obeying.
    const got: unknown[] = [];
    linkOf(b).on('data', (m) => got.push(m));
    a.setVideoWanted(b.selfId!, 'none');
    a.setVideoWanted(b.selfId!, 'none');
    a.setVideoWanted(b.selfId!, 'full');
    await waitUntil(() => got.length === 2, 'two wants');
    expect(got).toEqual([{ t: 'want', video: 'none' }, { t: 'want', video: 'full' }]);
    expect(() => a.setVideoWanted(b.selfId!, 'half' as 'low')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('logs once and carries on where setParameters is unsupported, and emits periodic stats', async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, error() {}, warn: (m) => warnings.push(m) };
    const { meshes } = setup(3, { uplinkBudgetKbps: 900, statsIntervalMs: 200, logger });
    const video = createSyntheticVideo(nonstandard);
    cleanups.push(() => video.stop());
    await meshes[0]!.mesh.setLocalTrack('camera', video.track);
    for (const [i, { mesh }] of meshes.entries()) await mesh.join({ room: 'bw', name: `n${i}` });
    const a = meshes[0]!.mesh;
    await allConnected(a, 2);
    const [stats] = await waitFor(a, 'stats', (s) => [...s.values()].some((p) => p.outboundKbps > 0));
    expect(stats.size).toBe(2);
    // wrtc refuses every setParameters, audio senders with InvalidModificationError, video ones
    // with InvalidStateError: two warnings per mesh (three share this logger), however many
    // connections and re-splits (each one a retry) there were.
    expect(warnings.filter((w) => w === 'uplink budget not applied: setParameters refused')).toHaveLength(6);
  });

  it('leaves nothing behind: no channel listener, no timer event, no connection', async () => {
    const server = new MemorySignalingServer();
    const webrtc = countingWebRtc(wrtc as unknown as WebRtcImplementation);
    const channels = [server.connect(), server.connect()];
    let subscribed = 0;
    // Count subscriptions on the first channel through a wrapper of the real one.
    const real = channels[0]!;
    const counted: SignalingChannel = {
      get state() {
        return real.state;
      },
      on: ((event, listener) => {
        subscribed += 1;
        const off = real.on(event, listener);
        return () => {
          subscribed -= 1;
          off();
        };
      }) as SignalingChannel['on'],
      join: (request) => real.join(request),
      leave: () => real.leave(),
      signal: (message) => real.signal(message),
      media: (state) => real.media(state),
      close: () => real.close(),
    };
    const a = new Mesh({ signaling: counted, webrtc, statsIntervalMs: 50 });
    const b = new Mesh({ signaling: channels[1]!, webrtc });
    cleanups.push(() => b.leave(), () => channels.forEach((c) => c.close()));
    await a.join({ room: 'clean', name: 'A' });
    await b.join({ room: 'clean', name: 'B' });
    await allConnected(a, 1);
    await waitFor(a, 'stats');
    expect(subscribed).toBeGreaterThan(0);
    await a.leave();
    expect(subscribed).toBe(0);
    let statsAfterLeave = 0;
    a.on('stats', () => statsAfterLeave++);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(statsAfterLeave).toBe(0);
    await b.leave();
    expect(webrtc.open()).toBe(0);
  });

});
