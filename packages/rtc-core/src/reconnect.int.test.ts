import wrtc from '@roamhq/wrtc';
import { afterEach, describe, expect, it } from 'vitest';
import {
  countingWebRtc,
  createTestParticipant,
  startSignalingProcess,
  waitUntil,
  type SignalingProcess,
  type TestParticipant,
  type WrtcNonstandard,
} from '../test-utils/index.ts';
import { Mesh } from './Mesh.ts';
import { createSocketIoSignaling } from './socket-io/index.ts';
import type { WebRtcImplementation } from './webrtc.ts';

const nonstandard = wrtc.nonstandard as unknown as WrtcNonstandard;
const webrtc = countingWebRtc(wrtc as unknown as WebRtcImplementation);
const started: SignalingProcess[] = [];
let list: TestParticipant[] = [];

afterEach(async () => {
  await Promise.all(list.map((p) => p.close()));
  list = [];
  await Promise.all(started.splice(0).map((s) => s.stop()));
  await waitUntil(() => webrtc.open() === 0, 'no peer connection left open');
});

const meshFormed = (ps: TestParticipant[]) =>
  waitUntil(
    () => ps.every((p) => p.mesh.participants.size === ps.length - 1 && [...p.mesh.participants.values()].every((r) => r.connectionState === 'connected')),
    'everyone connected to everyone',
    30_000,
  );

describe('signaling reconnect (real server, socket.io channel)', () => {
  it('when the server restarts, every mesh resumes as itself and keeps its connections and video', async () => {
    const first = await startSignalingProcess();
    started.push(first);
    list = await Promise.all([0, 1, 2].map(() => createTestParticipant({ url: first.url, webrtc, nonstandard, camera: true })));
    for (const [i, p] of list.entries()) await p.mesh.join({ room: 'phoenix', name: `p${i}` });
    await meshFormed(list);
    const ids = list.map((p) => p.mesh.selfId);
    const states: string[] = [];
    const churn: string[] = [];
    list[0]!.mesh.on('signalingStateChanged', (s) => states.push(s));
    for (const p of list) {
      p.mesh.on('participantLeft', (r) => churn.push(`left ${r.id}`));
      p.mesh.on('participantJoined', (r) => churn.push(`joined ${r.id}`));
    }

    await first.kill('SIGKILL');
    await waitUntil(() => list.every((p) => p.signaling.state === 'reconnecting'), 'every channel notices the loss');
    // Media goes peer to peer: nothing is torn down while the server is away.
    expect(webrtc.open()).toBe(6);
    for (const p of list) {
      const other = [...p.mesh.participants.keys()][0]!;
      const before = p.frames.frames(other, 'camera');
      await waitUntil(() => p.frames.frames(other, 'camera') > before + 2, 'frames flow without the server');
    }

    await first.restart(); // same port, same SESSION_SECRET
    await waitUntil(() => states.includes('connected'), 'resumed');
    await waitUntil(() => list.every((p) => p.signaling.state === 'connected'), 'every channel back');
    await meshFormed(list);
    expect(list.map((p) => p.mesh.selfId)).toEqual(ids);
    expect(states).toEqual(['reconnecting', 'connected']);
    expect(churn).toEqual([]);
    expect(webrtc.open()).toBe(6);
  });

  it('a join with no server to reach fails with SIGNALING_UNAVAILABLE', async () => {
    const gone = await startSignalingProcess();
    await gone.stop(); // a port where nothing listens any more
    const signaling = createSocketIoSignaling(gone.url, { timeoutMs: 1500, socketOptions: { reconnection: false } });
    const mesh = new Mesh({ signaling, webrtc });
    try {
      await expect(mesh.join({ room: 'void', name: 'x' })).rejects.toMatchObject({ code: 'SIGNALING_UNAVAILABLE' });
      expect(mesh.room).toBeNull();
    } finally {
      await mesh.close();
    }
  });

  it("a socket the server refuses (too many from this address) fails the join with the server's code and ends the channel", async () => {
    const server = await startSignalingProcess({ MAX_SOCKETS_PER_IP: '1' });
    started.push(server);
    const first = createSocketIoSignaling(server.url);
    const refused = createSocketIoSignaling(server.url);
    const meshes = [new Mesh({ signaling: first, webrtc }), new Mesh({ signaling: refused, webrtc })] as const;
    try {
      await meshes[0].join({ room: 'crowded', name: 'first' });
      // Not the join timeout's SIGNALING_UNAVAILABLE: the server's own code and message.
      await expect(meshes[1].join({ room: 'crowded', name: 'second' })).rejects.toMatchObject({
        code: 'RATE_LIMITED',
        message: expect.stringContaining('too many connections from your address'),
      });
      expect(refused.state).toBe('disconnected');
      expect(meshes[1].room).toBeNull();
      // socket.io-client does not retry such a refusal, and neither does the channel.
      await expect(meshes[1].join({ room: 'crowded', name: 'again' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
      expect(meshes[0].room).toBe('crowded');
    } finally {
      await Promise.all(meshes.map((m) => m.close()));
    }
  });
});
