import { describe, expect, it } from 'vitest';
import type { MediaSource } from '@meshmeet/protocol/checks';
import { ENCODER_HEADROOM, LINK_CEILING_KBPS, lowestLimit, splitUplink, tuneSender, UplinkBudget, type BudgetedLink } from './bandwidth.ts';

// The caps are ENCODER_HEADROOM of each share (encoders overrun their cap with busy pictures).
const cap = (kbps: number) => Math.floor(kbps * ENCODER_HEADROOM * 1000);

describe('splitUplink', () => {
  const cameraOnly = { mic: true, camera: true, screen: false };

  it('splits the budget evenly across the connections, less the encoder headroom', () => {
    expect(ENCODER_HEADROOM).toBeGreaterThan(0.8);
    expect(ENCODER_HEADROOM).toBeLessThan(1);
    expect(splitUplink(1200, 3, cameraOnly)).toEqual({ camera: cap(400), screen: cap(400) });
    expect(splitUplink(1200, 1, cameraOnly)).toEqual({ camera: cap(1200), screen: cap(1200) });
  });

  it('gives a shared screen two thirds of a connection’s share when the camera is on too', () => {
    expect(splitUplink(900, 1, { mic: false, camera: true, screen: true })).toEqual({ camera: cap(300), screen: cap(600) });
  });

  it('stops each link at its ceiling when the budget would allow more', () => {
    expect(splitUplink(2500, 1, cameraOnly)).toEqual({ camera: cap(LINK_CEILING_KBPS.camera), screen: cap(2500) });
    expect(splitUplink(10_000, 2, { mic: false, camera: false, screen: true })).toEqual({ camera: cap(1500), screen: cap(2500) });
    expect(splitUplink(2500, 3, cameraOnly)).toEqual({ camera: cap(2500 / 3), screen: cap(2500 / 3) });
  });

  it('caps nothing without a budget or without peers', () => {
    expect(splitUplink(undefined, 3, cameraOnly)).toEqual({ camera: null, screen: null });
    expect(splitUplink(1000, 0, cameraOnly)).toEqual({ camera: null, screen: null });
    expect(splitUplink(-5, 2, cameraOnly)).toEqual({ camera: null, screen: null });
  });
});

describe('tuneSender', () => {
  // A stand-in for one RTCRtpSender: just the two methods tuneSender uses.
  function fakeSender(encodings: RTCRtpEncodingParameters[]) {
    const applied: RTCRtpSendParameters[] = [];
    const sender = {
      getParameters: () => ({ transactionId: 't', encodings: structuredClone(encodings), codecs: [], headerExtensions: [], rtcp: {} }),
      setParameters: async (p: RTCRtpSendParameters) => {
        applied.push(p);
      },
    } as unknown as RTCRtpSender;
    return { sender, applied };
  }

  it('sets every field of the patch on the first encoding in one call', async () => {
    const { sender, applied } = fakeSender([{ active: true }]);
    await tuneSender(sender, { maxBitrate: 250_000, scaleResolutionDownBy: 1.5, maxFramerate: 24, priority: 'low' });
    expect(applied).toHaveLength(1);
    expect(applied[0]?.encodings[0]).toEqual({ active: true, maxBitrate: 250_000, scaleResolutionDownBy: 1.5, maxFramerate: 24, priority: 'low' });
  });

  it('does not call setParameters when nothing changes or nothing is negotiated', async () => {
    const same = fakeSender([{ active: true, maxBitrate: 250_000, maxFramerate: 30 }]);
    await tuneSender(same.sender, { maxBitrate: 250_000, maxFramerate: 30 });
    await tuneSender(same.sender, { scaleResolutionDownBy: null });
    const none = fakeSender([]);
    await tuneSender(none.sender, { maxBitrate: 250_000 });
    expect(same.applied).toHaveLength(0);
    expect(none.applied).toHaveLength(0);
  });

  it('removes a field set to null', async () => {
    const { sender, applied } = fakeSender([{ active: true, maxBitrate: 1 }]);
    await tuneSender(sender, { maxBitrate: null });
    expect(applied[0]?.encodings[0]).not.toHaveProperty('maxBitrate');
  });
});

describe('lowestLimit', () => {
  it('takes the smallest limit that is set', () => {
    expect(lowestLimit(2500, undefined, 500)).toBe(500);
    expect(lowestLimit(undefined, null, 0)).toBeUndefined();
    expect(lowestLimit(1000)).toBe(1000);
  });
});

