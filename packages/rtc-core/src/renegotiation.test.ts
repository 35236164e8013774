import wrtc from '@roamhq/wrtc';
import type { SignalRequest } from '@meshmeet/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { countFrames, countingWebRtc, createSyntheticVideo, MemorySignalingServer, waitFor, waitUntil, type WrtcNonstandard } from '../test-utils/index.ts';
import type { MeshError } from './errors.ts';
import { Mesh } from './Mesh.ts';
import type { PeerLink } from './PeerLink.ts';
import { iceUfrag } from './sdp.ts';
import type { WebRtcImplementation } from './webrtc.ts';

// ICE restarts whose offer or answer is lost on the way: every offer has a watchdog, so the
// link re-sends it instead of staying in have-local-offer for good.

const nonstandard = wrtc.nonstandard as unknown as WrtcNonstandard;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Signal = SignalRequest & { from: string };

async function connectedPair() {
  const server = new MemorySignalingServer();
  const webrtc = countingWebRtc(wrtc as unknown as WebRtcImplementation);
  const [a, b] = [0, 1].map(() => {
    const signaling = server.connect();
    const mesh = new Mesh({ signaling, webrtc, negotiationTimeoutMs: 300 });
    const errors: MeshError[] = [];
    mesh.on('error', (e) => errors.push(e));
    cleanups.push(() => mesh.leave(), () => signaling.close());
    return { mesh, errors };
  }) as [{ mesh: Mesh; errors: MeshError[] }, { mesh: Mesh; errors: MeshError[] }];
  const video = createSyntheticVideo(nonstandard);
  cleanups.push(() => video.stop());
  await a.mesh.setLocalTrack('camera', video.track);
  await a.mesh.join({ room: 'restart', name: 'A' });
  const camera = waitFor(b.mesh, 'trackAdded', (e) => e.source === 'camera');
  await b.mesh.join({ room: 'restart', name: 'B' });
  const [{ track }] = await camera;
  const frames = countFrames(nonstandard, track);
  cleanups.push(() => frames.stop());
  await waitUntil(() => frames.frames > 3, 'camera frames arrive');
  const link = (mesh: Mesh, peer: Mesh) => (mesh.participants.get(peer.selfId!) as unknown as { link: PeerLink }).link;
  return { server, a, b, frames, linkAB: link(a.mesh, b.mesh), linkBA: link(b.mesh, a.mesh), webrtc };
}

const remoteUfrag = (link: PeerLink) => iceUfrag(link.pc.remoteDescription?.sdp ?? '');

/** Drops the next offer or answer of the given type, once. */
function dropNext(type: 'offer' | 'answer'): (s: Signal) => boolean {
  let done = false;
  return (s) => {
    if (done || s.description?.type !== type) return false;
    done = true;
    return true;
  };
}

describe('ICE restart with lost messages (in-memory signaling, wrtc)', () => {
  it.each(['offer', 'answer'] as const)('recovers when the restart %s is lost: the offer is re-sent and answered', async (lost) => {
    const { server, a, b, frames, linkAB, linkBA } = await connectedPair();
    const before = { ab: remoteUfrag(linkAB), ba: remoteUfrag(linkBA) };
    server.dropSignal = dropNext(lost);
    a.mesh.restartIce();
    // The restart happened on both sides (new ICE credentials each way), and negotiation is idle again.
    await waitUntil(
      () => remoteUfrag(linkAB) !== before.ab && remoteUfrag(linkBA) !== before.ba && linkAB.negotiation.phase === 'stable' && linkBA.negotiation.phase === 'stable',
      'the restart completes',
    );
    expect(server.dropped[lost === 'offer' ? 'offers' : 'answers']).toBe(1);
    const seen = frames.frames;
    await waitUntil(() => frames.frames > seen + 5, 'video keeps flowing after the restart');
    expect(linkAB.connectionState).toBe('connected');
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('restarts from both sides at the same moment converge, with new credentials each way', async () => {
    const { a, b, frames, linkAB, linkBA } = await connectedPair();
    for (let round = 0; round < 5; round++) {
      const before = { ab: remoteUfrag(linkAB), ba: remoteUfrag(linkBA) };
      a.mesh.restartIce();
      b.mesh.restartIce();
      await waitUntil(
        () => remoteUfrag(linkAB) !== before.ab && remoteUfrag(linkBA) !== before.ba && linkAB.negotiation.phase === 'stable' && linkBA.negotiation.phase === 'stable',
        `round ${round} converges`,
      );
    }
    const seen = frames.frames;
    await waitUntil(() => frames.frames > seen + 5, 'video keeps flowing');
    expect([...a.errors, ...b.errors]).toEqual([]);
  });
});
