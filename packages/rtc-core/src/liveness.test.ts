import { describe, expect, it } from 'vitest';
import { LivenessTracker, receivedOf } from './liveness.ts';

const report = (entries: object[]) => new Map(entries.map((e, i) => [String(i), e])) as unknown as RTCStatsReport;

describe('LivenessTracker', () => {
  it('reports an interruption once bytes that were arriving stop for the timeout, and clears it when they resume', () => {
    const t = new LivenessTracker(2500);
    expect(t.sample('p', { bytes: 100, packets: 0 }, 0, false)).toBe(false);
    expect(t.sample('p', { bytes: 200, packets: 0 }, 1000, false)).toBe(false);
    expect(t.sample('p', { bytes: 200, packets: 0 }, 2000, false)).toBe(false);
    expect(t.sample('p', { bytes: 200, packets: 0 }, 3499, false)).toBe(false);
    expect(t.sample('p', { bytes: 200, packets: 0 }, 3500, false)).toBe(true);
    expect(t.sample('p', { bytes: 300, packets: 0 }, 4500, false)).toBe(false);
  });

  it('does not judge a peer that never sent anything by its bytes, only by ICE', () => {
    const t = new LivenessTracker(2500);
    expect(t.sample('quiet', { bytes: 50, packets: 0 }, 0, false)).toBe(false);
    expect(t.sample('quiet', { bytes: 50, packets: 0 }, 10_000, false)).toBe(false);
    expect(t.sample('quiet', { bytes: 50, packets: 0 }, 11_000, true)).toBe(true);
  });

  it('judges a peer from its first sample when media had already arrived (it froze before a second one)', () => {
    const t = new LivenessTracker(2500);
    expect(t.sample('p', { bytes: 30_000, packets: 40 }, 0, false)).toBe(false);
    expect(t.sample('p', { bytes: 30_000, packets: 40 }, 2499, false)).toBe(false);
    expect(t.sample('p', { bytes: 30_000, packets: 40 }, 2500, false)).toBe(true);
    // Without media by then (only the handshake's bytes), the bytes do not judge it.
    expect(t.sample('q', { bytes: 3_000, packets: 0 }, 0, false)).toBe(false);
    expect(t.sample('q', { bytes: 3_000, packets: 0 }, 9000, false)).toBe(false);
  });

  it('starts over when the counters go back (a new connection)', () => {
    const t = new LivenessTracker(1000);
    t.sample('p', { bytes: 100, packets: 0 }, 0, false);
    t.sample('p', { bytes: 500, packets: 0 }, 500, false);
    expect(t.sample('p', { bytes: 10, packets: 0 }, 5000, false)).toBe(false);
  });
});

describe('receivedOf', () => {
  it('sums the transports, or else the selected candidate pair, and counts media packets and data messages', () => {
    expect(
      receivedOf(
        report([
          { type: 'transport', bytesReceived: 700 },
          { type: 'inbound-rtp', bytesReceived: 5, packetsReceived: 3 },
          { type: 'data-channel', messagesReceived: 2 },
        ]),
      ),
    ).toEqual({ bytes: 700, packets: 5 });
    expect(
      receivedOf(
        report([
          { type: 'candidate-pair', bytesReceived: 40, nominated: false, state: 'failed' },
          { type: 'candidate-pair', bytesReceived: 900, nominated: true, state: 'succeeded' },
        ]),
      ).bytes,
    ).toBe(900);
    expect(receivedOf(report([]))).toEqual({ bytes: 0, packets: 0 });
  });
});
