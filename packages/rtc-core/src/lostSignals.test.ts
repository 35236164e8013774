import wrtc from '@roamhq/wrtc';
import type { SignalRequest } from '@meshmeet/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { countFrames, countingWebRtc, createSyntheticVideo, MemorySignalingServer, waitFor, waitUntil, type WrtcNonstandard } from '../test-utils/index.ts';
import type { MeshError } from './errors.ts';
import { Mesh } from './Mesh.ts';
import type { WebRtcImplementation } from './webrtc.ts';

// Offers and answers lost on the way (a signaling hiccup, a stuck client): the offerer's
// negotiation watchdog re-sends its first offer, and gives that one peer up if nobody answers.

const nonstandard = wrtc.nonstandard as unknown as WrtcNonstandard;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Signal = SignalRequest & { from: string };

function setup(count: number) {
  const server = new MemorySignalingServer();
  const webrtc = countingWebRtc(wrtc as unknown as WebRtcImplementation);
  const meshes = Array.from({ length: count }, () => {
    const signaling = server.connect();
    const mesh = new Mesh({ signaling, webrtc, negotiationTimeoutMs: 300 });
    const errors: MeshError[] = [];
    mesh.on('error', (e) => errors.push(e));
    cleanups.push(() => mesh.leave(), () => signaling.close());
    return { mesh, errors };
  });
  return { server, webrtc, meshes };
}

/** Drops the first `n` signals for which `match` holds. */
function dropFirst(n: number, match: (s: Signal) => boolean): (s: Signal) => boolean {
  let left = n;
  return (s) => {
    if (left === 0 || !match(s)) return false;
    left -= 1;
    return true;
  };
}

const stateOf = (mesh: Mesh, peerId: string | null) => (peerId === null ? undefined : mesh.participants.get(peerId)?.connectionState);

async function connectsWithVideo(lose: (s: Signal) => boolean): Promise<MemorySignalingServer> {
  const { server, meshes, webrtc } = setup(2);
  const [a, b] = meshes as [(typeof meshes)[0], (typeof meshes)[0]];
  server.dropSignal = lose;
  const video = createSyntheticVideo(nonstandard);
  cleanups.push(() => video.stop());
  await b.mesh.setLocalTrack('camera', video.track); // b joins second: b is the offerer
  await a.mesh.join({ room: 'lossy', name: 'A' });
  const aSeesCamera = waitFor(a.mesh, 'trackAdded', (e) => e.source === 'camera');
  await b.mesh.join({ room: 'lossy', name: 'B' });
  await waitUntil(() => stateOf(a.mesh, b.mesh.selfId) === 'connected' && stateOf(b.mesh, a.mesh.selfId) === 'connected', 'the pair connects');
  const [{ track }] = await aSeesCamera;
  const frames = countFrames(nonstandard, track);
  cleanups.push(() => frames.stop());
  await waitUntil(() => frames.frames > 3, 'camera frames arrive');
  expect([...a.errors, ...b.errors]).toEqual([]);
  await b.mesh.leave();
  await a.mesh.leave();
  await waitUntil(() => webrtc.open() === 0, 'no peer connection left open');
  return server;
}

describe('lost offers and answers (in-memory signaling, wrtc peer connections)', () => {
  it('connects with the re-sent offer when the first offer is lost', async () => {
    const server = await connectsWithVideo(dropFirst(1, (s) => s.description?.type === 'offer'));
    expect(server.dropped.offers).toBe(1);
    expect(server.relayed.offers).toBeGreaterThanOrEqual(1);
  });

  it('connects when the first answer is lost: the repeated offer is answered again', async () => {
    const server = await connectsWithVideo(dropFirst(1, (s) => s.description?.type === 'answer'));
    expect(server.dropped.answers).toBe(1);
    expect(server.relayed.answers).toBeGreaterThanOrEqual(1);
    expect(server.relayed.offers).toBeGreaterThanOrEqual(2); // the answerer saw the offer twice
  });

  it('fails a connection whose offers never arrive with NEGOTIATION_FAILED, starts it over, and connects once they do', async () => {
    const { server, meshes, webrtc } = setup(3);
    const [a, b, c] = meshes as [(typeof meshes)[0], (typeof meshes)[0], (typeof meshes)[0]];
    await a.mesh.join({ room: 'r', name: 'A' });
    await b.mesh.join({ room: 'r', name: 'B' });
    const aId = a.mesh.selfId!;
    const bId = b.mesh.selfId!;
    await waitUntil(() => stateOf(a.mesh, bId) === 'connected' && stateOf(b.mesh, aId) === 'connected', 'A and B connected');
    // Every offer from C to A is lost; C to B goes through.
    server.dropSignal = (s) => s.to === aId && s.description?.type === 'offer';
    const failed = waitFor(c.mesh, 'connectionStateChanged', (e) => e.participant.id === aId && e.state === 'failed');
    await c.mesh.join({ room: 'r', name: 'C' });
    await failed;
    const cId = c.mesh.selfId!;
    expect(c.errors.map((e) => [e.code, e.peerId])).toEqual([['NEGOTIATION_FAILED', aId]]);
    expect(server.dropped.offers).toBe(3); // the first offer and two re-sends
    // A stays in C's roster, at 'failed' for now; everything else is unaffected.
    expect(stateOf(c.mesh, aId)).toBe('failed');
    await waitUntil(() => stateOf(c.mesh, bId) === 'connected' && stateOf(b.mesh, cId) === 'connected', 'B and C connected');
    // The path heals: C starts the connection to A over (after a second) and it connects.
    server.dropSignal = null;
    await waitUntil(() => stateOf(c.mesh, aId) === 'connected' && stateOf(a.mesh, cId) === 'connected', 'C and A connected on the retry');
    expect(c.errors).toHaveLength(1);
    expect(stateOf(a.mesh, bId)).toBe('connected');
    expect([...a.errors, ...b.errors]).toEqual([]);
    for (const { mesh } of meshes) await mesh.leave();
    await waitUntil(() => webrtc.open() === 0, 'no peer connection left open');
  });
});
