import type { LinkPath } from '@meshmeet/rtc-core';

/** The part of rtc-core's PeerStats a tile's quality badge reads. */
export interface StatsLike {
  roundTripTimeMs: number | null;
  packetLossPct: number;
  inboundKbps: number;
  path?: LinkPath | null;
}

export type Quality = 'good' | 'fair' | 'poor';

/**
 * A three-level link quality from loss and round-trip time, in the spirit of the bars other
 * conferencing apps show: loss hurts most, delay beyond a few hundred ms is felt in conversation.
 */
export function qualityOf(stats: StatsLike): Quality {
  const rtt = stats.roundTripTimeMs ?? 0;
  if (stats.packetLossPct >= 8 || rtt >= 600) return 'poor';
  if (stats.packetLossPct >= 2 || rtt >= 300) return 'fair';
  return 'good';
}

/** The tooltip with the figures behind the badge. */
export function qualityDetail(stats: StatsLike): string {
  const parts = [];
  if (stats.roundTripTimeMs !== null) parts.push(`${Math.round(stats.roundTripTimeMs)} ms round trip`);
  parts.push(`${stats.packetLossPct.toFixed(1)}% loss`);
  parts.push(`${Math.round(stats.inboundKbps)} kbps in`);
  return parts.join(' · ');
}

/**
 * How the link is connected, in words: "Direct · UDP · 3 ms", or "Relayed (TURN/TCP) · 40 ms"
 * when either end's candidate is a relay (the protocol named is how we reach our TURN server; a
 * relay on the peer's side only is just "TURN"). Empty while no pair is selected.
 */
export function pathLabel(path: LinkPath | null | undefined): string {
  if (!path) return '';
  const relayed = path.local === 'relay' || path.remote === 'relay';
  const parts = [relayed ? `Relayed (TURN${path.relayProtocol ? `/${path.relayProtocol.toUpperCase()}` : ''})` : `Direct · ${path.protocol.toUpperCase()}`];
  if (path.rttMs !== null) parts.push(`${Math.round(path.rttMs)} ms`);
  return parts.join(' · ');
}
