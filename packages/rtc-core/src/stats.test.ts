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
    const { stats } = summarizeStats('p1', sample(1000 + 125_000, 2000 + 62_500, 10), first.window, 2000);
    expect(stats.inboundKbps).toBeCloseTo(1000);
    expect(stats.outboundKbps).toBeCloseTo(500);
  });

  it('derives frames per second from decoded frames when the report has none', () => {
    const noFps = (framesDecoded: number) => report([{ id: 'v', type: 'inbound-rtp', kind: 'video', framesDecoded }]);
    const first = summarizeStats('p1', noFps(100), undefined, 1000);
    expect(first.stats.framesPerSecond).toBeNull();
    expect(summarizeStats('p1', noFps(130), first.window, 3000).stats.framesPerSecond).toBe(15);
  });

  it('copes with an empty report', () => {
    const { stats } = summarizeStats('p1', report([]), undefined, 5);
    expect(stats).toMatchObject({ roundTripTimeMs: null, framesPerSecond: null, packetLossPct: 0, framesDecoded: 0 });
  });

  describe('path: the selected candidate pair', () => {
    const candidates = [
      { id: 'L-host', type: 'local-candidate', candidateType: 'host', protocol: 'udp', address: '192.0.2.2' },
      { id: 'L-relay', type: 'local-candidate', candidateType: 'relay', protocol: 'udp', relayProtocol: 'tcp' },
      { id: 'R-srflx', type: 'remote-candidate', candidateType: 'srflx', protocol: 'udp' },
      { id: 'R-host', type: 'remote-candidate', candidateType: 'host', protocol: 'udp' },
    ];
    const direct = { id: 'cp-direct', type: 'candidate-pair', localCandidateId: 'L-host', remoteCandidateId: 'R-host', state: 'succeeded', currentRoundTripTime: 0.003 };
    const relayed = { id: 'cp-relay', type: 'candidate-pair', localCandidateId: 'L-relay', remoteCandidateId: 'R-srflx', state: 'succeeded', currentRoundTripTime: 0.04 };
    const path = (entries: Array<Record<string, unknown>>) => summarizeStats('p1', report([...candidates, ...entries]), undefined).stats.path;

    it("follows the transport's selectedCandidatePairId (Chromium, wrtc)", () => {
      expect(path([{ id: 't', type: 'transport', selectedCandidatePairId: 'cp-relay' }, { ...direct, nominated: true }, relayed])).toEqual({
        local: 'relay',
        remote: 'srflx',
        protocol: 'udp',
        relayProtocol: 'tcp',
        rttMs: 40,
      });
    });

    it('else the pair marked selected', () => {
      const p = path([{ ...direct, selected: true }, { ...relayed, nominated: true }]);
      expect(p).toEqual({ local: 'host', remote: 'host', protocol: 'udp', rttMs: 3 });
      expect(p).not.toHaveProperty('relayProtocol', expect.anything());
    });

    it('else the nominated, succeeded pair', () => {
      expect(path([{ ...direct, nominated: true, state: 'in-progress' }, { ...relayed, nominated: true }])).toMatchObject({ local: 'relay', relayProtocol: 'tcp' });
    });

    it('is null with no selected pair, or when its candidates are missing from the report', () => {
      expect(path([direct, relayed])).toBeNull();
      const orphan = { ...direct, id: 'cp-x', localCandidateId: 'gone', nominated: true };
      expect(summarizeStats('p1', report([orphan]), undefined).stats).toMatchObject({ path: null, roundTripTimeMs: 3 });
    });
  });
});
