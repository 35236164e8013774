import type { MediaSource } from '@meshmeet/protocol';
import { Mesh } from '../src/Mesh.ts';
import type { Logger } from '../src/logger.ts';
import type { SignalingChannel } from '../src/SignalingChannel.ts';
import { createSocketIoSignaling } from '../src/socket-io/index.ts';
import type { MeshOptions } from '../src/types.ts';
import type { WebRtcImplementation } from '../src/webrtc.ts';
import { countFrames, createSyntheticVideo, type FrameCounter, type SyntheticSource, type WrtcNonstandard } from './media.ts';

/** Counts frames on every received video track of a mesh, keyed by peer id and source. */
export class FrameWatch {
  readonly #counters = new Map<string, FrameCounter>();
  readonly #unsubscribe: () => void;

  /** `sources`: which received video to count (default camera and screen). */
  constructor(mesh: Mesh, nonstandard: WrtcNonstandard, sources: readonly MediaSource[] = ['camera', 'screen']) {
    this.#unsubscribe = mesh.on('trackAdded', ({ participant, source, track }) => {
      if (track.kind !== 'video' || !sources.includes(source)) return;
      const key = `${participant.id}/${source}`;
      this.#counters.get(key)?.stop();
      this.#counters.set(key, countFrames(nonstandard, track));
    });
  }

  frames(peerId: string, source: MediaSource): number {
    return this.#counters.get(`${peerId}/${source}`)?.frames ?? 0;
  }

  firstFrameAt(peerId: string, source: MediaSource): number | null {
    return this.#counters.get(`${peerId}/${source}`)?.firstFrameAt ?? null;
  }

  stop(): void {
    this.#unsubscribe();
    for (const counter of this.#counters.values()) counter.stop();
    this.#counters.clear();
  }
}

export interface TestParticipant {
  mesh: Mesh;
  signaling: SignalingChannel;
  /** The synthetic camera, when started with `camera: true`. */
  camera: SyntheticSource | null;
  frames: FrameWatch;
  /** Leaves, closes the channel, stops the camera and the frame counters. */
  close(): Promise<void>;
}

/**
 * A Node participant on a real signaling server: socket.io channel, Mesh on the given wrtc
 * implementation, optionally a synthetic camera, and frame counters on everything it receives.
 */
export async function createTestParticipant(options: {
  url: string;
  webrtc: WebRtcImplementation;
  nonstandard: WrtcNonstandard;
  camera?: boolean;
  /** Received video sources to count frames on (default camera and screen). */
  watch?: readonly MediaSource[];
  logger?: Logger;
  mesh?: Partial<Omit<MeshOptions, 'signaling' | 'webrtc'>>;
}): Promise<TestParticipant> {
  const signaling = createSocketIoSignaling(options.url, options.logger ? { logger: options.logger } : {});
  const mesh = new Mesh({ ...options.mesh, signaling, webrtc: options.webrtc, ...(options.logger ? { logger: options.logger } : {}) });
  const frames = new FrameWatch(mesh, options.nonstandard, options.watch);
  let camera: SyntheticSource | null = null;
  if (options.camera) {
    camera = createSyntheticVideo(options.nonstandard);
    await mesh.setLocalTrack('camera', camera.track);
  }
  return {
    mesh,
    signaling,
    camera,
    frames,
    async close() {
      await mesh.leave();
      signaling.close();
      frames.stop();
      camera?.stop();
    },
  };
}
