import type { MediaSource } from '@meshmeet/protocol';
import { describe, expect, it, vi } from 'vitest';
import { LocalMedia } from './LocalMedia.ts';

/** A capture track stand-in: records stop() and can be ended the way a browser ends it. */
class FakeTrack extends EventTarget {
  stopped = false;
  constructor(
    readonly kind: 'audio' | 'video',
    readonly label: string,
  ) {
    super();
  }
  stop(): void {
    this.stopped = true;
  }
  end(): void {
    this.dispatchEvent(new Event('ended'));
  }
}

/** getUserMedia/getDisplayMedia stand-ins: one fresh track per call, or the given error. */
function fakeDevices(fail?: { name: string }) {
  const made: FakeTrack[] = [];
  const stream = (kind: 'audio' | 'video', label: string) => {
    const track = new FakeTrack(kind, label);
    made.push(track);
    return { getAudioTracks: () => (kind === 'audio' ? [track] : []), getVideoTracks: () => (kind === 'video' ? [track] : []) };
  };
  const devices = {
    getUserMedia: vi.fn(async (c: MediaStreamConstraints) => {
      if (fail) throw Object.assign(new Error(fail.name), fail);
      const constraint = c.audio ?? c.video;
      const label = typeof constraint === 'object' ? String((constraint.deviceId as { exact: string }).exact) : 'default';
      return stream(c.audio ? 'audio' : 'video', label);
    }),
    getDisplayMedia: vi.fn(async () => stream('video', 'screen')),
    enumerateDevices: vi.fn(async () => []),
  };
  return { devices: devices as unknown as MediaDevices, made };
}

function fakeMesh() {
  const calls: Array<[MediaSource, string | null]> = [];
  return {
    calls,
    setLocalTrack: async (source: MediaSource, track: MediaStreamTrack | null) => {
      calls.push([source, track?.label ?? null]);
    },
  };
}

describe('LocalMedia', () => {
  it('acquires on enable, stops the capture on disable, and tells attached meshes each time', async () => {
    const { devices, made } = fakeDevices();
    const media = new LocalMedia({ mediaDevices: devices });
    const mesh = fakeMesh();
    media.attach(mesh);
    const track = await media.enable('camera');
    expect(media.state).toEqual({ mic: false, camera: true, screen: false });
    expect(media.track('camera')).toBe(track);
    await media.disable('camera');
    expect(made[0]!.stopped).toBe(true);
    expect(media.state.camera).toBe(false);
    expect(mesh.calls).toEqual([
      ['camera', 'default'],
      ['camera', null],
    ]);
  });

  it('attaching pushes the tracks already on (lobby preview, then join)', async () => {
    const { devices } = fakeDevices();
    const media = new LocalMedia({ mediaDevices: devices });
    await media.enable('mic');
    const mesh = fakeMesh();
    const detach = media.attach(mesh);
    expect(mesh.calls).toEqual([['mic', 'default']]);
    detach();
    await media.disable('mic');
    expect(mesh.calls).toHaveLength(1);
  });

  it('switches device by replacing the track and stopping the old one', async () => {
    const { devices, made } = fakeDevices();
    const media = new LocalMedia({ mediaDevices: devices });
    await media.enable('mic');
    await media.switchDevice('mic', 'usb-headset');
    expect(made[0]!.stopped).toBe(true);
    expect(media.track('mic')?.label).toBe('usb-headset');
  });

  it('turns the screen off when the browser ends the share, and says so', async () => {
    const { devices, made } = fakeDevices();
    const media = new LocalMedia({ mediaDevices: devices });
    const changes: Array<string | null> = [];
    media.on('changed', ({ source, track }) => changes.push(`${source}:${track?.label ?? 'off'}`));
    await media.enable('screen');
    made[0]!.end();
    expect(media.state.screen).toBe(false);
    expect(changes).toEqual(['screen:screen', 'screen:off']);
  });

  it('maps capture failures to typed errors and changes nothing', async () => {
    for (const [name, code] of [
      ['NotAllowedError', 'PERMISSION_DENIED'],
      ['NotFoundError', 'DEVICE_NOT_FOUND'],
      ['NotReadableError', 'MEDIA_UNAVAILABLE'],
    ] as const) {
      const media = new LocalMedia({ mediaDevices: fakeDevices({ name }).devices });
      await expect(media.enable('camera')).rejects.toMatchObject({ code });
      expect(media.state.camera).toBe(false);
    }
  });

  it('without mediaDevices, enable fails with MEDIA_UNAVAILABLE', async () => {
    const media = new LocalMedia({ mediaDevices: undefined as unknown as MediaDevices });
    // In Node there is no navigator.mediaDevices to fall back to.
    await expect(media.enable('mic')).rejects.toMatchObject({ code: 'MEDIA_UNAVAILABLE' });
  });

  it('stopAll stops every capture', async () => {
    const { devices, made } = fakeDevices();
    const media = new LocalMedia({ mediaDevices: devices });
    await media.enable('mic');
    await media.enable('camera');
    media.stopAll();
    expect(made.every((t) => t.stopped)).toBe(true);
    expect(media.state).toEqual({ mic: false, camera: false, screen: false });
  });
});
