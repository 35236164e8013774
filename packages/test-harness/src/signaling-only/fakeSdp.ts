/**
 * Stand-ins for what a browser or wrtc peer sends through signaling, sized like the real thing:
 * measured with @roamhq/wrtc 0.10 for the protocol's three transceivers (audio, video, video), an
 * offer is about 5.9 KB, an answer about 5.1 KB, and a host candidate line about 100 characters.
 * The server never parses SDP, so only the size and the shape of the message matter.
 */
export const REALISTIC_SIZES = { offerBytes: 5_900, answerBytes: 5_100, candidatesPerSide: 8 } as const;

function token(length: number, seed: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

function mediaSection(kind: 'audio' | 'video', mid: number, seed: number): string[] {
  const payloads = kind === 'audio' ? [111, 63, 9, 0, 8, 13, 110, 126] : [96, 97, 98, 99, 100, 101, 45, 46, 102, 103, 104, 105, 106, 107];
  const codecs = kind === 'audio' ? ['opus/48000/2', 'red/48000/2', 'G722/8000', 'PCMU/8000', 'PCMA/8000', 'CN/8000', 'telephone-event/48000', 'telephone-event/8000'] : ['VP8/90000', 'rtx/90000', 'VP9/90000', 'rtx/90000', 'VP9/90000', 'rtx/90000', 'AV1/90000', 'rtx/90000', 'H264/90000', 'rtx/90000', 'H264/90000', 'rtx/90000', 'red/90000', 'ulpfec/90000'];
  const lines = [
    `m=${kind} 9 UDP/TLS/RTP/SAVPF ${payloads.join(' ')}`,
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    `a=ice-ufrag:${token(4, seed)}`,
    `a=ice-pwd:${token(24, seed + 1)}`,
    'a=ice-options:trickle',
    `a=fingerprint:sha-256 ${Array.from({ length: 32 }, (_, i) => ((seed * 31 + i * 17) & 255).toString(16).padStart(2, '0').toUpperCase()).join(':')}`,
    'a=setup:actpass',
    `a=mid:${mid}`,
    'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
    'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    'a=sendrecv',
    `a=msid:${token(36, seed + 2)} ${token(36, seed + 3)}`,
    'a=rtcp-mux',
  ];
  payloads.forEach((pt, i) => {
    lines.push(`a=rtpmap:${pt} ${codecs[i]}`);
    if (kind === 'video') lines.push(`a=rtcp-fb:${pt} goog-remb`, `a=rtcp-fb:${pt} transport-cc`, `a=rtcp-fb:${pt} ccm fir`, `a=rtcp-fb:${pt} nack`, `a=rtcp-fb:${pt} nack pli`);
  });
  const ssrc = (seed * 7919) >>> 0;
  lines.push(`a=ssrc:${ssrc} cname:${token(16, seed + 4)}`, `a=ssrc:${ssrc} msid:${token(36, seed + 2)} ${token(36, seed + 3)}`);
  return lines;
}

/** An SDP-shaped string of `bytes` characters (ASCII; never longer) with three m-sections. */
export function fakeSdp(type: 'offer' | 'answer', bytes: number, seed = 1): string {
  const lines = [
    'v=0',
    `o=- ${(seed * 104729) >>> 0} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1 2',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS',
    ...mediaSection('audio', 0, seed),
    ...mediaSection('video', 1, seed + 10),
    ...mediaSection('video', 2, seed + 20),
  ];
  if (type === 'answer') lines.forEach((line, i) => (lines[i] = line === 'a=setup:actpass' ? 'a=setup:active' : line));
  let sdp = lines.join('\r\n') + '\r\n';
  // Pad (or cut) to the measured size with one more attribute line, keeping the CRLF ending.
  if (sdp.length + 12 < bytes) sdp += `a=x-pad:${'x'.repeat(bytes - sdp.length - 10)}\r\n`;
  return sdp.length > bytes ? sdp.slice(0, bytes - 2) + '\r\n' : sdp;
}

/** A host candidate line like those wrtc gathers on this machine (about 100 characters). */
export function fakeCandidate(index: number, ufrag: string): { candidate: string; sdpMid: string; sdpMLineIndex: number; usernameFragment: string } {
  const foundation = (2_000_000_000 + index * 7_654_321) >>> 0;
  const port = 40_000 + ((index * 7_919) % 20_000);
  const address = index % 2 === 0 ? '192.0.2.2' : 'fd00::2';
  return {
    candidate: `candidate:${foundation} 1 udp ${2_122_260_223 - index} ${address} ${port} typ host generation 0 ufrag ${ufrag} network-id ${1 + (index % 4)}`,
    sdpMid: '0',
    sdpMLineIndex: 0,
    usernameFragment: ufrag,
  };
}
