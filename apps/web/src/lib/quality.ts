import type { LinkPath, RecentStats } from '@meshmeet/rtc-core';

/** The part of rtc-core's PeerStats a tile's quality badge reads. */
export interface StatsLike {
  roundTripTimeMs: number | null;
  packetLossPct: number;
  inboundKbps: number;
  path?: LinkPath | null;
  /** The last few seconds: what the badge follows (the lifetime loss would lag behind the network). */
  recent: Pick<RecentStats, 'lossPct' | 'rttMs' | 'jitterMs'>;
}

export type Quality = 'good' | 'fair' | 'poor';

interface Limits {
  lossPct: number;
  rttMs: number;
}

/**
 * Recent loss or round trip at or above `enter` raises the level; it comes down only once both
 * are below `leave`, so a link hovering at a threshold does not make the badge flap. Loss hurts
 * most (concealment is heard from a few percent); delay past a few hundred ms is felt in
 * conversation (ITU-T G.114 puts the comfortable one-way limit at 150 ms).
 */
export const QUALITY_LIMITS: Record<'poor' | 'fair', { enter: Limits; leave: Limits }> = {
  poor: { enter: { lossPct: 5, rttMs: 400 }, leave: { lossPct: 3, rttMs: 300 } },
  fair: { enter: { lossPct: 2, rttMs: 250 }, leave: { lossPct: 1, rttMs: 200 } },
};

/**
 * A three-level link quality from the recent window's loss and round trip (rtc-core's
 * `PeerStats.recent`, the last 5 s of samples). `previous` is the level shown before this sample,
 * for the hysteresis; without it the entry thresholds alone decide. With stats every 2 s, a 10%
 * loss shows within about 3 s and clears within about 6 s of the path recovering.
 */
export function qualityOf(stats: StatsLike, previous: Quality = 'good'): Quality {
  const loss = stats.recent.lossPct;
  const rtt = stats.recent.rttMs ?? stats.roundTripTimeMs ?? 0;
  const over = (limits: Limits): boolean => loss >= limits.lossPct || rtt >= limits.rttMs;
  if (over(QUALITY_LIMITS.poor.enter) || (previous === 'poor' && over(QUALITY_LIMITS.poor.leave))) return 'poor';
  if (over(QUALITY_LIMITS.fair.enter) || (previous !== 'good' && over(QUALITY_LIMITS.fair.leave))) return 'fair';
  return 'good';
}

/** The tooltip with the figures behind the badge (the recent ones). */
export function qualityDetail(stats: StatsLike): string {
  const parts = [];
  const rtt = stats.recent.rttMs ?? stats.roundTripTimeMs;
  if (rtt !== null) parts.push(`${Math.round(rtt)} ms round trip`);
  parts.push(`${stats.recent.lossPct.toFixed(1)}% loss`);
  if (stats.recent.jitterMs !== null) parts.push(`${Math.round(stats.recent.jitterMs)} ms jitter`);
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
