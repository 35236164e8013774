import wrtc from '@roamhq/wrtc';
import { afterEach, describe, expect, it } from 'vitest';
import { countFrames, countingWebRtc, createSyntheticVideo, MemorySignalingServer, waitFor, waitUntil, type WrtcNonstandard } from '../test-utils/index.ts';
import { Mesh } from './Mesh.ts';
import type { PeerLink } from './PeerLink.ts';
import { iceUfrag } from './sdp.ts';
import type { MeshEvents } from './types.ts';
import type { WebRtcImplementation } from './webrtc.ts';

// The signaling transport goes away and comes back (in-memory server, real wrtc connections):
// the membership resumes, and no connection is touched.

const nonstandard = wrtc.nonstandard as unknown as WrtcNonstandard;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Recorded = Array<[keyof MeshEvents, string]>;

function record(mesh: Mesh): Recorded {
  const seen: Recorded = [];
  mesh.on('participantJoined', (p) => seen.push(['participantJoined', p.id]));
  mesh.on('participantLeft', (p) => seen.push(['participantLeft', p.id]));
  mesh.on('selfIdChanged', (id) => seen.push(['selfIdChanged', id]));
  mesh.on('signalingStateChanged', (state) => seen.push(['signalingStateChanged', state]));
  return seen;
}

async function pair(options: { maxPeersPerRoom?: number; graceMs?: number } = {}) {
  const server = new MemorySignalingServer(options);
  const webrtc = countingWebRtc(wrtc as unknown as WebRtcImplementation);
  const make = () => {
    const signaling = server.connect();
    const mesh = new Mesh({ signaling, webrtc });
    cleanups.push(() => mesh.leave(), () => signaling.close());
    return { mesh, signaling, events: record(mesh) };
  };
  const a = make();
  const b = make();
  const video = createSyntheticVideo(nonstandard);
  cleanups.push(() => video.stop());
  await a.mesh.setLocalTrack('camera', video.track);
  await a.mesh.join({ room: 'r', name: 'A' });
  const camera = waitFor(b.mesh, 'trackAdded', (e) => e.source === 'camera');
  await b.mesh.join({ room: 'r', name: 'B' });
  const [{ track }] = await camera;
  const frames = countFrames(nonstandard, track);
  cleanups.push(() => frames.stop());
  await waitUntil(() => frames.frames > 3, 'camera frames arrive');
  return { server, webrtc, a, b, frames, make };
}

const linkOf = (mesh: Mesh, peerId: string) => (mesh.participants.get(peerId) as unknown as { link: PeerLink }).link;

