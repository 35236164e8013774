import wrtc from '@roamhq/wrtc';
import type { MediaSource } from '@meshmeet/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countingWebRtc,
  createSyntheticAudio,
  createSyntheticVideo,
  createTestParticipant,
  startSignalingProcess,
  waitFor,
  waitUntil,
  type SignalingProcess,
  type WrtcNonstandard,
} from '../test-utils/index.ts';
import type { WebRtcImplementation } from './webrtc.ts';

const nonstandard = wrtc.nonstandard as unknown as WrtcNonstandard;
const webrtc = countingWebRtc(wrtc as unknown as WebRtcImplementation);
let server: SignalingProcess;

beforeAll(async () => {
  server = await startSignalingProcess();
});
afterAll(async () => {
  await server?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('local media toggles over the real signaling server', () => {
  it('camera, screen and mic toggles reach the other side’s media state and its right transceiver', async () => {
    const sender = await createTestParticipant({ url: server.url, webrtc, nonstandard, camera: true });
    const viewer = await createTestParticipant({ url: server.url, webrtc, nonstandard });
    const screen = createSyntheticVideo(nonstandard, { isScreencast: true });
    const mic = createSyntheticAudio(nonstandard);
    try {
      await viewer.mesh.join({ room: 'toggles', name: 'viewer' });
      await sender.mesh.join({ room: 'toggles', name: 'sender' });
      const id = sender.mesh.selfId!;
      const frames = (source: MediaSource) => viewer.frames.frames(id, source);
      const remote = () => viewer.mesh.participants.get(id)!;

      await waitUntil(() => frames('camera') > 3, 'camera frames arrive');
      expect(remote().media).toEqual({ mic: false, camera: true, screen: false });
      // The screen transceiver is there from the start but carries nothing.
      expect(remote().screenStream?.getVideoTracks()).toHaveLength(1);

      /** Waits for the announced state, lets in-flight frames land, then checks a source stays still. */
      const expectStill = async (source: MediaSource) => {
        await sleep(400);
        const before = frames(source);
        await sleep(1000);
        expect(frames(source), `${source} frames after it was turned off`).toBe(before);
      };
      const mediaIs = (media: Partial<Record<MediaSource, boolean>>) =>
        waitFor(viewer.mesh, 'mediaChanged', (e) => e.participant.id === id && Object.entries(media).every(([k, v]) => e.media[k as MediaSource] === v));

      // Camera off: announced, and no more camera frames.
      let announced = mediaIs({ camera: false });
      await sender.mesh.setLocalTrack('camera', null);
      await announced;
      expect(sender.mesh.localMedia.camera).toBe(false);
      await expectStill('camera');

      // Screen on: its frames arrive on the screen transceiver only.
      announced = mediaIs({ screen: true });
      await sender.mesh.setLocalTrack('screen', screen.track);
      await announced;
      const cameraBefore = frames('camera');
      await waitUntil(() => frames('screen') > 3, 'screen frames arrive');
      expect(frames('camera')).toBe(cameraBefore);

      // Camera back on: camera frames resume; screen off: screen frames stop.
      announced = mediaIs({ camera: true });
      await sender.mesh.setLocalTrack('camera', sender.camera!.track);
      await announced;
      const resumedFrom = frames('camera');
      await waitUntil(() => frames('camera') > resumedFrom + 3, 'camera frames resume');
      announced = mediaIs({ screen: false });
      await sender.mesh.setLocalTrack('screen', null);
      await announced;
      await expectStill('screen');

      // Mic on: audio packets arrive on the audio transceiver; off: they stop.
      const audioPackets = async () => (await viewer.mesh.getStats()).get(id)?.audioPacketsReceived ?? 0;
      announced = mediaIs({ mic: true });
      await sender.mesh.setLocalTrack('mic', mic.track);
      await announced;
      expect(remote().audioTrack?.kind).toBe('audio');
      await waitUntil(async () => (await audioPackets()) > 20, 'audio packets arrive');
      announced = mediaIs({ mic: false });
      await sender.mesh.setLocalTrack('mic', null);
      await announced;
      await sleep(400);
      const packets = await audioPackets();
      await sleep(1000);
      expect(await audioPackets()).toBe(packets);
    } finally {
      screen.stop();
      mic.stop();
      await Promise.all([sender.close(), viewer.close()]);
    }
    await waitUntil(() => webrtc.open() === 0, 'no peer connection left open');
  });

  it('refuses a track of the wrong kind and keeps the current one', async () => {
    const p = await createTestParticipant({ url: server.url, webrtc, nonstandard, camera: true });
    const mic = createSyntheticAudio(nonstandard);
    try {
      await expect(p.mesh.setLocalTrack('camera', mic.track)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(p.mesh.localMedia).toEqual({ mic: false, camera: true, screen: false });
    } finally {
      mic.stop();
      await p.close();
    }
  });
});
