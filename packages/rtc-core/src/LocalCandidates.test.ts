import type { IceCandidate } from '@meshmeet/protocol';
import { describe, expect, it } from 'vitest';
import { LocalCandidates } from './LocalCandidates.ts';

const udp = 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0';
const tcp = 'candidate:2 1 TCP 1518280447 127.0.0.1 9 typ host tcptype active generation 0';
// Only the fields toWire reads: a plain object stands in for an RTCIceCandidate.
const local = (candidate: string) => ({ candidate, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'u' }) as RTCIceCandidate;

describe('LocalCandidates', () => {
  it('drops ICE-TCP candidate lines unless they are asked for, never the end of candidates', () => {
    const without = new LocalCandidates(() => {}, undefined);
    expect(without.drops(tcp)).toBe(true);
    expect(without.drops(`a=${tcp}`)).toBe(true);
    expect(without.drops(udp)).toBe(false);
    expect(without.drops('')).toBe(false);
    expect(without.drops(undefined)).toBe(false);
    expect(new LocalCandidates(() => {}, true).drops(tcp)).toBe(false);
  });

  it('sends candidates in wire form and sends the same again on resend, until it forgets them', () => {
    const sent: Array<IceCandidate | null> = [];
    const candidates = new LocalCandidates((c) => sent.push(c), false);
    candidates.send(local(udp));
    candidates.send(null);
    expect(sent).toEqual([{ candidate: udp, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'u' }, null]);
    candidates.resend();
    expect(sent.slice(2)).toEqual(sent.slice(0, 2));
    candidates.forget();
    candidates.send(local(udp));
    candidates.resend();
    expect(sent).toHaveLength(5);
  });
});
