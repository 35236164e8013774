import wrtc from '@roamhq/wrtc';
import { afterEach, describe, expect, it } from 'vitest';
import { countFrames, countingWebRtc, createSyntheticVideo, MemorySignalingServer, waitFor, waitUntil, type WrtcNonstandard } from '../test-utils/index.ts';
import { MeshError } from './errors.ts';
import { Mesh } from './Mesh.ts';
import type { WebRtcImplementation } from './webrtc.ts';

const nonstandard = wrtc.nonstandard as unknown as WrtcNonstandard;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(count: number) {
  const server = new MemorySignalingServer();
  const webrtc = countingWebRtc(wrtc as unknown as WebRtcImplementation);
  const meshes = Array.from({ length: count }, () => {
    const signaling = server.connect();
    const mesh = new Mesh({ signaling, webrtc });
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

  it('converges when both sides restart ICE at the same moment', async () => {
    const { meshes } = setup(2);
    const [a, b] = meshes.map((m) => m.mesh) as [Mesh, Mesh];
    await a.join({ room: 'glare', name: 'A' });
    await b.join({ room: 'glare', name: 'B' });
    await Promise.all([allConnected(a, 1), allConnected(b, 1)]);
    for (let i = 0; i < 5; i++) {
      a.restartIce();
      b.restartIce();
      await new Promise((r) => setTimeout(r, 300));
      await Promise.all([allConnected(a, 1), allConnected(b, 1)]);
    }
  });
});
