import { MEDIA_SOURCES, NO_MEDIA, type MediaSource, type MediaState } from '@meshmeet/protocol/checks';
import { Emitter } from './emitter.ts';
import { MeshError } from './errors.ts';
import { silentLogger, type Logger } from './logger.ts';

/** The part of a Mesh that LocalMedia drives. */
interface TrackSink {
  setLocalTrack(source: MediaSource, track: MediaStreamTrack | null): Promise<void>;
}

export interface LocalMediaOptions {
  /** Defaults to `navigator.mediaDevices`. */
  mediaDevices?: MediaDevices;
  logger?: Logger;
}

export interface LocalMediaEvents {
  /** A source turned on, off or switched device; also when the browser ends a screen share. */
  changed: (e: { source: MediaSource; track: MediaStreamTrack | null }) => void;
}

/** Maps getUserMedia/getDisplayMedia failures to the engine's codes. */
function toMeshError(error: unknown, source: MediaSource): MeshError {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return new MeshError('PERMISSION_DENIED', `${source}: permission denied`, { cause: error });
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return new MeshError('DEVICE_NOT_FOUND', `${source}: no such device`, { cause: error });
  return new MeshError('MEDIA_UNAVAILABLE', `${source}: could not capture`, { cause: error });
}

/**
 * The browser's microphone, camera and screen: acquires a track when a source is enabled, stops
 * it when disabled (so the camera light goes off), and pushes every change into the attached
 * meshes. Works before any mesh exists, for a lobby preview.
 */
export class LocalMedia {
  readonly #devices: MediaDevices | undefined;
  readonly #log: Logger;
  readonly #tracks: Record<MediaSource, MediaStreamTrack | null> = { mic: null, camera: null, screen: null };
  readonly #endedListeners = new Map<MediaStreamTrack, () => void>();
  readonly #sinks = new Set<TrackSink>();
  readonly #events: Emitter<LocalMediaEvents>;

  constructor(options: LocalMediaOptions = {}) {
    this.#devices = options.mediaDevices ?? (globalThis as { navigator?: { mediaDevices?: MediaDevices } }).navigator?.mediaDevices;
    this.#log = options.logger ?? silentLogger;
    this.#events = new Emitter((error) => this.#log.error('local media listener threw', { error }));
  }

  get state(): MediaState {
    const state = { ...NO_MEDIA };
    for (const source of MEDIA_SOURCES) state[source] = this.#tracks[source] !== null;
    return state;
  }

  track(source: MediaSource): MediaStreamTrack | null {
    return this.#tracks[source];
  }

  on<E extends keyof LocalMediaEvents>(event: E, listener: LocalMediaEvents[E]): () => void {
    return this.#events.on(event, listener);
  }

  /** Pushes the tracks that are on into `mesh` now, and every change later; returns a detach function. */
  attach(mesh: TrackSink): () => void {
    this.#sinks.add(mesh);
    for (const source of MEDIA_SOURCES) {
      const track = this.#tracks[source];
      if (track) this.#push(mesh, source, track);
    }
    return () => {
      this.#sinks.delete(mesh);
    };
  }

  async enable(source: MediaSource, options: { deviceId?: string } = {}): Promise<MediaStreamTrack> {
    const current = this.#tracks[source];
    if (current && options.deviceId === undefined) return current;
    const track = await this.#acquire(source, options.deviceId);
    this.#set(source, track);
    return track;
  }

  async disable(source: MediaSource): Promise<void> {
    if (this.#tracks[source]) this.#set(source, null);
  }

  async switchDevice(source: 'mic' | 'camera', deviceId: string): Promise<void> {
    await this.enable(source, { deviceId });
  }

  async listDevices(): Promise<MediaDeviceInfo[]> {
    if (!this.#devices) throw new MeshError('MEDIA_UNAVAILABLE', 'no mediaDevices in this environment');
    return this.#devices.enumerateDevices();
  }

  stopAll(): void {
    for (const source of MEDIA_SOURCES) if (this.#tracks[source]) this.#set(source, null);
  }

  async #acquire(source: MediaSource, deviceId: string | undefined): Promise<MediaStreamTrack> {
    const devices = this.#devices;
    if (!devices) throw new MeshError('MEDIA_UNAVAILABLE', 'no mediaDevices in this environment (a secure context is needed)');
    let stream: MediaStream;
    try {
      if (source === 'screen') {
        stream = await devices.getDisplayMedia({ video: true, audio: false });
      } else {
        const constraints: MediaTrackConstraints | boolean = deviceId ? { deviceId: { exact: deviceId } } : true;
        stream = await devices.getUserMedia(source === 'mic' ? { audio: constraints } : { video: constraints });
      }
    } catch (error) {
      throw toMeshError(error, source);
    }
    const [track, ...extra] = source === 'mic' ? stream.getAudioTracks() : stream.getVideoTracks();
    for (const t of extra) t.stop();
    if (!track) throw new MeshError('MEDIA_UNAVAILABLE', `${source}: the device gave no track`);
    return track;
  }

  /** Replaces the source's track: the old one is stopped, listeners and meshes are told. */
  #set(source: MediaSource, track: MediaStreamTrack | null): void {
    const old = this.#tracks[source];
    if (old === track) return;
    if (old) {
      const unlisten = this.#endedListeners.get(old);
      unlisten?.();
      this.#endedListeners.delete(old);
      old.stop();
    }
    this.#tracks[source] = track;
    if (track) {
      // The browser ends a track itself when, e.g., the user stops sharing from its own bar.
      const onEnded = (): void => {
        if (this.#tracks[source] === track) this.#set(source, null);
      };
      track.addEventListener('ended', onEnded);
      this.#endedListeners.set(track, () => track.removeEventListener('ended', onEnded));
    }
    for (const sink of this.#sinks) this.#push(sink, source, track);
    this.#events.emit('changed', { source, track });
  }

  #push(sink: TrackSink, source: MediaSource, track: MediaStreamTrack | null): void {
    sink.setLocalTrack(source, track).catch((error: unknown) => this.#log.warn('could not hand a track to the mesh', { source, error }));
  }
}
