import wrtc from '@roamhq/wrtc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestParticipant, startSignalingProcess, waitUntil, type SignalingProcess, type TestParticipant, type WrtcNonstandard } from '../test-utils/index.ts';
import { MeshError } from './errors.ts';
import type { RoomState } from '@meshmeet/protocol/checks';
import type { WebRtcImplementation } from './webrtc.ts';

const nonstandard = wrtc.nonstandard as unknown as WrtcNonstandard;
const webrtc = wrtc as unknown as WebRtcImplementation;
let server: SignalingProcess;
const open: TestParticipant[] = [];

beforeAll(async () => {
  server = await startSignalingProcess();
});
afterAll(async () => {
  await Promise.all(open.map((p) => p.close()));
  await server?.stop();
});

async function participant(): Promise<TestParticipant> {
  const p = await createTestParticipant({ url: server.url, webrtc, nonstandard });
  open.push(p);
  return p;
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(MeshError);
    return (error as MeshError).code;
  }
}

describe('host controls through the mesh', () => {
  it('passcode, lock and removal, with the server codes surfacing on MeshError', async () => {
    const host = await participant();
    const states: RoomState[] = [];
    host.mesh.on('roomStateChanged', (state) => states.push(state));
    const { self } = await host.mesh.join({ room: 'mesh-host', name: 'Host' });
    await waitUntil(() => states.length > 0, 'the joiner learns the room state');
    expect(states[0]).toEqual({ hostId: self.id, locked: false, passcode: false });

    await host.mesh.setPasscode('1234');
    const guest = await participant();
    expect(await code(guest.mesh.join({ room: 'mesh-host', name: 'Guest' }))).toBe('PASSCODE_REQUIRED');
    expect(await code(guest.mesh.join({ room: 'mesh-host', name: 'Guest', passcode: '0000' }))).toBe('PASSCODE_WRONG');
    const joined = await guest.mesh.join({ room: 'mesh-host', name: 'Guest', passcode: '1234' });
    expect(await code(guest.mesh.lockRoom())).toBe('FORBIDDEN');

    await host.mesh.lockRoom();
    const late = await participant();
    expect(await code(late.mesh.join({ room: 'mesh-host', name: 'Late', passcode: '1234' }))).toBe('ROOM_LOCKED');
    await waitUntil(() => states.at(-1)?.locked === true, 'the host sees the lock');

    let removed = false;
    guest.mesh.on('removed', () => (removed = true));
    await host.mesh.removeParticipant(joined.self.id);
    await waitUntil(() => removed && guest.mesh.selfId === null, 'the guest is told and out of the room');
    await waitUntil(() => !host.mesh.participants.has(joined.self.id), 'the host no longer lists the guest');
    expect(await code(guest.mesh.removeParticipant(self.id))).toBe('NOT_IN_ROOM');
  }, 30_000);
});
