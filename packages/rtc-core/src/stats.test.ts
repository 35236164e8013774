import { describe, expect, it } from 'vitest';
import { summarizeStats, type StatsSample } from './stats.ts';

const report = (entries: Array<Record<string, unknown>>) => new Map(entries.map((e) => [e.id as string, e])) as unknown as RTCStatsReport;

const sample = (bytesReceived: number, bytesSent: number, framesDecoded: number) =>
  report([
    { id: 'in-a', type: 'inbound-rtp', kind: 'audio', bytesReceived: 1000, packetsReceived: 90, packetsLost: 10 },
    { id: 'in-v', type: 'inbound-rtp', kind: 'video', bytesReceived, packetsReceived: 400, packetsLost: 0, framesDecoded, framesPerSecond: 24 },
    { id: 'out-v', type: 'outbound-rtp', kind: 'video', bytesSent },
    { id: 'out-a', type: 'outbound-rtp', kind: 'audio', bytesSent: bytesSent / 10 },
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
      outboundVideoKbps: 0,
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
    expect(stats.outboundKbps).toBeCloseTo(550);
    expect(stats.outboundVideoKbps).toBeCloseTo(500);
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

  describe('recent: the window of samples', () => {
    // One audio and one video stream, as Chromium and wrtc report them: cumulative counters.
    const link = (o: { received: number; lost: number; frames: number; jitter?: number; rtt?: number; ssrc?: string }) =>
      report([
        { id: `IA${o.ssrc ?? '1'}`, type: 'inbound-rtp', kind: 'audio', packetsReceived: o.received, packetsLost: o.lost, jitter: o.jitter ?? 0.004 },
        { id: `IV${o.ssrc ?? '1'}`, type: 'inbound-rtp', kind: 'video', packetsReceived: o.received, packetsLost: o.lost, framesDecoded: o.frames, jitter: 0.01 },
        { id: 'cp', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: o.rtt ?? 0.02 },
      ]);
    /** Feeds reports taken at the given times through summarizeStats as the collector does; returns each summary's `recent`. */
    const run = (steps: Array<[number, RTCStatsReport]>) => {
      let window: StatsSample[] = [];
      return steps.map(([at, r]) => {
        const out = summarizeStats('p1', r, window, at);
        window = out.window;
        return { ...out.stats.recent, samples: window.length, lifetime: out.stats.packetLossPct };
      });
    };

    it('is the difference between the oldest and the newest sample, not the lifetime totals', () => {
      const [first, second] = run([
        [0, link({ received: 9000, lost: 1000, frames: 3000 })], // a bad past: 10% lost over the life
        [2000, link({ received: 9500, lost: 1000, frames: 3050 })],
      ]);
      expect(first).toMatchObject({ windowMs: 0, lossPct: 0, framesPerSecond: null, jitterMs: 10, rttMs: 20 });
      expect(second).toMatchObject({ windowMs: 2000, lossPct: 0, framesPerSecond: 25 });
      expect(second!.lifetime).toBeCloseTo((100 * 2000) / 21_000); // while the lifetime figure still says 9.5%
    });

    it('counts loss in percent of the packets expected in the window', () => {
      const [, r] = run([
        [0, link({ received: 1000, lost: 0, frames: 0 })],
        [1000, link({ received: 1900, lost: 100, frames: 24 })], // per stream 900 received, 100 lost
      ]);
      expect(r!.lossPct).toBeCloseTo(10);
      expect(r!.framesPerSecond).toBeCloseTo(24);
    });

    it('rolls off samples older than 5 s, keeping at least the previous one', () => {
      // 1 s samples: 10% loss in the first 3 s, none after.
      const steps: Array<[number, RTCStatsReport]> = [];
      let received = 0;
      let lost = 0;
      for (let t = 0; t <= 10; t++) {
        steps.push([t * 1000, link({ received, lost, frames: t * 30, jitter: t <= 3 ? 0.05 : 0.005, rtt: t <= 3 ? 0.5 : 0.03 })]);
        received += 90;
        lost += t < 3 ? 10 : 0;
      }
      const recent = run(steps);
      expect(recent[3]).toMatchObject({ windowMs: 3000, samples: 4 });
      expect(recent[3]!.lossPct).toBeCloseTo(10);
      expect(recent[5]).toMatchObject({ windowMs: 5000, samples: 6 });
      expect(recent[5]!.lossPct).toBeCloseTo((100 * 30) / 480); // 3 of the 5 s were lossy: 30 lost, 450 received
      expect(recent[8]).toMatchObject({ windowMs: 5000, samples: 6, lossPct: 0 }); // the window is [3 s, 8 s]
      expect(recent[8]!.rttMs).toBeCloseTo((500 + 5 * 30) / 6); // the 3 s sample is still in it
      expect(recent[9]!.rttMs).toBeCloseTo(30);
      expect(recent[9]!.jitterMs).toBeCloseTo(10); // the worst stream's: video's 10 ms
      expect(recent[10]!.framesPerSecond).toBeCloseTo(30);
      // Samples further apart than the window: still the previous one.
      const sparse = run([
        [0, link({ received: 0, lost: 0, frames: 0 })],
        [12_000, link({ received: 900, lost: 100, frames: 120 })],
        [24_000, link({ received: 1800, lost: 100, frames: 240 })],
      ]);
      expect(sparse[2]).toMatchObject({ windowMs: 12_000, samples: 2, lossPct: 0, framesPerSecond: 10 });
    });

    it('never goes negative when a stream is replaced (new SSRC, ICE restart) or its counters start over', () => {
      const [, replaced, reset, late] = run([
        [0, link({ received: 50_000, lost: 4000, frames: 9000 })],
        // new SSRCs: the old streams are gone, the new ones count from zero
        [1000, link({ received: 95, lost: 5, frames: 20, ssrc: '2' })],
        // the same ids with counters that went back
        [2000, link({ received: 10, lost: 0, frames: 3, ssrc: '2' })],
        // packetsLost going down (a late packet): no negative loss
        [3000, link({ received: 110, lost: -2, frames: 28, ssrc: '2' })],
      ]);
      expect(replaced!.lossPct).toBeCloseTo(5);
      expect(replaced!.framesPerSecond).toBeCloseTo(20);
      for (const r of [replaced, reset, late]) {
        expect(r!.lossPct).toBeGreaterThanOrEqual(0);
        expect(r!.lossPct).toBeLessThan(100);
        expect(r!.framesPerSecond).toBeGreaterThanOrEqual(0);
      }
      expect(late!.lifetime).toBe(0);
    });

    it('has no frame rate without inbound video, and no jitter or round trip unreported', () => {
      const audioOnly = (received: number) => report([{ id: 'a', type: 'inbound-rtp', kind: 'audio', packetsReceived: received, packetsLost: 0 }]);
      const [, r] = run([
        [0, audioOnly(0)],
        [1000, audioOnly(50)],
      ]);
      expect(r).toMatchObject({ windowMs: 1000, lossPct: 0, framesPerSecond: null, jitterMs: null, rttMs: null });
    });
  });
});
