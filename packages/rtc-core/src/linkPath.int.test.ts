import wrtc from '@roamhq/wrtc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestParticipant, startSignalingProcess, waitUntil, type SignalingProcess, type TestParticipant, type WrtcNonstandard } from '../test-utils/index.ts';
import type { PeerStats } from './types.ts';
import type { WebRtcImplementation } from './webrtc.ts';

// Each link's path as real wrtc reports it: two participants on one machine, no ICE servers, so
// the only pair is host/host over UDP.
const nonstandard = wrtc.nonstandard as unknown as WrtcNonstandard;
const webrtc = wrtc as unknown as WebRtcImplementation;
let server: SignalingProcess;
const participants: TestParticipant[] = [];

beforeAll(async () => {
  server = await startSignalingProcess({ ICE_SERVERS: '[]' });
});
afterAll(async () => {
  await Promise.all(participants.map((p) => p.close()));
  await server?.stop();
});

describe('link path in stats (real wrtc, loopback)', () => {
  it('reports the selected pair: host/host, UDP, a round trip, no relay protocol', async () => {
    const [a, b] = await Promise.all([
      createTestParticipant({ url: server.url, webrtc, nonstandard, camera: true }),
      createTestParticipant({ url: server.url, webrtc, nonstandard, camera: true }),
    ]);
    participants.push(a, b);
    await a.mesh.join({ room: 'link-path', name: 'A' });
    await b.mesh.join({ room: 'link-path', name: 'B' });
    let stats: PeerStats | undefined;
    await waitUntil(async () => {
      stats = [...(await a.mesh.getStats()).values()][0];
      return stats?.path?.rttMs != null;
    }, 'a selected pair with a round trip', 20_000);
    expect(stats!.path).toEqual({ local: 'host', remote: 'host', protocol: 'udp', rttMs: stats!.roundTripTimeMs });
    expect(stats!.path).not.toHaveProperty('relayProtocol', expect.anything());
    expect(stats!.path!.rttMs).toBeGreaterThanOrEqual(0);
    expect(stats!.path!.rttMs).toBeLessThan(1000);
  });
});
