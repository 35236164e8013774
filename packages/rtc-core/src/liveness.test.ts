import { describe, expect, it } from 'vitest';
import { bytesReceivedOf, LivenessTracker } from './liveness.ts';

const report = (entries: object[]) => new Map(entries.map((e, i) => [String(i), e])) as unknown as RTCStatsReport;

describe('LivenessTracker', () => {
  it('reports an interruption once bytes that were arriving stop for the timeout, and clears it when they resume', () => {
    const t = new LivenessTracker(2500);
    expect(t.sample('p', 100, 0, false)).toBe(false);
    expect(t.sample('p', 200, 1000, false)).toBe(false);
    expect(t.sample('p', 200, 2000, false)).toBe(false);
    expect(t.sample('p', 200, 3499, false)).toBe(false);
    expect(t.sample('p', 200, 3500, false)).toBe(true);
    expect(t.sample('p', 300, 4500, false)).toBe(false);
  });

  it('does not judge a peer that never sent anything by its bytes, only by ICE', () => {
    const t = new LivenessTracker(2500);
    expect(t.sample('quiet', 50, 0, false)).toBe(false);
    expect(t.sample('quiet', 50, 10_000, false)).toBe(false);
    expect(t.sample('quiet', 50, 11_000, true)).toBe(true);
  });

  it('starts over when the counters go back (a new connection)', () => {
    const t = new LivenessTracker(1000);
    t.sample('p', 100, 0, false);
    t.sample('p', 500, 500, false);
    expect(t.sample('p', 10, 5000, false)).toBe(false);
  });
});

describe('bytesReceivedOf', () => {
  it('sums the transports, or else the selected candidate pair', () => {
    expect(bytesReceivedOf(report([{ type: 'transport', bytesReceived: 700 }, { type: 'inbound-rtp', bytesReceived: 5 }]))).toBe(700);
    expect(
      bytesReceivedOf(
        report([
          { type: 'candidate-pair', bytesReceived: 40, nominated: false, state: 'failed' },
          { type: 'candidate-pair', bytesReceived: 900, nominated: true, state: 'succeeded' },
        ]),
      ),
    ).toBe(900);
    expect(bytesReceivedOf(report([]))).toBe(0);
  });
});
