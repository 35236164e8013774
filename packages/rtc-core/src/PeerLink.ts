import { MEDIA_SOURCES, TRANSCEIVER_KINDS, type IceCandidate, type MediaSource, type SessionDescription } from '@meshmeet/protocol';
import { Emitter } from './emitter.ts';
import { MeshError } from './errors.ts';
import type { LogContext, Logger } from './logger.ts';
import { RestartScheduler, type RestartPolicy } from './RestartScheduler.ts';
import { iceUfrag, midsBySource } from './sdp.ts';
import type { WebRtcImplementation } from './webrtc.ts';

/** What a link asks its owner to deliver to the remote peer. */
export type OutgoingSignal = { description: SessionDescription } | { candidate: IceCandidate | null };

export interface PeerLinkOptions {
  remoteId: string;
  /** Polite side of perfect negotiation (the protocol's `isPolite(selfId, remoteId)`). */
  polite: boolean;
  /** Offerer: the newcomer that starts the connection; answerer: adopts the offer's transceivers. */
  role: 'offerer' | 'answerer';
  webrtc: WebRtcImplementation;
  configuration: RTCConfiguration;
  localTracks: Readonly<Record<MediaSource, MediaStreamTrack | null>>;
  send: (signal: OutgoingSignal) => void;
  log: Logger;
  logContext: LogContext;
  restartPolicy?: RestartPolicy;
}

export interface PeerLinkEvents {
  connectionStateChanged: (state: RTCPeerConnectionState) => void;
  trackAdded: (e: { source: MediaSource; track: MediaStreamTrack; stream: MediaStream }) => void;
  /** Negotiation went wrong; `fatal` means the link cannot be used and must be closed. */
  error: (error: MeshError, fatal: boolean) => void;
}

/**
 * One RTCPeerConnection to one remote participant: the fixed transceiver layout, perfect
 * negotiation written out explicitly (createOffer/createAnswer and explicit rollback, which both
 * browsers and @roamhq/wrtc accept), queued remote candidates, and ICE restarts. It never sees
 * the signaling transport: it asks its owner to `send` and is handed what arrives.
 */
export class PeerLink extends Emitter<PeerLinkEvents> {
  readonly remoteId: string;
  readonly pc: RTCPeerConnection;
  readonly #o: PeerLinkOptions;
  readonly #localTracks: Record<MediaSource, MediaStreamTrack | null>;
  readonly #restarts: RestartScheduler;
  readonly #unlisten: Array<() => void> = [];
  #mids: Record<MediaSource, string> | null = null;
  readonly #received = new Map<MediaSource, { track: MediaStreamTrack; stream: MediaStream }>();
  // Every negotiation step runs in this chain, so that no two of them interleave on the pc.
  #chain: Promise<void> = Promise.resolve();
  #pendingRemote: Array<IceCandidate | null> = [];
  #remoteStepsPending = 0;
  #heldLocal: Array<IceCandidate | null> | null = null;
  #ignoredOffer = false;
  #restartWanted = false;
  #negotiated = false;
  #state: RTCPeerConnectionState = 'new';
  #closed = false;

