import { describe, expect, it } from 'vitest';
import type { BotReport } from '../bot/Bot.ts';
import type { PeerRecord } from '../bot/PeerRecorder.ts';
import { formatPath, mediaFailures, summarizeFlows, summarizeMedia } from './summarize.ts';

const peer = (peerId: string, name: string, firstFrameAt: number | null): PeerRecord => ({
  peerId,
  name,
  discoveredAt: 100,
  connectedAt: 150,
  firstFrameAt,
  fps: firstFrameAt === null ? [] : [[1200, 14], [2200, 15], [3200, 15]],
  framesReceived: firstFrameAt === null ? 0 : 40,
  audioPacketsReceived: 100,
  uplinkKbps: firstFrameAt === null ? [] : [[1200, 240, 200], [2200, 340, 300]],
  states: [{ at: 150, state: 'connected' }],
  path: firstFrameAt === null ? null : { local: 'host', remote: 'host', protocol: 'udp', rttMs: 1.4 },
  leftAt: null,
});

const bot = (name: string, selfId: string, peers: PeerRecord[], camera = true): BotReport => ({
  name,
  room: 'r',
  messages: [],
  selfId,
  joinStartedAt: 0,
  joinedAt: 50,
  leftAt: 4000,
  error: null,
  framesSent: 60,
  cameraOn: camera ? [[60, 4000]] : [],
  cameraFormats: [{ at: 0, width: 160, height: 120, fps: 15 }],
  media: { mic: true, camera, screen: false },
  peers,
});

describe('summarizeFlows / mediaFailures', () => {
  it('counts a flow that never delivered, and a roommate never heard of, as failures', () => {
    const a = bot('a', 'A', [peer('B', 'b', 300), peer('C', 'c', null)]);
    const b = bot('b', 'B', [peer('A', 'a', 320)]); // never learned of c
    const c = bot('c', 'C', [peer('A', 'a', 310), peer('B', 'b', 330)]);
    const flows = summarizeFlows([a, b, c]);
    expect(flows).toHaveLength(6);
    expect(flows.find((f) => f.from === 'b' && f.to === 'a')).toMatchObject({ expected: true, connectedMs: 50, firstFrameMs: 200, meanFps: 15, path: { local: 'host', remote: 'host', protocol: 'udp' } });
    expect(mediaFailures([a, b, c], flows)).toEqual(['no video frame from c to a in r', 'no video frame from c to b in r']);
    expect(summarizeMedia([a, b, c], flows, 15)).toMatchObject({ flowsExpected: 6, flowsDelivered: 4, joined: 3 });
  });

  it('takes each flow\'s uplink from the sender\'s record of the receiver, and sums a bot\'s links', () => {
    const a = bot('a', 'A', [peer('B', 'b', 300), peer('C', 'c', 300)]);
    const b = bot('b', 'B', [peer('A', 'a', 300), peer('C', 'c', null)]); // no samples towards c
    const c = bot('c', 'C', [peer('A', 'a', 300), peer('B', 'b', 300)]);
    const flows = summarizeFlows([a, b, c]);
    expect(flows.find((f) => f.from === 'a' && f.to === 'b')).toMatchObject({ uplinkKbps: 290, uplinkVideoKbps: 250, uplinkVideoMaxKbps: 300 });
    expect(flows.find((f) => f.from === 'b' && f.to === 'c')).toMatchObject({ uplinkKbps: null, uplinkVideoKbps: null, uplinkVideoMaxKbps: null });
    const media = summarizeMedia([a, b, c], flows, 15);
    expect(media.uplinkVideoKbpsPerLink).toMatchObject({ count: 5, mean: 250, max: 250 });
    expect(media.uplinkKbpsPerLink).toMatchObject({ count: 5, mean: 290 });
    expect(media.uplinkVideoKbpsPerBot).toMatchObject({ count: 3, min: 250, max: 500 });
    expect(media.uplinkKbpsPerBot).toMatchObject({ count: 3, min: 290, max: 580 });
  });

  it('does not expect frames from a bot whose camera never went on', () => {
    const a = bot('a', 'A', [peer('B', 'b', null)]);
    const b = bot('b', 'B', [peer('A', 'a', 300)], false);
    const flows = summarizeFlows([a, b]);
    expect(flows.find((f) => f.from === 'b')?.expected).toBe(false);
    expect(mediaFailures([a, b], flows)).toEqual([]);
  });
});

describe('sent fps and the delivered ratio', () => {
  it('compares each flow with the rate its sender\'s camera was stepped to at each sample', () => {
    const a = { ...bot('a', 'A', [peer('B', 'b', null)]), cameraFormats: [{ at: 0, width: 320, height: 240, fps: 30 }, { at: 2500, width: 214, height: 160, fps: 24 }] };
    const b = bot('b', 'B', [peer('A', 'a', 300)], false);
    const flows = summarizeFlows([a, b]);
    // b's samples of a at 2200 (a sent 30) and 3200 (24), both 15 received.
    expect(flows.find((f) => f.from === 'a')).toMatchObject({ meanFps: 15, sentFps: 27 });
    expect(summarizeMedia([a, b], flows, 30).deliveredRatio).toBeCloseTo(15 / 27, 3);
  });
});

describe('formatPath', () => {
  it('names both candidate types, the relay protocol when relayed, and the transport', () => {
    expect(formatPath({ local: 'host', remote: 'host', protocol: 'udp', rttMs: 1 })).toBe('host/host udp');
    expect(formatPath({ local: 'relay', remote: 'srflx', protocol: 'udp', relayProtocol: 'tls', rttMs: 40 })).toBe('relay(tls)/srflx udp');
    expect(formatPath(null)).toBe('-');
  });
});

