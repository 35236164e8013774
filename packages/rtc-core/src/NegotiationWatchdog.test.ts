import wrtc from '@roamhq/wrtc';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitUntil } from '../test-utils/index.ts';
import type { MeshError } from './errors.ts';
import { silentLogger } from './logger.ts';
import { NegotiationWatchdog } from './NegotiationWatchdog.ts';
import { PeerLink, type OutgoingSignal } from './PeerLink.ts';
import type { WebRtcImplementation } from './webrtc.ts';

const webrtc = wrtc as unknown as WebRtcImplementation;
const cleanups: Array<() => void> = [];
afterEach(() => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('NegotiationWatchdog', () => {
  it('asks for a re-send per timeout, then to give up, and stops once settled', () => {
    vi.useFakeTimers();
    const calls: boolean[] = [];
    const watchdog = new NegotiationWatchdog((giveUp) => {
      calls.push(giveUp);
      if (!giveUp) watchdog.resent();
    }, { timeoutMs: 100, maxResends: 2 });
    watchdog.offerSent();
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual([false, false, true]);
    expect(watchdog.pending).toBe(false);

    const settled = new NegotiationWatchdog(() => calls.push(true), { timeoutMs: 100, maxResends: 2 });
    settled.offerSent();
    settled.settle();
    settled.resent(); // a late re-send after the answer must not start anything
    expect(settled.pending).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('watches every offer afresh, and pauses while the channel is down', () => {
    vi.useFakeTimers();
    const calls: boolean[] = [];
    const watchdog = new NegotiationWatchdog((giveUp) => calls.push(giveUp), { timeoutMs: 100, maxResends: 1 });
    watchdog.offerSent();
    vi.advanceTimersByTime(100);
    watchdog.settle();
    watchdog.offerSent(); // a later offer (an ICE restart) gets its own re-sends
    vi.advanceTimersByTime(100);
    expect(calls).toEqual([false, false]);
    watchdog.pause(true);
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual([false, false]); // nothing could be re-sent meanwhile
    watchdog.pause(false);
    vi.advanceTimersByTime(99);
    expect(calls).toEqual([false, false]); // a fresh wait once the channel is back
    vi.advanceTimersByTime(1);
    expect(calls).toEqual([false, false, true]);
  });

  it('does nothing with a timeout of 0', () => {
    vi.useFakeTimers();
    const watchdog = new NegotiationWatchdog(() => {}, { timeoutMs: 0, maxResends: 2 });
    watchdog.offerSent();
    expect(vi.getTimerCount()).toBe(0);
  });
});

function link(role: 'offerer' | 'answerer', send: (signal: OutgoingSignal) => void, negotiationTimeoutMs = 300): PeerLink {
  const l = new PeerLink({
    remoteId: role === 'offerer' ? 'b' : 'a',
    polite: role === 'offerer',
    role,
    webrtc,
    configuration: { iceServers: [] },
    localTracks: { mic: null, camera: null, screen: null },
    send,
    log: silentLogger,
    logContext: {},
    negotiationTimeoutMs,
  });
  cleanups.push(() => l.close());
  return l;
}

const offersIn = (signals: OutgoingSignal[]) => signals.filter((s) => 'description' in s && s.description.type === 'offer').length;

describe('PeerLink negotiation watchdog (wrtc)', () => {
  it('re-sends the unanswered first offer unchanged, then fails the link with NEGOTIATION_FAILED', async () => {
    const sent: OutgoingSignal[] = [];
    const offerer = link('offerer', (s) => sent.push(s));
    const errors: Array<[MeshError, boolean]> = [];
    offerer.on('error', (error, fatal) => errors.push([error, fatal]));
    await waitUntil(() => errors.length > 0, 'the offerer gives up');
    expect(errors.map(([e, fatal]) => [e.code, e.peerId, fatal])).toEqual([['NEGOTIATION_FAILED', 'b', true]]);
    const offers = sent.flatMap((s) => ('description' in s ? [s.description.sdp] : []));
    expect(offers).toHaveLength(3); // the first and two re-sends
    expect(new Set(offers).size).toBe(1);
    // Candidates went out again with each re-send.
    expect(sent.filter((s) => 'candidate' in s && s.candidate === null).length).toBeGreaterThanOrEqual(2);
  });

  it('answers a repeated offer again and connects with the second answer', async () => {
    const toAnswerer: OutgoingSignal[] = [];
    const answers: OutgoingSignal[] = [];
    const offerer = link('offerer', (s) => toAnswerer.push(s));
    const answerer = link('answerer', (s) => answers.push(s));
    const errors: MeshError[] = [];
    answerer.on('error', (e) => errors.push(e));
    offerer.on('error', (e) => errors.push(e));
    const deliver = (to: PeerLink, s: OutgoingSignal) => ('description' in s ? to.handleDescription(s.description) : to.handleCandidate(s.candidate));
    // The first offer arrives; its answer and the answerer's candidates are lost.
    await waitUntil(() => offersIn(toAnswerer) === 1, 'the first offer');
    for (const s of toAnswerer.splice(0)) deliver(answerer, s);
    await waitUntil(() => answers.some((s) => 'candidate' in s && s.candidate === null), 'the answerer gathers');
    const firstAnswers = answers.splice(0).filter((s) => 'description' in s).length;
    expect(firstAnswers).toBe(1);
    // The watchdog re-sends the same offer; the answerer, already stable, answers it again.
    await waitUntil(() => offersIn(toAnswerer) === 1, 'the offer is sent again');
    for (const s of toAnswerer.splice(0)) deliver(answerer, s);
    await waitUntil(() => answers.some((s) => 'description' in s && s.description.type === 'answer'), 'a second answer');
    await waitUntil(() => answers.some((s) => 'candidate' in s && s.candidate !== null), 'candidates with it');
    for (const s of answers.splice(0)) deliver(offerer, s);
    await waitUntil(() => offerer.connectionState === 'connected' && answerer.connectionState === 'connected', 'both connected');
    expect(errors).toEqual([]);
  });

  it('stops its watchdog when closed', async () => {
    const sent: OutgoingSignal[] = [];
    const offerer = link('offerer', (s) => sent.push(s), 100);
    const errors: MeshError[] = [];
    offerer.on('error', (e) => errors.push(e));
    await waitUntil(() => offersIn(sent) === 1, 'the first offer');
    offerer.close();
    await new Promise((r) => setTimeout(r, 600)); // past several timeouts
    expect(offersIn(sent)).toBe(1);
    expect(errors).toEqual([]);
  });
});