  constructor(options: PeerLinkOptions) {
    super((error) => options.log.error('link listener threw', { ...options.logContext, error }));
    this.#o = options;
    this.remoteId = options.remoteId;
    this.#localTracks = { ...options.localTracks };
    this.pc = new options.webrtc.RTCPeerConnection({ ...options.configuration, bundlePolicy: 'max-bundle' });
    this.#restarts = new RestartScheduler(() => this.restartIce(), () => this.#state, options.restartPolicy);
    this.#listen('icecandidate', (e) => this.#onLocalCandidate((e as RTCPeerConnectionIceEvent).candidate));
    this.#listen('connectionstatechange', () => this.#onConnectionState());
    this.#listen('track', (e) => this.#onTrack(e as RTCTrackEvent));
    if (options.role === 'offerer') {
      for (const source of MEDIA_SOURCES) {
        this.pc.addTransceiver(this.#localTracks[source] ?? TRANSCEIVER_KINDS[source], { direction: 'sendrecv' });
      }
      this.#enqueue(() => this.#makeOffer(false));
    }
  }

  get connectionState(): RTCPeerConnectionState {
    return this.#state;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The received track and the stream wrapping it, once the connection is negotiated. */
  received(source: MediaSource): { track: MediaStreamTrack; stream: MediaStream } | null {
    return this.#received.get(source) ?? null;
  }

  /** The transceiver carrying `source`, found by the mid of its m-line; null before negotiation. */
  transceiver(source: MediaSource): RTCRtpTransceiver | null {
    const mid = this.#mids?.[source];
    if (mid === undefined) return null;
    return this.pc.getTransceivers().find((t) => t.mid === mid) ?? null;
  }

  /** Remembers the track for this source and puts it on the sender; never renegotiates. */
  async setLocalTrack(source: MediaSource, track: MediaStreamTrack | null): Promise<void> {
    this.#localTracks[source] = track;
    if (this.#closed) return;
    const sender = this.#senderFor(source);
    if (sender && sender.track !== track) await sender.replaceTrack(track);
  }

  /** Handles a description from the remote peer. */
  handleDescription(description: SessionDescription): void {
    this.#remoteStepsPending += 1;
    this.#enqueue(() => this.#onRemoteDescription(description));
  }

  /** Handles a remote candidate; queued until the remote description it belongs to is applied. */
  handleCandidate(candidate: IceCandidate | null): void {
    if (this.#closed) return;
    if (this.#remoteStepsPending > 0 || !this.pc.remoteDescription) {
      this.#pendingRemote.push(candidate);
      return;
    }
    this.#addRemoteCandidate(candidate);
  }

  /** Starts an ICE restart now (or as soon as the current negotiation ends). */
  restartIce(): void {
    if (this.#closed) return;
    this.#restartWanted = true;
    this.#enqueue(() => this.#makeOffer(true));
  }

  async getStats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#restarts.dispose();
    for (const unlisten of this.#unlisten.splice(0)) unlisten();
    this.#pendingRemote = [];
    this.#heldLocal = null;
    try {
      this.pc.close();
    } catch (error) {
      this.#o.log.debug('close threw', { ...this.#o.logContext, error });
    }
    this.#state = 'closed';
    this.clear();
  }

  #senderFor(source: MediaSource): RTCRtpSender | null {
    if (this.#o.role === 'offerer') {
      // The offerer's transceivers exist from the start, in layout order, before mids are assigned.
      return this.pc.getTransceivers()[MEDIA_SOURCES.indexOf(source)]?.sender ?? null;
    }
    return this.transceiver(source)?.sender ?? null;
  }

  #listen(type: string, handler: (e: Event) => void): void {
    this.pc.addEventListener(type, handler);
    this.#unlisten.push(() => this.pc.removeEventListener(type, handler));
  }

  #enqueue(step: () => Promise<void>): void {
    this.#chain = this.#chain.then(async () => {
      if (this.#closed) return;
      try {
        await step();
      } catch (error) {
        await this.#onStepFailed(error);
      }
    });
  }

  async #makeOffer(iceRestart: boolean): Promise<void> {
    if (iceRestart && !this.#restartWanted) return; // already satisfied by an earlier step
    if (this.pc.signalingState !== 'stable' || (iceRestart && !this.#negotiated)) {
      // Finish the negotiation under way first; the restart follows it (see #afterNegotiation).
      if (iceRestart) this.#restartWanted = true;
      return;
    }
    this.#restartWanted = false;
    const offer = await this.pc.createOffer(iceRestart ? { iceRestart: true } : {});
    this.#heldLocal ??= [];
    await this.pc.setLocalDescription(offer);
    if (!this.#mids) this.#mids = midsBySource(offer.sdp ?? '');
    this.#sendDescription();
  }

  async #onRemoteDescription(description: SessionDescription): Promise<void> {
    try {
      if (description.type === 'offer') await this.#onRemoteOffer(description);
      else await this.#onRemoteAnswer(description);
    } finally {
      this.#remoteStepsPending -= 1;
      if (this.#remoteStepsPending === 0) this.#flushRemoteCandidates();
    }
    this.#afterNegotiation();
  }

  async #onRemoteOffer(offer: SessionDescription): Promise<void> {
    const collision = this.pc.signalingState !== 'stable';
    this.#ignoredOffer = collision && !this.#o.polite;
    if (this.#ignoredOffer) {
      this.#o.log.debug('offer collision: ignoring (impolite)', this.#o.logContext);
      return;
    }
    if (!this.#mids) {
      this.#mids = midsBySource(offer.sdp);
      if (!this.#mids) throw new MeshError('NEGOTIATION_FAILED', 'the offer does not carry the audio, camera, screen layout', { peerId: this.remoteId });
    }
    const previousUfrag = iceUfrag(this.pc.remoteDescription?.sdp ?? '');
    if (collision) {
      this.#o.log.debug('offer collision: rolling back (polite)', this.#o.logContext);
      await this.pc.setLocalDescription({ type: 'rollback' });
    }
    await this.pc.setRemoteDescription(offer);
    // An ICE restart offered by the other side restarts both directions: ours is then done too.
    if (previousUfrag !== null && iceUfrag(offer.sdp) !== previousUfrag) this.#restartWanted = false;
    if (!this.#negotiated) await this.#adoptTransceivers();
    const answer = await this.pc.createAnswer();
    this.#heldLocal ??= [];
    await this.pc.setLocalDescription(answer);
    this.#negotiated = true;
    this.#sendDescription();
  }

  async #onRemoteAnswer(answer: SessionDescription): Promise<void> {
    if (this.pc.signalingState !== 'have-local-offer') {
      this.#o.log.debug('answer in wrong state ignored', { ...this.#o.logContext, state: this.pc.signalingState });
      return;
    }
    await this.pc.setRemoteDescription(answer);
    this.#negotiated = true;
  }

  /** The answerer takes the offer's three transceivers as its own, sending in both directions. */
  async #adoptTransceivers(): Promise<void> {
    await Promise.all(
      MEDIA_SOURCES.map(async (source) => {
        const transceiver = this.transceiver(source);
        if (!transceiver) throw new MeshError('NEGOTIATION_FAILED', `no transceiver for ${source}`, { peerId: this.remoteId });
        transceiver.direction = 'sendrecv';
        const track = this.#localTracks[source];
        if (track) await transceiver.sender.replaceTrack(track);
      }),
    );
  }

  #afterNegotiation(): void {
    if (this.#restartWanted && !this.#closed) this.#enqueue(() => this.#makeOffer(true));
  }

  #sendDescription(): void {
    const local = this.pc.localDescription;
    if (!local || (local.type !== 'offer' && local.type !== 'answer')) return;
    this.#o.send({ description: { type: local.type, sdp: local.sdp } });
    // Candidates gathered while the description was being made follow it, never precede it.
    const held = this.#heldLocal ?? [];
    this.#heldLocal = null;
    for (const candidate of held) this.#o.send({ candidate });
  }

  #onLocalCandidate(candidate: RTCIceCandidate | null): void {
    if (this.#closed) return;
    const init: IceCandidate | null = candidate
      ? {
          candidate: candidate.candidate,
          sdpMid: candidate.sdpMid ?? null,
          sdpMLineIndex: candidate.sdpMLineIndex ?? null,
          usernameFragment: candidate.usernameFragment ?? null,
        }
      : null;
    if (this.#heldLocal) this.#heldLocal.push(init);
    else this.#o.send({ candidate: init });
  }

  #flushRemoteCandidates(): void {
    if (!this.pc.remoteDescription) return;
    for (const candidate of this.#pendingRemote.splice(0)) this.#addRemoteCandidate(candidate);
  }

  #addRemoteCandidate(candidate: IceCandidate | null): void {
    // null = end of candidates; a stale one (older ICE generation, ignored offer) fails harmlessly.
    this.pc.addIceCandidate(candidate ?? null).catch((error: unknown) => {
      if (!this.#closed && !this.#ignoredOffer) this.#o.log.debug('remote candidate refused', { ...this.#o.logContext, error });
    });
  }

  #onConnectionState(): void {
    const state = this.pc.connectionState;
    if (this.#closed || state === this.#state) return; // libwebrtc repeats states
    this.#state = state;
    this.#restarts.onState(state);
    this.emit('connectionStateChanged', state);
  }

  #onTrack(event: RTCTrackEvent): void {
    const mid = event.transceiver?.mid;
    const source = MEDIA_SOURCES.find((s) => this.#mids?.[s] === mid);
    if (!source) {
      this.#o.log.warn('track on an unknown transceiver', { ...this.#o.logContext, mid });
      return;
    }
    if (this.#received.get(source)?.track === event.track) return;
    const Stream = this.#o.webrtc.MediaStream;
    const stream = Stream ? new Stream([event.track]) : event.streams[0];
    if (!stream) return;
    this.#received.set(source, { track: event.track, stream });
    this.emit('trackAdded', { source, track: event.track, stream });
  }

  async #onStepFailed(error: unknown): Promise<void> {
    if (this.#closed) return;
    const meshError =
      error instanceof MeshError ? error : new MeshError('NEGOTIATION_FAILED', 'negotiation step failed', { cause: error, peerId: this.remoteId });
    this.#heldLocal = null;
    if (!this.#negotiated) {
      this.emit('error', meshError, true);
      return;
    }
    // A live connection survives a failed renegotiation: get back to stable and try a restart.
    this.#o.log.warn('renegotiation failed', { ...this.#o.logContext, error });
    this.emit('error', meshError, false);
    if (this.pc.signalingState === 'have-local-offer') {
      await this.pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
    }
    this.#restarts.onState('failed');
  }
}
