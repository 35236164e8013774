import { MEDIA_SOURCES, TRANSCEIVER_KINDS, type MediaSource } from '@meshmeet/protocol/checks';
import { MeshError } from './errors.ts';
import { ReceivedTracks, type Received } from './ReceivedTracks.ts';
import { midsBySource } from './sdp.ts';

export interface TrackAdded {
  source: MediaSource;
  received: Received;
}

/**
 * The fixed transceiver layout of one connection (m-line 0 mic, 1 camera, 2 screen): the local
 * track per source, the three transceivers once known (created by the offerer, adopted from the
 * offer by the answerer), the mids by source, and what arrives on each. It makes no negotiation
 * step itself; its owner calls it at the right points and reports what it returns.
 */
export class TransceiverLayout {
  readonly #pc: RTCPeerConnection;
  readonly #peerId: string;
  readonly #localTracks: Record<MediaSource, MediaStreamTrack | null>;
  readonly #received: ReceivedTracks;
  #mids: Record<MediaSource, string> | null = null;
  /** The three transceivers in layout order, once known (at once for the offerer). */
  #transceivers: RTCRtpTransceiver[] | null = null;

  constructor(
    pc: RTCPeerConnection,
    peerId: string,
    localTracks: Readonly<Record<MediaSource, MediaStreamTrack | null>>,
    MediaStream: (new (tracks?: MediaStreamTrack[]) => MediaStream) | undefined,
  ) {
    this.#pc = pc;
    this.#peerId = peerId;
    this.#localTracks = { ...localTracks };
    this.#received = new ReceivedTracks(MediaStream);
  }

  /** The transceiver carrying `source`; null until the layout is known. */
  transceiver(source: MediaSource): RTCRtpTransceiver | null {
    return this.#transceivers?.[MEDIA_SOURCES.indexOf(source)] ?? null;
  }

  received(source: MediaSource): Received | null {
    return this.#received.get(source);
  }

  /** Remembers the track for this source (for adoption); putting it on the sender is the owner's call. */
  setLocalTrack(source: MediaSource, track: MediaStreamTrack | null): void {
    this.#localTracks[source] = track;
  }

  /** Offerer: adds the three transceivers, sending in both directions, in layout order. */
  create(): void {
    this.#transceivers = MEDIA_SOURCES.map((source) =>
      this.#pc.addTransceiver(this.#localTracks[source] ?? TRANSCEIVER_KINDS[source], { direction: 'sendrecv' }),
    );
    this.#received.setLayout(this.#transceivers);
  }

  /** Takes the mids from the first offer seen (ours or theirs); false when it lacks the layout. */
  learnMids(sdp: string): boolean {
    if (!this.#mids) this.#mids = midsBySource(sdp);
    return this.#mids !== null;
  }

  /**
   * Answerer: takes the offer's three transceivers as its own, sending in both directions.
   * replaceTrack does not touch the SDP, so the answer is not held up waiting for it.
   */
  adopt(onAttachFailed: (error: MeshError) => void): void {
    // setRemoteDescription creates an answerer's transceivers in m-line order (JSEP), so the
    // first three are mic, camera, screen; confirm() checks it once the answer is out.
    const all = this.#pc.getTransceivers();
    if (all.length < MEDIA_SOURCES.length) throw new MeshError('NEGOTIATION_FAILED', 'the offer created too few transceivers', { peerId: this.#peerId });
    this.#transceivers = all.slice(0, MEDIA_SOURCES.length);
    for (const [index, source] of MEDIA_SOURCES.entries()) {
      const transceiver = this.#transceivers[index]!;
      transceiver.direction = 'sendrecv';
      const track = this.#localTracks[source];
      if (track) {
        transceiver.sender.replaceTrack(track).catch((error: unknown) => {
          onAttachFailed(new MeshError('INTERNAL', `could not attach the ${source} track`, { cause: error, peerId: this.#peerId }));
        });
      }
    }
  }

  /**
   * Off the critical path: confirms the adopted order by mid, then lets waiting track events in.
   * Returns the (fatal) mismatch, or the tracks those events added.
   */
  confirm(): MeshError | TrackAdded[] {
    const transceivers = this.#transceivers ?? [];
    for (const [index, source] of MEDIA_SOURCES.entries()) {
      if (transceivers[index]?.mid !== this.#mids?.[source]) {
        return new MeshError('NEGOTIATION_FAILED', `transceiver ${index} does not carry the ${source} m-line`, { peerId: this.#peerId });
      }
    }
    return this.#received.setLayout(transceivers);
  }

  /** The track an event added, or null (nothing new, or waiting for the layout). */
  onTrack(event: RTCTrackEvent): TrackAdded | null {
    return this.#received.onTrack(event);
  }

  clear(): void {
    this.#received.clear();
  }
}
