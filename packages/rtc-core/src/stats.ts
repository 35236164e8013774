import type { LinkPath, PeerStats } from './types.ts';

/** The cumulative counters a summary is computed from; kept between samples for bitrates. */
export interface StatsSample {
  timestamp: number;
  bytesReceived: number;
  bytesSent: number;
  framesDecoded: number;
}

type Entry = Record<string, unknown> & { type: string; id: string };

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * Summarises one connection's getStats() report: bitrates come from the difference with the
 * previous sample (0 on the first call), loss from inbound RTP counters, the round trip and the
 * path from the selected candidate pair: the transport's selectedCandidatePairId, else a pair
 * marked `selected` (older Chromium), else the nominated succeeded one (implementations differ).
 */
export function summarizeStats(
  peerId: string,
  report: RTCStatsReport,
  previous: StatsSample | undefined,
  now: number = Date.now(),
): { stats: PeerStats; sample: StatsSample } {
  let bytesReceived = 0;
  let bytesSent = 0;
  let packetsReceived = 0;
  let packetsLost = 0;
  let framesDecoded = 0;
  let audioPacketsReceived = 0;
  let framesPerSecond: number | null = null;
  let rtt: number | null = null;
  let selectedPairId: string | null = null;
  const pairs: Entry[] = [];

  report.forEach((value: unknown) => {
    const entry = value as Entry;
    switch (entry.type) {
      case 'inbound-rtp':
        bytesReceived += num(entry.bytesReceived);
        packetsReceived += num(entry.packetsReceived);
        packetsLost += Math.max(0, num(entry.packetsLost));
        if (entry.kind === 'audio') audioPacketsReceived += num(entry.packetsReceived);
        if (entry.kind === 'video') {
          framesDecoded += num(entry.framesDecoded);
          if (typeof entry.framesPerSecond === 'number') framesPerSecond = Math.max(framesPerSecond ?? 0, entry.framesPerSecond);
        }
        break;
      case 'outbound-rtp':
        bytesSent += num(entry.bytesSent);
        break;
      case 'transport':
        if (typeof entry.selectedCandidatePairId === 'string') selectedPairId = entry.selectedCandidatePairId;
        break;
      case 'candidate-pair':
        pairs.push(entry);
        break;
      default:
        break;
    }
  });

  const pair = pairs.find((p) => p.id === selectedPairId) ?? pairs.find((p) => p.selected) ?? pairs.find((p) => p.nominated && p.state === 'succeeded');
  let path: LinkPath | null = null;
  if (pair) {
    if (typeof pair.currentRoundTripTime === 'number') rtt = pair.currentRoundTripTime * 1000;
    // RTCStatsReport.get is typed `any`: the candidate entries' fields are the spec's strings.
    const local = report.get(pair.localCandidateId as string);
    const remote = report.get(pair.remoteCandidateId as string);
    // relayProtocol exists on local relay candidates only (else undefined, which JSON drops).
    if (local && remote) path = { local: local.candidateType, remote: remote.candidateType, protocol: local.protocol, relayProtocol: local.relayProtocol, rttMs: rtt };
  }

  const seconds = previous ? (now - previous.timestamp) / 1000 : 0;
  const kbps = (bytes: number, before: number | undefined): number =>
    seconds > 0 && before !== undefined ? Math.max(0, ((bytes - before) * 8) / 1000 / seconds) : 0;

  // Some implementations (wrtc) report no framesPerSecond: derive it from decoded frames.
  if (framesPerSecond === null && previous && seconds > 0 && framesDecoded >= previous.framesDecoded) {
    framesPerSecond = (framesDecoded - previous.framesDecoded) / seconds;
  }
  const total = packetsReceived + packetsLost;
  return {
    stats: {
      peerId,
      roundTripTimeMs: rtt,
      path,
      inboundKbps: kbps(bytesReceived, previous?.bytesReceived),
      outboundKbps: kbps(bytesSent, previous?.bytesSent),
      packetLossPct: total > 0 ? (packetsLost / total) * 100 : 0,
      framesPerSecond,
      framesDecoded,
      audioPacketsReceived,
      timestamp: now,
    },
    sample: { timestamp: now, bytesReceived, bytesSent, framesDecoded },
  };
}

/** Keeps each peer's previous sample so that successive summaries can report bitrates. */
export class StatsCollector {
  readonly #samples = new Map<string, StatsSample>();

  async collect(peers: ReadonlyArray<{ id: string; getStats(): Promise<RTCStatsReport> }>, onError: (peerId: string, error: unknown) => void): Promise<Map<string, PeerStats>> {
    const result = new Map<string, PeerStats>();
    await Promise.all(
      peers.map(async (peer) => {
        try {
          const { stats, sample } = summarizeStats(peer.id, await peer.getStats(), this.#samples.get(peer.id));
          this.#samples.set(peer.id, sample);
          result.set(peer.id, stats);
        } catch (error) {
          onError(peer.id, error);
        }
      }),
    );
    return result;
  }

  forget(peerId: string): void {
    this.#samples.delete(peerId);
  }
}
