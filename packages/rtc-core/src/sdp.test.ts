import { describe, expect, it } from 'vitest';
import { candidateTransport, iceUfrag, mediaSections, midsBySource } from './sdp.ts';

const sdp = (sections: Array<[string, string | null]>) =>
  ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1 2']
    .concat(sections.flatMap(([kind, mid]) => [`m=${kind} 9 UDP/TLS/RTP/SAVPF 111`, 'c=IN IP4 0.0.0.0', 'a=ice-ufrag:abcd', ...(mid === null ? [] : [`a=mid:${mid}`])]))
    .join('\r\n');

describe('sdp helpers', () => {
  it('lists m-sections with kind and mid in order', () => {
    expect(mediaSections(sdp([['audio', '0'], ['video', '1']]))).toEqual([
      { kind: 'audio', mid: '0' },
      { kind: 'video', mid: '1' },
    ]);
  });

  it('maps mic, camera, screen to the mids of m-lines 0, 1, 2, whatever the mid values', () => {
    expect(midsBySource(sdp([['audio', 'a'], ['video', 'v1'], ['video', 'v2']]))).toEqual({ mic: 'a', camera: 'v1', screen: 'v2' });
  });

  it('refuses offers that break the layout instead of guessing', () => {
    expect(midsBySource(sdp([['audio', '0'], ['video', '1']]))).toBeNull();
    expect(midsBySource(sdp([['video', '0'], ['audio', '1'], ['video', '2']]))).toBeNull();
    expect(midsBySource(sdp([['audio', '0'], ['video', null], ['video', '2']]))).toBeNull();
    expect(midsBySource('')).toBeNull();
  });

  it('reads the ICE username fragment', () => {
    expect(iceUfrag(sdp([['audio', '0']]))).toBe('abcd');
    expect(iceUfrag('v=0')).toBeNull();
  });

  it('reads the transport of a candidate line', () => {
    expect(candidateTransport('candidate:1510613869 1 udp 2122063615 127.0.0.1 35200 typ host generation 0')).toBe('udp');
    expect(candidateTransport('candidate:344579997 1 TCP 1518083839 127.0.0.1 42553 typ host tcptype passive')).toBe('tcp');
    expect(candidateTransport('a=candidate:1 1 udp 1 10.0.0.1 9 typ relay raddr 1.2.3.4 rport 5')).toBe('udp');
    expect(candidateTransport('')).toBeNull();
  });
});
