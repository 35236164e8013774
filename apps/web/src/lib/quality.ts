/** The part of rtc-core's PeerStats a tile's quality badge reads. */
export interface StatsLike {
  roundTripTimeMs: number | null;
  packetLossPct: number;
  inboundKbps: number;
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
