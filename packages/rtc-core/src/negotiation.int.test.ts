import wrtc from '@roamhq/wrtc';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  countingWebRtc,
  createTestParticipant,
  startSignalingProcess,
  waitUntil,
  type CountingWebRtc,
  type SignalingProcess,
  type TestParticipant,
} from '../test-utils/index.ts';
import type { WrtcNonstandard } from '../test-utils/index.ts';
import { iceUfrag } from './sdp.ts';
import type { Logger } from './logger.ts';
import type { WebRtcImplementation } from './webrtc.ts';

const nonstandard = wrtc.nonstandard as unknown as WrtcNonstandard;
let server: SignalingProcess;
let pair: Array<{ p: TestParticipant; webrtc: CountingWebRtc }> = [];
/** Debug messages the engine logged, to see which negotiation paths were taken. */
const logged: string[] = [];
const recorder: Logger = {
  debug: (message) => logged.push(message),
  info: () => {},
  warn: (message) => logged.push(message),
  error: (message) => logged.push(message),
};
const count = (message: string) => logged.filter((m) => m === message).length;

beforeAll(async () => {
  server = await startSignalingProcess();
});
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  await Promise.all(pair.map(({ p }) => p.close()));
  await waitUntil(() => pair.every(({ webrtc }) => webrtc.open() === 0), 'no peer connection left open');
  pair = [];
});

/** Two participants, each with its own counting implementation so its one connection can be inspected. */
async function connectedPair(room: string) {
  pair = await Promise.all(
    [0, 1].map(async () => {
      const webrtc = countingWebRtc(wrtc as unknown as WebRtcImplementation);
      return { p: await createTestParticipant({ url: server.url, webrtc, nonstandard, camera: true, logger: recorder }), webrtc };
    }),
  );
  for (const [i, { p }] of pair.entries()) await p.mesh.join({ room, name: `side-${i}` });
  const sides = pair.map(({ p, webrtc }) => {
    const pc = (): RTCPeerConnection | undefined => webrtc.openConnections()[0];
    return { p, pc, remoteId: () => [...p.mesh.participants.keys()][0]! };
  });
  await settled(sides);
  return sides;
}

type Side = { p: TestParticipant; pc: () => RTCPeerConnection | undefined; remoteId: () => string };

/** Both ends connected, stable, and each side's remote ICE credentials are the other's local ones. */
function settled(sides: Side[], timeoutMs = 20_000) {
  return waitUntil(
    () =>
      sides.every((side, i) => {
        const other = sides[1 - i]!;
        const pc = side.pc();
        return (
          pc !== undefined &&
          pc.connectionState === 'connected' &&
          pc.signalingState === 'stable' &&
          iceUfrag(pc.remoteDescription?.sdp ?? '') === iceUfrag(other.pc()?.localDescription?.sdp ?? '')
        );
      }),
    'both sides connected and stable with matching ICE credentials',
    timeoutMs,
  );
}

const localUfrags = (sides: Side[]) => sides.map((s) => iceUfrag(s.pc()?.localDescription?.sdp ?? ''));

async function framesFlowAgain(side: Side): Promise<void> {
  const remote = side.remoteId();
  const before = side.p.frames.frames(remote, 'camera');
  await waitUntil(() => side.p.frames.frames(remote, 'camera') > before + 3, 'camera frames keep arriving');
}

describe('renegotiation over the real signaling server', () => {
  it('an ICE restart from one side converges and frames flow again', async () => {
    const sides = await connectedPair('restart');
    for (const initiator of [0, 1]) {
      const before = localUfrags(sides);
      sides[initiator]!.p.mesh.restartIce();
      await waitUntil(() => localUfrags(sides).every((u, i) => u !== before[i]), 'both sides have new ICE credentials');
      await settled(sides);
      for (const side of sides) await framesFlowAgain(side);
    }
  });

  it('both sides restarting at the same moment (glare) converge, 20 times over', async () => {
    const sides = await connectedPair('glare');
    logged.length = 0;
    for (let round = 0; round < 20; round++) {
      const before = localUfrags(sides);
      // Same tick on both sides: each sends an offer before seeing the other's.
      for (const side of sides) side.p.mesh.restartIce();
      await waitUntil(() => localUfrags(sides).every((u, i) => u !== before[i]), `round ${round}: new ICE credentials on both sides`);
      await settled(sides);
    }
    // Every round really collided: the polite side rolled back, the impolite side ignored.
    expect(count('offer collision: rolling back (polite)')).toBe(20);
    expect(count('offer collision: ignoring (impolite)')).toBe(20);
    expect(count('renegotiation failed')).toBe(0);
    for (const side of sides) {
      expect(side.p.mesh.participants.get(side.remoteId())?.connectionState).toBe('connected');
      await framesFlowAgain(side);
    }
  });

  it('restartIce on an unknown peer is a typed error', async () => {
    const sides = await connectedPair('unknown');
    expect(() => sides[0]!.p.mesh.restartIce('nobody')).toThrow(expect.objectContaining({ code: 'UNKNOWN_PEER' }));
  });
});
