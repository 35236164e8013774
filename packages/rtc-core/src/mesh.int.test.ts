import wrtc from '@roamhq/wrtc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countingWebRtc,
  createTestParticipant,
  startSignalingProcess,
  waitUntil,
  type SignalingProcess,
  type TestParticipant,
  type WrtcNonstandard,
} from '../test-utils/index.ts';
import type { WebRtcImplementation } from './webrtc.ts';

const nonstandard = wrtc.nonstandard as unknown as WrtcNonstandard;
// One counting wrapper for the whole file: every peer connection any participant opens is seen.
const webrtc = countingWebRtc(wrtc as unknown as WebRtcImplementation);
let server: SignalingProcess;

beforeAll(async () => {
  server = await startSignalingProcess();
});
afterAll(async () => {
  await server?.stop();
});

async function participants(count: number, room: string): Promise<TestParticipant[]> {
  const list = await Promise.all(
    Array.from({ length: count }, () => createTestParticipant({ url: server.url, webrtc, nonstandard, camera: true })),
  );
  await Promise.all(list.map((p, i) => p.mesh.join({ room, name: `bot-${i}` })));
  return list;
}

/** Every participant connected to every other and decoding frames from each one's camera. */
async function fullMeshWithFrames(list: TestParticipant[], timeoutMs = 30_000): Promise<void> {
  await waitUntil(
    () =>
      list.every((me) =>
        list.every((other) => {
          if (other === me) return true;
          const id = other.mesh.selfId;
          const remote = id ? me.mesh.participants.get(id) : undefined;
          return remote?.connectionState === 'connected' && me.frames.frames(id!, 'camera') > 2;
        }),
      ),
    `${list.length} participants receive camera frames from each other`,
    timeoutMs,
  );
}

async function closeAll(list: TestParticipant[]): Promise<void> {
  await Promise.all(list.map((p) => p.close()));
}

describe('full mesh over the real signaling server', () => {
  for (const size of [2, 3, 6]) {
    it(`${size} participants each receive video from every other, and leave nothing open`, async () => {
      const list = await participants(size, `mesh-${size}`);
      try {
        await fullMeshWithFrames(list);
        for (const p of list) expect(p.mesh.participants.size).toBe(size - 1);
        expect(webrtc.open()).toBe(size * (size - 1));
      } finally {
        await closeAll(list);
      }
      await waitUntil(() => webrtc.open() === 0, 'every peer connection is closed');
    });
  }

  it('a late joiner connects to everyone already there', async () => {
    const early = await participants(3, 'late');
    const late = await createTestParticipant({ url: server.url, webrtc, nonstandard, camera: true });
    try {
      await fullMeshWithFrames(early);
      const { peers } = await late.mesh.join({ room: 'late', name: 'late' });
      expect(peers).toHaveLength(3);
      await fullMeshWithFrames([...early, late]);
    } finally {
      await closeAll([...early, late]);
    }
    await waitUntil(() => webrtc.open() === 0, 'every peer connection is closed');
  });

  it('a participant leaves (the others forget it) and rejoins (everyone reconnects)', async () => {
    const list = await participants(3, 'rejoin');
    try {
      await fullMeshWithFrames(list);
      const [leaver, ...stayers] = list as [TestParticipant, ...TestParticipant[]];
      const oldId = leaver.mesh.selfId!;
      await leaver.mesh.leave();
      expect(leaver.mesh.participants.size).toBe(0);
      expect(leaver.mesh.room).toBeNull();
      await waitUntil(() => stayers.every((p) => !p.mesh.participants.has(oldId)), 'the others forget the leaver');
      // The stayers' link between themselves is the only one left: two ends.
      await waitUntil(() => webrtc.open() === 2, 'the leaver’s connections are closed on both sides');
      await leaver.mesh.join({ room: 'rejoin', name: 'back' });
      await fullMeshWithFrames(list);
      expect(stayers.every((p) => [...p.mesh.participants.values()].some((r) => r.name === 'back'))).toBe(true);
    } finally {
      await closeAll(list);
    }
    await waitUntil(() => webrtc.open() === 0, 'every peer connection is closed');
  });

  it('reports a full room with the server’s code and changes nothing', async () => {
    const small = await startSignalingProcess({ MAX_PEERS_PER_ROOM: '2' });
    const list = await Promise.all([0, 1, 2].map(() => createTestParticipant({ url: small.url, webrtc, nonstandard })));
    try {
      await list[0]!.mesh.join({ room: 'full', name: 'a' });
      await list[1]!.mesh.join({ room: 'full', name: 'b' });
      await expect(list[2]!.mesh.join({ room: 'full', name: 'c' })).rejects.toMatchObject({ code: 'ROOM_FULL' });
      expect(list[2]!.mesh.room).toBeNull();
      expect(list[0]!.mesh.participants.size).toBe(1);
    } finally {
      await closeAll(list);
      await small.stop();
    }
  });
});
