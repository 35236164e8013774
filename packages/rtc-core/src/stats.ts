import type { LinkPath, PeerStats, RecentStats } from './types.ts';

/**
 * The counters of one report, kept between samples for the rates and the recent window. Short
 * names because property names survive minification and rtc-core has a size budget.
 */
export interface StatsSample {
  /** When the report was taken (ms). */
  at: number;
  /** Bytes received and sent, all RTP streams; `txv` those sent on video streams. */
  rx: number;
  tx: number;
  txv: number;
  /**
   * Each inbound RTP stream by its stats id (a new SSRC is a new id): packets received, packets
   * lost, and for video, frames decoded.
   */
  in: Record<string, number[]>;
  /** The worst inbound stream's jitter, ms. */
  jitter: number | null;
  /** The selected pair's round trip, ms. */
  rtt: number | null;
}

/** How far back the recent figures look. */
export const RECENT_WINDOW_MS = 5000;

type Entry = Record<string, unknown> & { type: string; id: string };

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

const mean = (values: Array<number | null>): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b) / known.length : null;
};

/**
 * Packets received, packets lost, frames decoded since `first` (or ever), and 1 if there is
 * inbound video. Per stream, so that a stream new since `first` (a new SSRC) counts from zero,
 * as does one whose counters went back (a reset): neither makes a negative difference.
 * packetsLost may also go down (late or duplicate packets): never below nothing lost.
 */
export function delta(first: StatsSample | undefined, last: StatsSample): number[] {
  const sums = [0, 0, 0, 0];
  for (const [id, now] of Object.entries(last.in)) {
    const then = first?.in[id];
    const base = then && then[0]! <= now[0]! ? then : [];
    now.forEach((value, i) => (sums[i]! += Math.max(0, value - (base[i] ?? 0))));
    if (now.length > 2) sums[3] = 1;
  }
  return sums;
}

const lossPct = ([received, lost]: number[]): number => (received! + lost! > 0 ? (lost! / (received! + lost!)) * 100 : 0);

/** The figures between the oldest and the newest sample of `window` (oldest first). */
export function recentStats(window: readonly StatsSample[]): RecentStats {
  const last = window[window.length - 1]!;
  const windowMs = last.at - window[0]!.at;
  const d = delta(window[0], last);
  return {
    windowMs,
    lossPct: lossPct(d),
    jitterMs: mean(window.map((s) => s.jitter)),
    rttMs: mean(window.map((s) => s.rtt)),
    framesPerSecond: d[3] && windowMs > 0 ? (d[2]! * 1000) / windowMs : null,
  };
}

/**
 * Summarises one connection's getStats() report: bitrates come from the difference with the
 * previous sample (0 on the first call); `recent` from the window: `earlier` samples (oldest
 * first) and this one, less those older than `windowMs` but always the previous one; lifetime
 * loss from inbound RTP counters; the round trip and the path from the selected candidate pair:
 * the transport's selectedCandidatePairId, else a pair marked `selected` (older Chromium), else
 * the nominated succeeded one (implementations differ).
 */
export function summarizeStats(
  peerId: string,
  report: RTCStatsReport,
  earlier: readonly StatsSample[] = [],
  now: number = Date.now(),
  windowMs = RECENT_WINDOW_MS,
): { stats: PeerStats; window: StatsSample[] } {
  const previous = earlier[earlier.length - 1];
  const sample: StatsSample = { at: now, rx: 0, tx: 0, txv: 0, in: {}, jitter: null, rtt: null };
  let audioPacketsReceived = 0;
  let framesPerSecond: number | null = null;
  let selectedPairId: unknown;
  const pairs: Entry[] = [];

  report.forEach((value: unknown) => {
    const entry = value as Entry;
    const type = entry.type;
    if (type === 'inbound-rtp') {
      sample.rx += num(entry.bytesReceived);
      const counts = (sample.in[entry.id] = [num(entry.packetsReceived), num(entry.packetsLost)]);
      if (typeof entry.jitter === 'number') sample.jitter = Math.max(sample.jitter ?? 0, entry.jitter * 1000);
      if (entry.kind === 'audio') audioPacketsReceived += counts[0]!;
      if (entry.kind === 'video') {
        counts.push(num(entry.framesDecoded));
        if (typeof entry.framesPerSecond === 'number') framesPerSecond = Math.max(framesPerSecond ?? 0, entry.framesPerSecond);
      }
    } else if (type === 'outbound-rtp') {
      sample.tx += num(entry.bytesSent);
      if (entry.kind === 'video') sample.txv += num(entry.bytesSent);
    }
    else if (type === 'transport') selectedPairId = entry.selectedCandidatePairId;
    else if (type === 'candidate-pair') pairs.push(entry);
  });

  const pair = pairs.find((p) => p.id === selectedPairId) ?? pairs.find((p) => p.selected) ?? pairs.find((p) => p.nominated && p.state === 'succeeded');
  let path: LinkPath | null = null;
  if (pair) {
    if (typeof pair.currentRoundTripTime === 'number') sample.rtt = pair.currentRoundTripTime * 1000;
    // RTCStatsReport.get is typed `any`: the candidate entries' fields are the spec's strings.
    const local = report.get(pair.localCandidateId as string);
    const remote = report.get(pair.remoteCandidateId as string);
    // relayProtocol exists on local relay candidates only (else undefined, which JSON drops).
    if (local && remote) path = { local: local.candidateType, remote: remote.candidateType, protocol: local.protocol, relayProtocol: local.relayProtocol, rttMs: sample.rtt };
  }

  const seconds = previous ? (now - previous.at) / 1000 : 0;
  const kbps = (bytes: number, before = bytes): number => (seconds > 0 ? Math.max(0, ((bytes - before) * 8) / 1000 / seconds) : 0);

  const lifetime = delta(undefined, sample);
  const window = [...earlier, sample];
  while (window.length > 2 && window[0]!.at < now - windowMs) window.shift();
  const recent = recentStats(window);
  return {
    stats: {
      peerId,
      roundTripTimeMs: sample.rtt,
      path,
      inboundKbps: kbps(sample.rx, previous?.rx),
      outboundKbps: kbps(sample.tx, previous?.tx),
      outboundVideoKbps: kbps(sample.txv, previous?.txv),
      packetLossPct: lossPct(lifetime),
      recent,
      // Some implementations (wrtc) report no framesPerSecond: then the window's, from decoded frames.
      framesPerSecond: framesPerSecond ?? recent.framesPerSecond,
      framesDecoded: lifetime[2]!,
      audioPacketsReceived,
      timestamp: now,
    },
    window,
  };
}
