import wrtc from '@roamhq/wrtc';
import type { LinkMessage } from '@meshmeet/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../test-utils/index.ts';
import { silentLogger } from './logger.ts';
import { PeerLink, type OutgoingSignal } from './PeerLink.ts';
import { mediaSections } from './sdp.ts';
import type { WebRtcImplementation } from './webrtc.ts';

const webrtc = wrtc as unknown as WebRtcImplementation;
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Two links wired to each other directly (no server), the way the mesh would. */
function pair(offererData: boolean, answererData: boolean) {
  const offers: string[] = [];
  let offerer: PeerLink;
  let answerer: PeerLink;
  const to = (target: () => PeerLink) => (s: OutgoingSignal) => {
    if ('description' in s) {
      if (s.description.type === 'offer') offers.push(s.description.sdp);
      target().handleDescription(s.description);
    } else target().handleCandidate(s.candidate);
  };
  const common = { webrtc, configuration: { iceServers: [] }, localTracks: { mic: null, camera: null, screen: null }, log: silentLogger, logContext: {} };
  offerer = new PeerLink({ ...common, remoteId: 'b', polite: true, role: 'offerer', send: to(() => answerer), data: offererData });
  answerer = new PeerLink({ ...common, remoteId: 'a', polite: false, role: 'answerer', send: to(() => offerer), data: answererData });
  cleanups.push(() => offerer.close(), () => answerer.close());
  return { offerer, answerer, offers };
}

describe('the link data channel (wrtc)', () => {
  it('is negotiated in the first offer after the three media m-lines, and carries messages both ways', async () => {
    const { offerer, answerer, offers } = pair(true, true);
    const got: Array<[string, LinkMessage]> = [];
    offerer.on('data', (m) => got.push(['offerer', m]));
    answerer.on('data', (m) => got.push(['answerer', m]));
    await waitUntil(() => offerer.dataOpen && answerer.dataOpen, 'both channels open');
    expect(mediaSections(offers[0]!).map((s) => s.kind)).toEqual(['audio', 'video', 'video', 'application']);
    expect(offerer.sendData({ t: 'chat', id: 'm1', text: '<b>hi</b>', sentAt: 1 })).toBe(true);
    expect(answerer.sendData({ t: 'hand', raisedAt: 5 })).toBe(true);
    await waitUntil(() => got.length === 2, 'both messages arrive');
    expect(got).toContainEqual(['answerer', { t: 'chat', id: 'm1', text: '<b>hi</b>', sentAt: 1 }]);
    expect(got).toContainEqual(['offerer', { t: 'hand', raisedAt: 5 }]);
  });

  it('without the capability the layout stays three transceivers and nothing can be sent', async () => {
    const { offerer, answerer, offers } = pair(false, true);
    await waitUntil(() => offerer.connectionState === 'connected' && answerer.connectionState === 'connected', 'connected');
    expect(mediaSections(offers[0]!).map((s) => s.kind)).toEqual(['audio', 'video', 'video']);
    expect(offerer.sendData({ t: 'react', emoji: '👍' })).toBe(false);
    expect(answerer.dataOpen).toBe(false);
  });
});
