import wrtc from '@roamhq/wrtc';
import { afterEach, describe, expect, it } from 'vitest';
import { createSyntheticVideo, waitUntil, type WrtcNonstandard } from '../test-utils/index.ts';
import type { MeshError } from './errors.ts';
import { silentLogger } from './logger.ts';
import { PeerLink, type OutgoingSignal, type PeerLinkOptions } from './PeerLink.ts';
import type { WebRtcImplementation } from './webrtc.ts';

const webrtc = wrtc as unknown as WebRtcImplementation;
const nonstandard = wrtc.nonstandard as unknown as WrtcNonstandard;
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function link(role: 'offerer' | 'answerer', sent: OutgoingSignal[], extra: Partial<PeerLinkOptions> = {}): PeerLink {
  const l = new PeerLink({
    remoteId: role === 'offerer' ? 'b' : 'a',
    polite: role === 'offerer',
    role,
    webrtc,
    configuration: { iceServers: [] },
    localTracks: { mic: null, camera: null, screen: null },
    send: (signal) => sent.push(signal),
    log: silentLogger,
    logContext: {},
    ...extra,
  });
  cleanups.push(() => l.close());
  return l;
}

const descriptions = (signals: OutgoingSignal[]) => signals.flatMap((s) => ('description' in s ? [s.description] : []));
const candidates = (signals: OutgoingSignal[]) => signals.flatMap((s) => ('candidate' in s ? [s.candidate] : []));

describe('PeerLink', () => {
  it('offers three sendrecv transceivers (audio, video, video) in that order', async () => {
    const sent: OutgoingSignal[] = [];
    link('offerer', sent);
    await waitUntil(() => descriptions(sent).length === 1, 'an offer is sent');
    const offer = descriptions(sent)[0]!;
    expect(offer.type).toBe('offer');
    const mLines = offer.sdp.split('\r\n').filter((l) => l.startsWith('m='));
    expect(mLines.map((l) => l.split(' ')[0])).toEqual(['m=audio', 'm=video', 'm=video']);
    expect(offer.sdp.match(/a=sendrecv/g)).toHaveLength(3);
  });

  it('sends candidates only after the description they belong to', async () => {
    const sent: OutgoingSignal[] = [];
    link('offerer', sent);
    await waitUntil(() => candidates(sent).includes(null), 'gathering completes (null candidate sent)');
    expect('description' in sent[0]!).toBe(true);
  });

  it('exchanges no ICE-TCP candidates unless asked to', async () => {
    const transports = async (tcpCandidates: boolean) => {
      const sent: OutgoingSignal[] = [];
      link('offerer', sent, { tcpCandidates });
      await waitUntil(() => candidates(sent).includes(null), 'gathering completes');
      return candidates(sent).flatMap((c) => (c ? [c.candidate.split(' ')[2]] : []));
    };
    expect(await transports(true)).toContain('tcp');
    const without = await transports(false);
    expect(without).not.toContain('tcp');
    expect(without).toContain('udp');
  });

  it('the answerer adopts the offered transceivers, puts its tracks on them, and both connect with candidates queued early', async () => {
    const toAnswerer: OutgoingSignal[] = [];
    const toOfferer: OutgoingSignal[] = [];
    const camera = createSyntheticVideo(nonstandard);
    cleanups.push(() => camera.stop());
    const offerer = link('offerer', toAnswerer);
    const answerer = link('answerer', toOfferer, { localTracks: { mic: null, camera: camera.track, screen: null } });
    await waitUntil(() => candidates(toAnswerer).includes(null), 'offerer done gathering');
    // Candidates first, then the offer: the answerer must hold them until it has the offer.
    for (const c of candidates(toAnswerer)) answerer.handleCandidate(c);
    answerer.handleDescription(descriptions(toAnswerer)[0]!);
    await waitUntil(() => candidates(toOfferer).includes(null), 'answerer done gathering');
    for (const c of candidates(toOfferer)) offerer.handleCandidate(c);
    offerer.handleDescription(descriptions(toOfferer)[0]!);
    await waitUntil(() => offerer.connectionState === 'connected' && answerer.connectionState === 'connected', 'both connected');
    expect(answerer.transceiver('camera')?.direction).toBe('sendrecv');
    expect(answerer.transceiver('camera')?.sender.track).toBe(camera.track);
    expect(answerer.transceiver('mic')?.receiver.track.kind).toBe('audio');
    await waitUntil(() => offerer.received('camera') !== null, 'the offerer gets the camera track');
    expect(offerer.received('camera')?.stream.getVideoTracks()).toEqual([offerer.received('camera')?.track]);
  });

  it('refuses an offer that does not have the audio, camera, screen layout, as a fatal error', async () => {
    const pc = new webrtc.RTCPeerConnection();
    cleanups.push(() => pc.close());
    pc.addTransceiver('video');
    const offer = await pc.createOffer();
    const errors: Array<[MeshError, boolean]> = [];
    const answerer = link('answerer', []);
    answerer.on('error', (error, fatal) => errors.push([error, fatal]));
    answerer.handleDescription({ type: 'offer', sdp: offer.sdp! });
    await waitUntil(() => errors.length > 0, 'an error is reported');
    expect(errors[0]![0].code).toBe('NEGOTIATION_FAILED');
    expect(errors[0]![1]).toBe(true);
  });

  it('closes its connection and ignores anything after close', async () => {
    const sent: OutgoingSignal[] = [];
    const l = link('offerer', sent);
    l.close();
    l.close();
    expect(l.pc.connectionState).toBe('closed');
    expect(l.connectionState).toBe('closed');
    l.handleCandidate(null);
    l.restartIce();
    await l.setLocalTrack('camera', null);
    expect(l.listenerCount()).toBe(0);
  });
});
