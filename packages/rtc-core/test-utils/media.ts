import type { WebRtcImplementation } from '../src/webrtc.ts';

/** The part of `@roamhq/wrtc`'s `nonstandard` namespace these helpers use (passed in, never imported). */
export interface WrtcNonstandard {
  RTCVideoSource: new (init?: { isScreencast?: boolean }) => {
    createTrack(): MediaStreamTrack;
    onFrame(frame: { width: number; height: number; data: Uint8Array }): void;
  };
  RTCVideoSink: new (track: MediaStreamTrack) => {
    stop(): void;
    onframe: ((event: { frame: { width: number; height: number } }) => void) | null;
  };
  RTCAudioSource: new () => {
    createTrack(): MediaStreamTrack;
    onData(data: { samples: Int16Array; sampleRate: number }): void;
  };
}

export interface SyntheticSource {
  track: MediaStreamTrack;
  stop(): void;
}

/** A video track fed with grey I420 frames (a moving bar, so encoders see change) at `fps`. */
export function createSyntheticVideo(
  nonstandard: WrtcNonstandard,
  { width = 160, height = 120, fps = 10, isScreencast = false } = {},
): SyntheticSource {
  const source = new nonstandard.RTCVideoSource({ isScreencast });
  const track = source.createTrack();
  const data = new Uint8Array(width * height * 1.5).fill(128);
  let n = 0;
  const timer = setInterval(() => {
    const row = (n++ * 4) % height;
    data.fill(128, 0, width * height);
    data.fill(235, row * width, Math.min(height, row + 8) * width);
    source.onFrame({ width, height, data });
  }, Math.round(1000 / fps));
  return {
    track,
    stop() {
      clearInterval(timer);
      track.stop();
    },
  };
}

/** An audio track fed with 10 ms of silence-ish samples every 10 ms (48 kHz mono). */
export function createSyntheticAudio(nonstandard: WrtcNonstandard): SyntheticSource {
  const source = new nonstandard.RTCAudioSource();
  const track = source.createTrack();
  const samples = new Int16Array(480);
  const timer = setInterval(() => source.onData({ samples, sampleRate: 48_000 }), 10);
  return {
    track,
    stop() {
      clearInterval(timer);
      track.stop();
    },
  };
}

export interface FrameCounter {
  readonly frames: number;
  /** When the first frame arrived (performance.now()), or null. */
  readonly firstFrameAt: number | null;
  stop(): void;
}

/** Counts the decoded frames arriving on a received video track. */
export function countFrames(nonstandard: WrtcNonstandard, track: MediaStreamTrack): FrameCounter {
  const sink = new nonstandard.RTCVideoSink(track);
  let frames = 0;
  let firstFrameAt: number | null = null;
  sink.onframe = () => {
    frames += 1;
    firstFrameAt ??= performance.now();
  };
  return {
    get frames() {
      return frames;
    },
    get firstFrameAt() {
      return firstFrameAt;
    },
    stop() {
      sink.onframe = null;
      sink.stop();
    },
  };
}

/**
 * Wraps an implementation so that every RTCPeerConnection it creates is remembered: tests count
 * the ones not closed to prove that nothing leaks.
 */
export interface CountingWebRtc extends WebRtcImplementation {
  /** Peer connections created so far. */
  created(): number;
  /** Peer connections not closed. */
  open(): number;
  /** The ones not closed, for inspecting descriptions in tests. */
  openConnections(): RTCPeerConnection[];
}

export function countingWebRtc(impl: WebRtcImplementation): CountingWebRtc {
  const all = new Set<RTCPeerConnection>();
  const Base = impl.RTCPeerConnection;
  const openConnections = (): RTCPeerConnection[] => [...all].filter((pc) => pc.connectionState !== 'closed' || pc.signalingState !== 'closed');
  const Counting = function (this: unknown, configuration?: RTCConfiguration) {
    const pc = new Base(configuration);
    all.add(pc);
    return pc;
  } as unknown as WebRtcImplementation['RTCPeerConnection'];
  return {
    ...impl,
    RTCPeerConnection: Counting,
    created: () => all.size,
    open: () => openConnections().length,
    openConnections,
  };
}
