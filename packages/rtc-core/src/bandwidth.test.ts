import { describe, expect, it } from 'vitest';
import { capSender, splitUplink } from './bandwidth.ts';

describe('splitUplink', () => {
  const cameraOnly = { mic: true, camera: true, screen: false };

  it('splits the budget evenly across the connections', () => {
    expect(splitUplink(1200, 3, cameraOnly)).toEqual({ camera: 400_000, screen: 400_000 });
    expect(splitUplink(1200, 1, cameraOnly)).toEqual({ camera: 1_200_000, screen: 1_200_000 });
  });

  it('gives a shared screen two thirds of a connection’s share when the camera is on too', () => {
    expect(splitUplink(900, 1, { mic: false, camera: true, screen: true })).toEqual({ camera: 300_000, screen: 600_000 });
  });

  it('caps nothing without a budget or without peers', () => {
    expect(splitUplink(undefined, 3, cameraOnly)).toEqual({ camera: null, screen: null });
    expect(splitUplink(1000, 0, cameraOnly)).toEqual({ camera: null, screen: null });
    expect(splitUplink(-5, 2, cameraOnly)).toEqual({ camera: null, screen: null });
  });
});

describe('capSender', () => {
  // A stand-in for one RTCRtpSender: just the two methods capSender uses.
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

  it('sets maxBitrate on the first encoding', async () => {
    const { sender, applied } = fakeSender([{ active: true }]);
    await capSender(sender, 250_000);
    expect(applied[0]?.encodings[0]?.maxBitrate).toBe(250_000);
  });

  it('does not call setParameters when nothing changes or nothing is negotiated', async () => {
    const same = fakeSender([{ active: true, maxBitrate: 250_000 }]);
    await capSender(same.sender, 250_000);
    const none = fakeSender([]);
    await capSender(none.sender, 250_000);
    expect(same.applied).toHaveLength(0);
    expect(none.applied).toHaveLength(0);
  });

  it('removes a cap', async () => {
    const { sender, applied } = fakeSender([{ active: true, maxBitrate: 1 }]);
    await capSender(sender, null);
    expect(applied[0]?.encodings[0]).not.toHaveProperty('maxBitrate');
  });
});