describe('resume after a signaling loss (in-memory server, wrtc)', () => {
  it('a brief loss: same id, same connection, video never stops, nobody leaves (kept)', async () => {
    const { a, b, frames, webrtc } = await pair();
    const [aId, bId] = [a.mesh.selfId!, b.mesh.selfId!];
    const pc = linkOf(b.mesh, aId).pc;
    a.events.length = 0;
    b.events.length = 0;
    b.signaling.disconnectTransport();
    await waitUntil(() => b.events.some(([, v]) => v === 'reconnecting'), 'B notices');
    const during = frames.frames;
    await waitUntil(() => frames.frames > during + 5, 'video flows while the server is away');
    expect(b.mesh.participants.get(aId)?.connectionState).toBe('connected');
    b.signaling.reconnectTransport();
    await waitUntil(() => b.events.some(([, v]) => v === 'connected'), 'B resumes');
    expect(b.mesh.selfId).toBe(bId);
    expect(linkOf(b.mesh, aId).pc).toBe(pc);
    expect(b.events).toEqual([['signalingStateChanged', 'reconnecting'], ['signalingStateChanged', 'connected']]);
    expect(a.events).toEqual([]);
    expect(webrtc.open()).toBe(2);
  });

  it('an ICE restart asked for while the channel is down waits for it, then completes', async () => {
    const { a, b } = await pair();
    const link = linkOf(b.mesh, a.mesh.selfId!);
    const before = iceUfrag(link.pc.remoteDescription?.sdp ?? '');
    b.signaling.disconnectTransport();
    await waitUntil(() => b.events.some(([, v]) => v === 'reconnecting'), 'B notices');
    b.mesh.restartIce();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(link.negotiation.phase).toBe('stable'); // nothing offered into the void
    b.signaling.reconnectTransport();
    await waitUntil(() => iceUfrag(link.pc.remoteDescription?.sdp ?? '') !== before && link.negotiation.phase === 'stable', 'the restart completes after the resume');
    expect(link.connectionState).toBe('connected');
  });

  it('the server restarts and forgets the room: both resume as themselves with their connections (restored)', async () => {
    const { server, a, b, frames, webrtc } = await pair();
    const [aId, bId] = [a.mesh.selfId!, b.mesh.selfId!];
    a.events.length = 0;
    b.events.length = 0;
    server.restart();
    await waitUntil(() => [a, b].every((m) => m.events.some(([, v]) => v === 'connected')), 'both resume');
    const seen = frames.frames;
    await waitUntil(() => frames.frames > seen + 5, 'video still flows');
    expect([a.mesh.selfId, b.mesh.selfId]).toEqual([aId, bId]);
    expect([...a.mesh.participants.keys()]).toEqual([bId]);
    expect([...b.mesh.participants.keys()]).toEqual([aId]);
    for (const m of [a, b]) expect(m.events.filter(([e]) => e === 'participantLeft' || e === 'participantJoined' || e === 'selfIdChanged')).toEqual([]);
    expect(webrtc.open()).toBe(2);
  });

  it('away past the grace period: the others see it leave; it joins afresh with a new id (refused)', async () => {
    const { a, b } = await pair({ graceMs: 300 });
    const [aId, bId] = [a.mesh.selfId!, b.mesh.selfId!];
    b.signaling.disconnectTransport();
    await waitFor(a.mesh, 'participantLeft', (p) => p.id === bId);
    const aSeesNew = waitFor(a.mesh, 'participantJoined', (p) => p.id !== bId);
    const changed = waitFor(b.mesh, 'selfIdChanged');
    b.signaling.reconnectTransport();
    const [newId] = await changed;
    expect(newId).not.toBe(bId);
    expect(b.events).toContainEqual(['participantLeft', aId]); // the old connection went with the old id
    await aSeesNew;
    await waitUntil(() => a.mesh.participants.get(newId)?.connectionState === 'connected' && b.mesh.participants.get(aId)?.connectionState === 'connected', 'connected anew');
  });

  it('a peer that joined while it was away is connected the usual way', async () => {
    const { a, b, make } = await pair();
    b.signaling.disconnectTransport();
    await waitUntil(() => b.events.some(([, v]) => v === 'reconnecting'), 'B notices');
    const c = make();
    await c.mesh.join({ room: 'r', name: 'C' });
    const cId = c.mesh.selfId!;
    b.signaling.reconnectTransport();
    await waitUntil(
      () => b.mesh.participants.get(cId)?.connectionState === 'connected' && c.mesh.participants.get(b.mesh.selfId!)?.connectionState === 'connected',
      'B and C connected after the resume',
    );
    expect(a.mesh.participants.get(cId)?.connectionState).toBe('connected');
  });

  it('when the room filled up after its grace ran out, reports ROOM_FULL and leaves for good', async () => {
    const { a, b, make } = await pair({ maxPeersPerRoom: 2, graceMs: 200 });
    b.signaling.disconnectTransport();
    await waitFor(a.mesh, 'participantLeft');
    const c = make();
    await c.mesh.join({ room: 'r', name: 'C' });
    const errors: string[] = [];
    b.mesh.on('error', (e) => errors.push(e.code));
    b.signaling.reconnectTransport();
    await waitUntil(() => b.events.some(([, v]) => v === 'disconnected'), 'B gives up on the room');
    expect(errors).toEqual(['ROOM_FULL']);
    expect(b.mesh.room).toBeNull();
    expect(b.mesh.participants.size).toBe(0);
  });
});
