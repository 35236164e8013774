import { MEDIA_SOURCES, type MediaSource } from '@meshmeet/protocol/checks';

/** A received track; `stream` wraps it and is created on first use (a blocking call in wrtc). */
export interface Received {
  readonly track: MediaStreamTrack;
  readonly stream: MediaStream;
}

/**
 * What one connection receives, per source. A track event is attributed to a source by the
 * position of its transceiver in the fixed layout; events that come before the layout is known
 * (an answerer's, during its first setRemoteDescription) wait until it is.
 */
export class ReceivedTracks {
  readonly #bySource = new Map<MediaSource, Received>();
  readonly #MediaStream: (new (tracks?: MediaStreamTrack[]) => MediaStream) | undefined;
  #transceivers: readonly RTCRtpTransceiver[] | null = null;
  #early: RTCTrackEvent[] = [];

  constructor(MediaStream: (new (tracks?: MediaStreamTrack[]) => MediaStream) | undefined) {
    this.#MediaStream = MediaStream;
  }

  get(source: MediaSource): Received | null {
    return this.#bySource.get(source) ?? null;
  }

  /** Sets the layout and returns what the waiting events added. */
  setLayout(transceivers: readonly RTCRtpTransceiver[]): Array<{ source: MediaSource; received: Received }> {
    this.#transceivers = transceivers;
    return this.#early.splice(0).flatMap((event) => this.onTrack(event) ?? []);
  }

  /** Returns the addition, or null when the event adds nothing new (or has to wait). */
  onTrack(event: RTCTrackEvent): { source: MediaSource; received: Received } | null {
    if (!this.#transceivers) {
      this.#early.push(event);
      return null;
    }
    const source = MEDIA_SOURCES[this.#transceivers.indexOf(event.transceiver)];
    if (!source) return null;
    const track = event.track;
    if (this.#bySource.get(source)?.track === track) return null;
    const Stream = this.#MediaStream;
    let stream: MediaStream | undefined = Stream ? undefined : event.streams[0];
    if (!Stream && !stream) return null;
    const received: Received = {
      track,
      get stream() {
        stream ??= new Stream!([track]);
        return stream;
      },
    };
    this.#bySource.set(source, received);
    return { source, received };
  }

  clear(): void {
    this.#early = [];
  }
}