describe('UplinkBudget', () => {
  /** One link whose camera sender refuses setParameters while `refuse` says so. */
  function link(remoteId: string, refuse: () => Error | null) {
    const encodings: RTCRtpEncodingParameters[] = [{ active: true }];
    let calls = 0;
    const sender = {
      getParameters: () => ({ transactionId: 't', encodings: structuredClone(encodings), codecs: [], headerExtensions: [], rtcp: {} }),
      setParameters: async (p: RTCRtpSendParameters) => {
        calls++;
        const error = refuse();
        if (error) throw error;
        encodings.splice(0, encodings.length, ...p.encodings);
      },
    } as unknown as RTCRtpSender;
    const budgeted: BudgetedLink = {
      remoteId,
      transceiver: (source) => (source === 'camera' ? ({ sender } as RTCRtpTransceiver) : null),
    };
    return { budgeted, maxBitrate: () => encodings[0]?.maxBitrate, calls: () => calls };
  }
  const media = { mic: true, camera: true, screen: false };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('applies the lowest of server, option and user limits, and lifts the user limit again', async () => {
    const a = link('a', () => null);
    const budget = new UplinkBudget(2000, () => {});
    budget.setServerLimit(2500);
    budget.apply([a.budgeted], media);
    await settle();
    expect(a.maxBitrate()).toBe(cap(1500)); // 2000 for one link, stopped at the camera ceiling
    budget.setUserLimit(250);
    budget.apply([a.budgeted], media);
    await settle();
    expect(a.maxBitrate()).toBe(cap(250));
    budget.setUserLimit(null);
    budget.setServerLimit(1000);
    budget.apply([a.budgeted], media);
    await settle();
    expect(budget.kbps).toBe(1000);
    expect(a.maxBitrate()).toBe(cap(1000));
  });

  it('tries a refused sender again on the next change, and reports each distinct refusal once', async () => {
    let failure: Error | null = new Error('');
    const a = link('a', () => failure);
    const b = link('b', () => failure);
    const reported: Array<[string, unknown]> = [];
    const budget = new UplinkBudget(undefined, (peerId, error) => reported.push([peerId, error]));
    budget.setServerLimit(1000);
    budget.apply([a.budgeted, b.budgeted], media);
    await settle();
    budget.apply([a.budgeted, b.budgeted], media);
    await settle();
    // Four refusals of one kind: one report, and nothing given up.
    expect(a.calls() + b.calls()).toBe(4);
    expect(reported).toHaveLength(1);
    failure = new DOMException('busy', 'InvalidStateError');
    budget.apply([a.budgeted], media);
    await settle();
    expect(reported).toHaveLength(2);
    expect(reported[1]?.[0]).toBe('a');
    failure = null;
    budget.apply([a.budgeted, b.budgeted], media);
    await settle();
    expect(a.maxBitrate()).toBe(cap(500));
    expect(b.maxBitrate()).toBe(cap(500));
  });

  it('steps the camera with the number of links, gives audio high priority, and lowers the camera for a screen', async () => {
    const encodings = { mic: [{}], camera: [{}], screen: [{}] } as Record<MediaSource, RTCRtpEncodingParameters[]>;
    let calls = 0;
    const senderOf = (source: MediaSource) =>
      ({
        getParameters: () => ({ transactionId: 't', encodings: structuredClone(encodings[source]), codecs: [], headerExtensions: [], rtcp: {} }),
        setParameters: async (p: RTCRtpSendParameters) => {
          calls++;
          encodings[source] = p.encodings;
        },
      }) as unknown as RTCRtpSender;
    const senders = { mic: senderOf('mic'), camera: senderOf('camera'), screen: senderOf('screen') };
    const first: BudgetedLink = { remoteId: 'a', transceiver: (source) => ({ sender: senders[source] }) as RTCRtpTransceiver };
    // Further links have no senders of their own here: only their number matters.
    const others = (n: number): BudgetedLink[] => Array.from({ length: n }, (_, i) => ({ remoteId: `o${i}`, transceiver: () => null }));
    const budget = new UplinkBudget(undefined, () => {});
    budget.setServerLimit(3000);

    budget.apply([first, ...others(1)], media);
    await settle();
    expect(encodings.camera[0]).toEqual({ active: true, maxBitrate: cap(1500), scaleResolutionDownBy: 1, maxFramerate: 30, priority: 'low' });
    expect(encodings.mic[0]).toEqual({ priority: 'high', networkPriority: 'high' });
    expect(calls).toBe(3);

    budget.apply([first, ...others(3)], media);
    await settle();
    expect(encodings.camera[0]).toMatchObject({ maxBitrate: cap(750), scaleResolutionDownBy: 1.5, maxFramerate: 24 });
    expect(calls).toBe(5); // camera and screen re-split; the mic unchanged: no call

    budget.apply([first, ...others(3)], { mic: true, camera: true, screen: true });
    await settle();
    expect(encodings.camera[0]).toMatchObject({ maxBitrate: cap(250), scaleResolutionDownBy: 2, maxFramerate: 20 });
    expect(encodings.screen[0]).toEqual({ maxBitrate: cap(500), priority: 'medium' });

    budget.apply([first], media);
    await settle();
    expect(encodings.camera[0]).toMatchObject({ maxBitrate: cap(1500), scaleResolutionDownBy: 1, maxFramerate: 30 });
  });
  it('reads a sender again only when its patch changes, or while it has no encoding yet', async () => {
    let encodings: RTCRtpEncodingParameters[] = [];
    let reads = 0;
    const sender = {
      getParameters: () => {
        reads++;
        return { transactionId: 't', encodings: structuredClone(encodings), codecs: [], headerExtensions: [], rtcp: {} };
      },
      setParameters: async (p: RTCRtpSendParameters) => {
        encodings = p.encodings;
      },
    } as unknown as RTCRtpSender;
    const link: BudgetedLink = { remoteId: 'a', transceiver: (source) => (source === 'camera' ? ({ sender } as RTCRtpTransceiver) : null) };
    const budget = new UplinkBudget(1000, () => {});

    budget.apply([link], media); // not negotiated: nothing to set, so it is read again next time
    await settle();
    encodings = [{}];
    budget.apply([link], media);
    await settle();
    expect(encodings[0]).toMatchObject({ maxBitrate: cap(1000) });
    expect(reads).toBe(2);

    budget.apply([link], media); // the same patch: no blocking read
    await settle();
    expect(reads).toBe(2);

    budget.setUserLimit(500);
    budget.apply([link], media);
    await settle();
    expect(encodings[0]).toMatchObject({ maxBitrate: cap(500) });
    expect(reads).toBe(3);
  });
});
