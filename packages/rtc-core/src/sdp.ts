import { MEDIA_SOURCES, TRANSCEIVER_KINDS, type MediaSource } from '@meshmeet/protocol/checks';

export interface MediaSection {
  kind: string;
  mid: string | null;
}

/** The m-sections of an SDP body, in order, with their kind and `a=mid`. */
export function mediaSections(sdp: string): MediaSection[] {
  const sections: MediaSection[] = [];
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('m=')) {
      sections.push({ kind: line.slice(2).split(' ')[0] ?? '', mid: null });
    } else if (line.startsWith('a=mid:')) {
      const current = sections[sections.length - 1];
      if (current) current.mid = line.slice('a=mid:'.length);
    }
  }
  return sections;
}

/**
 * Maps each source to the mid of its m-line, following the protocol's fixed layout (m-line 0 mic,
 * 1 camera, 2 screen). Returns null when the offer does not have that layout, so a peer that
 * breaks the convention is refused rather than guessed at.
 */
export function midsBySource(sdp: string): Record<MediaSource, string> | null {
  const sections = mediaSections(sdp);
  if (sections.length < MEDIA_SOURCES.length) return null;
  const result: Partial<Record<MediaSource, string>> = {};
  for (const [index, source] of MEDIA_SOURCES.entries()) {
    const section = sections[index];
    if (!section || section.mid === null || section.kind !== TRANSCEIVER_KINDS[source]) return null;
    result[source] = section.mid;
  }
  return result as Record<MediaSource, string>;
}

/** The ICE username fragment of a description (the first one; with bundling they are all equal). */
export function iceUfrag(sdp: string): string | null {
  const match = /^a=ice-ufrag:(\S+)/m.exec(sdp);
  return match?.[1] ?? null;
}

/** The transport of an ICE candidate line (`udp`, `tcp`), lower-case; null when unparsable. */
export function candidateTransport(candidate: string): string | null {
  // candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...
  const transport = candidate.replace(/^a=/, '').split(' ')[2];
  return transport ? transport.toLowerCase() : null;
}

/**
 * The DTLS fingerprint of a description. A new RTCPeerConnection brings a new certificate, so an
 * offer with another fingerprint than the connection's remote description comes from a new
 * connection on the other side (it started over), not from a renegotiation.
 */
export function dtlsFingerprint(sdp: string): string | null {
  const match = /^a=fingerprint:(.+?)\s*$/m.exec(sdp);
  return match?.[1]?.toLowerCase() ?? null;
}
