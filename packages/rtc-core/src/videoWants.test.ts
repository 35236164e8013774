import { describe, expect, it } from 'vitest';
import type { LinkMessage, VideoWant } from '@meshmeet/protocol/checks';
import { UplinkBudget, type BudgetedLink } from './bandwidth.ts';
import { LOW_BITRATE, LOW_SCALE, VideoWants, wantedCamera } from './videoWants.ts';

describe('wantedCamera', () => {
  const step = { maxBitrate: 400_000, scaleResolutionDownBy: 1.5, maxFramerate: 24, priority: 'low' as const };

  it('keeps the budget’s patch for full, and only switches the encoding off for none', () => {
    expect(wantedCamera(step, 'full')).toEqual({ ...step, active: true });
    expect(wantedCamera(step, 'none')).toEqual({ ...step, active: false });
  });

  it('makes a low picture smaller again and caps it at a part of the share', () => {
    expect(wantedCamera(step, 'low')).toEqual({ ...step, active: true, scaleResolutionDownBy: 1.5 * LOW_SCALE, maxBitrate: 400_000 * LOW_BITRATE });
    // No budget: no cap either, the size alone lowers the rate.
    expect(wantedCamera({ maxBitrate: null, scaleResolutionDownBy: 1 }, 'low')).toEqual({ active: true, maxBitrate: null, scaleResolutionDownBy: LOW_SCALE });
  });
});

describe('VideoWants', () => {
  function channel(open = true) {
    const sent: LinkMessage[] = [];
    return { sent, send: (m: LinkMessage) => (open ? (sent.push(m), true) : false) };
  }

  it('sends a want only when it changes', () => {
    const wants = new VideoWants();
    const a = channel();
    wants.ask('a', 'full', a.send); // every link starts at full: nothing to say
    wants.ask('a', 'none', a.send);
    wants.ask('a', 'none', a.send);
    wants.ask('a', 'low', a.send);
    wants.ask('a', 'full', a.send);
    expect(a.sent).toEqual([
      { t: 'want', video: 'none' },
      { t: 'want', video: 'low' },
      { t: 'want', video: 'full' },
    ]);
  });

  it('says it again when a new link opens, unless it is full', () => {
    const wants = new VideoWants();
    wants.ask('a', 'none', channel(false).send); // the channel is not open yet
    wants.ask('b', 'low', channel().send);
    wants.ask('c', 'none', channel().send);
    wants.ask('c', 'full', channel().send);
    const [a, b, c] = [channel(), channel(), channel()];
    wants.onOpen('a', a.send);
    wants.onOpen('b', b.send);
    wants.onOpen('c', c.send);
    expect(a.sent).toEqual([{ t: 'want', video: 'none' }]);
    expect(b.sent).toEqual([{ t: 'want', video: 'low' }]);
    expect(c.sent).toEqual([]);
  });

  it('forgets a peer that left', () => {
    const wants = new VideoWants();
    wants.ask('a', 'none', channel().send);
    wants.ask('b', 'none', channel().send);
    wants.forget('a');
    const [a, b] = [channel(), channel()];
    wants.onOpen('a', a.send);
    wants.onOpen('b', b.send);
    expect(a.sent).toEqual([]);
    expect(b.sent).toEqual([{ t: 'want', video: 'none' }]);
  });

  it('refuses a value that is not a want', () => {
    expect(() => new VideoWants().ask('a', 'half' as VideoWant, channel().send)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('keeps what each link asked of us, a new link starting at full', () => {
    const wants = new VideoWants();
    const first = {};
    expect(wants.of(first)).toBe('full');
    expect(wants.received(first, 'none')).toBe(true);
    expect(wants.received(first, 'none')).toBe(false);
    expect(wants.of(first)).toBe('none');
    expect(wants.of({})).toBe('full'); // the same peer's next connection
  });
});

describe('UplinkBudget with wants', () => {
  it('pauses or lowers the camera of the links that asked, and leaves the others and the screen alone', async () => {
    const encodings = new Map<string, RTCRtpEncodingParameters[]>();
    const sender = (key: string) => {
      encodings.set(key, [{ active: true }]);
      return {
        getParameters: () => ({ transactionId: 't', encodings: structuredClone(encodings.get(key)), codecs: [], headerExtensions: [], rtcp: {} }),
        setParameters: async (p: RTCRtpSendParameters) => void encodings.set(key, p.encodings),
      } as unknown as RTCRtpSender;
    };
    const link = (id: string): BudgetedLink => {
      const senders = { camera: sender(`${id}.camera`), screen: sender(`${id}.screen`) };
      return { remoteId: id, transceiver: (s) => (s === 'mic' ? null : ({ sender: senders[s] } as RTCRtpTransceiver)) };
    };
    const links = [link('a'), link('b'), link('c')];
    const wants = new VideoWants();
    wants.received(links[0]!, 'none');
    wants.received(links[1]!, 'low');
    const budget = new UplinkBudget(1200, () => {});
    budget.apply(links, { mic: true, camera: true, screen: true }, (l) => wants.of(l));
    await new Promise((resolve) => setTimeout(resolve, 0));
    const camera = (id: string) => encodings.get(`${id}.camera`)?.[0];
    expect(camera('a')).toMatchObject({ active: false });
    expect(camera('b')).toMatchObject({ active: true, scaleResolutionDownBy: camera('c')!.scaleResolutionDownBy! * LOW_SCALE });
    expect(camera('b')!.maxBitrate).toBe(Math.floor(camera('c')!.maxBitrate! * LOW_BITRATE));
    expect(camera('c')).toMatchObject({ active: true });
    for (const id of ['a', 'b', 'c']) expect(encodings.get(`${id}.screen`)?.[0]).toEqual(encodings.get('c.screen')?.[0]);

    wants.received(links[0]!, 'full');
    budget.apply(links, { mic: true, camera: true, screen: true }, (l) => wants.of(l));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(camera('a')).toEqual(camera('c'));
  });
});
