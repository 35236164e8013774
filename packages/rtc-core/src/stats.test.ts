import { describe, expect, it } from 'vitest';
import { summarizeStats } from './stats.ts';

const report = (entries: Array<Record<string, unknown>>) => new Map(entries.map((e) => [e.id as string, e])) as unknown as RTCStatsReport;

const sample = (bytesReceived: number, bytesSent: number, framesDecoded: number) =>
  report([
    { id: 'in-a', type: 'inbound-rtp', kind: 'audio', bytesReceived: 1000, packetsReceived: 90, packetsLost: 10 },
    { id: 'in-v', type: 'inbound-rtp', kind: 'video', bytesReceived, packetsReceived: 400, packetsLost: 0, framesDecoded, framesPerSecond: 24 },
    { id: 'out-v', type: 'outbound-rtp', kind: 'video', bytesSent },
    { id: 't', type: 'transport', selectedCandidatePairId: 'cp2' },
    { id: 'cp1', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.5 },
    { id: 'cp2', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.012 },
  ]);

describe('summarizeStats', () => {
  it('summarises a report: round trip of the selected pair, loss, frames, audio packets', () => {
    const { stats } = summarizeStats('p1', sample(5000, 8000, 30), undefined, 1000);
    expect(stats).toMatchObject({
      peerId: 'p1',
      roundTripTimeMs: 12,
      inboundKbps: 0,
      outboundKbps: 0,
      packetLossPct: 2,
      framesPerSecond: 24,
      framesDecoded: 30,
      audioPacketsReceived: 90,
      timestamp: 1000,
    });
  });

  it('computes bitrates from the previous sample', () => {
    const first = summarizeStats('p1', sample(1000, 2000, 0), undefined, 1000);
    const { stats } = summarizeStats('p1', sample(1000 + 125_000, 2000 + 62_500, 10), first.sample, 2000);
    expect(stats.inboundKbps).toBeCloseTo(1000);
    expect(stats.outboundKbps).toBeCloseTo(500);
  });

  it('derives frames per second from decoded frames when the report has none', () => {
    const noFps = (framesDecoded: number) => report([{ id: 'v', type: 'inbound-rtp', kind: 'video', framesDecoded }]);
    const first = summarizeStats('p1', noFps(100), undefined, 1000);
    expect(first.stats.framesPerSecond).toBeNull();
    expect(summarizeStats('p1', noFps(130), first.sample, 3000).stats.framesPerSecond).toBe(15);
  });

  it('copes with an empty report', () => {
    const { stats } = summarizeStats('p1', report([]), undefined, 5);
    expect(stats).toMatchObject({ roundTripTimeMs: null, framesPerSecond: null, packetLossPct: 0, framesDecoded: 0 });
  });
});
