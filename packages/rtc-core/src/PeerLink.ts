import type { IceCandidate, MediaSource, SessionDescription } from '@meshmeet/protocol';
import { CandidateQueue } from './CandidateQueue.ts';
import { Emitter } from './emitter.ts';
import { MeshError } from './errors.ts';
import { LocalCandidates } from './LocalCandidates.ts';
import type { LogContext, Logger } from './logger.ts';
import { isNegotiated, move, type NegotiationState } from './NegotiationState.ts';
import { DEFAULT_NEGOTIATION_RESENDS, DEFAULT_NEGOTIATION_TIMEOUT_MS, NegotiationWatchdog } from './NegotiationWatchdog.ts';
import type { Received } from './ReceivedTracks.ts';
import { RestartScheduler, type RestartPolicy } from './RestartScheduler.ts';
import { dtlsFingerprint, iceUfrag } from './sdp.ts';
import { TransceiverLayout } from './TransceiverLayout.ts';
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
  /** Whether ICE-TCP candidates are exchanged (see MeshOptions.tcpCandidates). */
  tcpCandidates?: boolean;
  /** How long to wait for the answer to any offer before re-sending it (see MeshOptions). */
  negotiationTimeoutMs?: number;
  /** Re-sends of an unanswered offer before that attempt is given up. */
  negotiationResends?: number;
  /** Whether the signaling channel can carry messages now (see setSignalingAvailable). */
  online?: boolean;
}

export interface PeerLinkEvents {
  connectionStateChanged: (state: RTCPeerConnectionState) => void;
  trackAdded: (e: { source: MediaSource; received: Received }) => void;
  /** Negotiation went wrong; `fatal` means the link cannot be used and must be closed. */
  error: (error: MeshError, fatal: boolean) => void;
}

/**
 * One RTCPeerConnection to one remote participant: the fixed transceiver layout, perfect
 * negotiation written out explicitly (createOffer/createAnswer and explicit rollback, which both
 * browsers and @roamhq/wrtc accept) as the moves of one NegotiationState, queued remote
 * candidates, a watchdog on every offer, and ICE restarts that wait for the signaling channel.
 * It never sees the signaling transport: it asks its owner to `send` and is handed what arrives.
 */
export class PeerLink extends Emitter<PeerLinkEvents> {
  readonly remoteId: string;
  readonly role: 'offerer' | 'answerer';
  readonly pc: RTCPeerConnection;
  readonly #o: PeerLinkOptions;
  readonly #layout: TransceiverLayout;
  readonly #restarts: RestartScheduler;
  readonly #watchdog: NegotiationWatchdog;
  readonly #localCandidates: LocalCandidates;
  readonly #candidates = new CandidateQueue();
  readonly #unlisten: Array<() => void> = [];
  #n: NegotiationState = { phase: 'new' };
  // Kept here rather than read from the pc: in wrtc each pc getter is a blocking call into the
  // signaling thread that every connection of the process shares.
  #remoteSdp: string | null = null;
  #localUfrag: string | null = null;
  /** Remote descriptions handed in but not yet applied; candidates wait behind them. */
  #remoteStepsPending = 0;
  #ignoredOffer = false;
  /** An ICE restart was asked for and has not been offered yet. */
  #restartWanted = false;
  #online: boolean;
  #state: RTCPeerConnectionState = 'new';
  #hasConnected = false;
  // Every negotiation step runs in this chain, so that no two of them interleave on the pc.
  #chain: Promise<void> = Promise.resolve();

  constructor(options: PeerLinkOptions) {
    super((error) => options.log.error('link listener threw', { ...options.logContext, error }));
    this.#o = options;
    this.remoteId = options.remoteId;
    this.role = options.role;
    this.#online = options.online ?? true;
    this.pc = new options.webrtc.RTCPeerConnection({ ...options.configuration, bundlePolicy: 'max-bundle' });
    this.#layout = new TransceiverLayout(this.pc, options.remoteId, options.localTracks, options.webrtc.MediaStream);
    this.#localCandidates = new LocalCandidates((candidate) => options.send({ candidate }), options.tcpCandidates);
    this.#restarts = new RestartScheduler(() => this.restartIce(), () => this.#state, options.restartPolicy);
    this.#watchdog = new NegotiationWatchdog((giveUp) => this.#enqueue(() => this.#offerUnanswered(giveUp)), {
      timeoutMs: options.negotiationTimeoutMs ?? DEFAULT_NEGOTIATION_TIMEOUT_MS,
      maxResends: options.negotiationResends ?? DEFAULT_NEGOTIATION_RESENDS,
    });
    this.#watchdog.pause(!this.#online);
    this.#listen('icecandidate', (e) => this.#onLocalCandidate((e as RTCPeerConnectionIceEvent).candidate));
    this.#listen('connectionstatechange', () => this.#onConnectionState());
    this.#listen('track', (e) => this.#onTrack(e as RTCTrackEvent));
    if (options.role === 'offerer') {
      this.#layout.create();
      this.#enqueue(() => this.#makeOffer(false));
    }
  }

  get connectionState(): RTCPeerConnectionState {
    return this.#state;
  }

  get negotiation(): NegotiationState {
    return this.#n;
  }

  /** Whether an answer has ever been applied (a first offer that is still out does not count). */
  get negotiated(): boolean {
    return isNegotiated(this.#n);
  }

  /** Whether the connection has been `connected` at least once. */
  get hasConnected(): boolean {
    return this.#hasConnected;
  }

  get closed(): boolean {
    return this.#n.phase === 'closed';
  }

  /**
   * Whether `offer` comes from a new connection of the other side (another DTLS certificate than
   * the one this connection negotiated with): it started over, so this link must be replaced.
   */
  isFromNewConnection(offer: SessionDescription): boolean {
    if (this.#remoteSdp === null) return false;
    const known = dtlsFingerprint(this.#remoteSdp);
    return known !== null && dtlsFingerprint(offer.sdp) !== known;
  }

  received(source: MediaSource): Received | null {
    return this.#layout.received(source);
  }

  /** The transceiver carrying `source` (m-line order, matched by mid); null before the first offer. */
  transceiver(source: MediaSource): RTCRtpTransceiver | null {
    return this.#layout.transceiver(source);
  }

  /** Remembers the track for this source and puts it on the sender; never renegotiates. */
  async setLocalTrack(source: MediaSource, track: MediaStreamTrack | null): Promise<void> {
    this.#layout.setLocalTrack(source, track);
    if (this.closed) return;
    const sender = this.transceiver(source)?.sender;
    if (sender) await sender.replaceTrack(track);
  }

  handleDescription(description: SessionDescription): void {
    this.#remoteStepsPending += 1;
    this.#enqueue(() => this.#onRemoteDescription(description));
  }

  /** Handles a remote candidate; queued until the remote description it belongs to is applied. */
  handleCandidate(candidate: IceCandidate | null): void {
    if (this.closed || this.#localCandidates.drops(candidate?.candidate)) return;
    const ready = this.#remoteStepsPending === 0 && this.#remoteSdp !== null;
    this.#candidates.incoming(candidate, ready, (c) => this.#addRemoteCandidate(c));
  }

  /** Starts an ICE restart now, or once the current negotiation ends and the channel is up. */
  restartIce(): void {
    if (this.closed) return;
    this.#restartWanted = true;
    if (this.#online) this.#enqueue(() => this.#makeOffer(true));
  }

  /**
   * Whether the signaling channel can carry messages. While it cannot, no offer is waited for
   * (the watchdog pauses) and ICE restarts are held back; both resume when it is back.
   */
  setSignalingAvailable(online: boolean): void {
    if (this.closed || this.#online === online) return;
    this.#online = online;
    this.#watchdog.pause(!online);
    if (online && this.#restartWanted) this.#enqueue(() => this.#makeOffer(true));
  }

  async getStats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  close(): void {
    if (this.closed) return;
    this.#n = move(this.#n, { phase: 'closed' });
    this.#restarts.dispose();
    this.#watchdog.settle();
    this.#localCandidates.forget();
    for (const unlisten of this.#unlisten.splice(0)) unlisten();
    this.#candidates.clear();
    this.#layout.clear();
    try {
      this.pc.close();
    } catch (error) {
      this.#o.log.debug('close threw', { ...this.#o.logContext, error });
    }
    this.#state = 'closed';
    this.clear();
  }

  #listen(type: string, handler: (e: Event) => void): void {
    this.pc.addEventListener(type, handler);
    this.#unlisten.push(() => this.pc.removeEventListener(type, handler));
  }

  #enqueue(step: () => Promise<void>): void {
    this.#chain = this.#chain.then(async () => {
      if (this.closed) return;
      try {
        await step();
      } catch (error) {
        await this.#onStepFailed(error);
      }
    });
  }

  async #makeOffer(iceRestart: boolean): Promise<void> {
    if (iceRestart) {
      // Already satisfied by an earlier step; or it must wait: for the channel, for the first
      // answer (nothing to restart yet), or for the negotiation under way (see #afterNegotiation).
      if (!this.#restartWanted || !this.#online || this.#n.phase !== 'stable') return;
      this.#restartWanted = false;
    } else if (this.#n.phase !== 'new') {
      return;
    }
    const first = this.#n.phase === 'new';
    const offer = await this.pc.createOffer(iceRestart ? { iceRestart: true } : {});
    const sdp = offer.sdp ?? '';
    this.#layout.learnMids(sdp);
    this.#newLocalDescription(sdp);
    // Sent before it is applied: the other side works on its answer while setLocalDescription
    // runs here (a long blocking call in wrtc). The answer waits in the chain behind this step.
    this.#sendDescription({ type: 'offer', sdp });
    await this.pc.setLocalDescription(offer);
    this.#n = move(this.#n, { phase: 'offering', first, iceRestart, sdp });
    this.#watchdog.offerSent();
  }

  /**
   * An offer is still unanswered: it or its answer may have been lost on the way, so the same
   * offer goes out again with our candidates (the answerer answers a repeat again). Given up, a
   * first offer fails the link (its owner starts over); a later one is rolled back, and ICE
   * restarts go on under the restart policy.
   */
  async #offerUnanswered(giveUp: boolean): Promise<void> {
    const n = this.#n;
    if (n.phase !== 'offering') return;
    if (giveUp && n.first) {
      throw new MeshError('NEGOTIATION_FAILED', `no answer to the offer after ${this.#watchdog.resends} re-sends`, { peerId: this.remoteId });
    }
    if (giveUp) {
      this.#o.log.warn('renegotiation unanswered: rolling back', this.#o.logContext);
      this.#watchdog.settle();
      await this.pc.setLocalDescription({ type: 'rollback' });
      this.#n = move(n, { phase: 'stable' });
      this.#restarts.onState(this.#state);
      return;
    }
    this.#o.log.warn('offer unanswered: sending it again', { ...this.#o.logContext, resend: this.#watchdog.resends });
    // The offer as created, not pc.localDescription: that one carries the gathered candidates.
    this.#sendDescription({ type: 'offer', sdp: n.sdp });
    this.#localCandidates.resend();
    this.#watchdog.resent();
  }

  async #onRemoteDescription(description: SessionDescription): Promise<void> {
    try {
      if (description.type === 'offer') await this.#onRemoteOffer(description);
      else await this.#onRemoteAnswer(description);
    } finally {
      this.#remoteStepsPending -= 1;
      if (this.#remoteStepsPending === 0 && this.#remoteSdp !== null) this.#candidates.flushIncoming((c) => this.#addRemoteCandidate(c));
    }
    this.#afterNegotiation();
  }

  async #onRemoteOffer(offer: SessionDescription): Promise<void> {
    const collision = this.#n.phase === 'offering';
    // The offerer repeats an offer whose answer it never got: answer it again (JSEP allows it).
    const repeated = !collision && offer.sdp === this.#remoteSdp;
    this.#ignoredOffer = collision && !this.#o.polite;
    if (this.#ignoredOffer) {
      this.#o.log.debug('offer collision: ignoring (impolite)', this.#o.logContext);
      return;
    }
    if (!this.#layout.learnMids(offer.sdp)) {
      throw new MeshError('NEGOTIATION_FAILED', 'the offer does not carry the audio, camera, screen layout', { peerId: this.remoteId });
    }
    const first = !this.negotiated;
    const previousUfrag = this.#remoteSdp === null ? null : iceUfrag(this.#remoteSdp);
    if (collision) {
      this.#o.log.debug('offer collision: rolling back (polite)', this.#o.logContext);
      this.#watchdog.settle();
      await this.pc.setLocalDescription({ type: 'rollback' });
    }
    this.#n = move(this.#n, { phase: 'answering', first });
    await this.pc.setRemoteDescription(offer);
    this.#remoteSdp = offer.sdp;
    // An ICE restart offered by the other side restarts both directions: ours is then done too.
    if (previousUfrag !== null && iceUfrag(offer.sdp) !== previousUfrag) this.#restartWanted = false;
    if (first) {
      this.#layout.adopt((error) => {
        if (!this.closed) this.emit('error', error, false);
      });
    }
    const answer = await this.pc.createAnswer();
    const sdp = answer.sdp ?? '';
    this.#newLocalDescription(sdp);
    this.#sendDescription({ type: 'answer', sdp }); // early, as with offers
    await this.pc.setLocalDescription(answer);
    this.#n = move(this.#n, { phase: 'stable' });
    if (first) this.#afterAdoption();
    if (repeated) {
      this.#o.log.debug('repeated offer answered again', this.#o.logContext);
      this.#localCandidates.resend(); // they may have been lost with the answer
    }
  }

  async #onRemoteAnswer(answer: SessionDescription): Promise<void> {
    if (this.#n.phase !== 'offering') {
      this.#o.log.debug('answer in wrong state ignored', { ...this.#o.logContext, phase: this.#n.phase });
      return;
    }
    await this.pc.setRemoteDescription(answer);
    this.#remoteSdp = answer.sdp;
    this.#n = move(this.#n, { phase: 'stable' });
    this.#watchdog.settle();
    this.#o.log.debug('answer applied', this.#o.logContext);
  }

  /** Off the critical path, once the first answer is out: confirm the adopted layout by mid. */
  #afterAdoption(): void {
    const confirmed = this.#layout.confirm();
    if (confirmed instanceof MeshError) this.emit('error', confirmed, true);
    else for (const added of confirmed) this.emit('trackAdded', added);
  }

  #afterNegotiation(): void {
    if (this.#restartWanted && this.#online && !this.closed) this.#enqueue(() => this.#makeOffer(true));
  }

  /** New ICE credentials start a new candidate generation; a repeated description keeps its candidates. */
  #newLocalDescription(sdp: string): void {
    const ufrag = iceUfrag(sdp);
    if (ufrag === this.#localUfrag) return;
    this.#localUfrag = ufrag;
    this.#localCandidates.startGeneration();
  }

  #sendDescription(description: SessionDescription): void {
    this.#o.send({ description });
    this.#o.log.debug(description.type === 'offer' ? 'offer sent' : 'answer sent', this.#o.logContext);
  }

  #onLocalCandidate(candidate: RTCIceCandidate | null): void {
    if (this.closed || this.#localCandidates.drops(candidate?.candidate)) return;
    // Gathering starts in setLocalDescription, so the description has always gone out before.
    this.#localCandidates.send(candidate);
  }

  #addRemoteCandidate(candidate: IceCandidate | null): void {
    // null = end of candidates; a stale one (older ICE generation, ignored offer) fails harmlessly.
    this.pc.addIceCandidate(candidate ?? null).catch((error: unknown) => {
      if (!this.closed && !this.#ignoredOffer) this.#o.log.debug('remote candidate refused', { ...this.#o.logContext, error });
    });
  }

  #onConnectionState(): void {
    const state = this.pc.connectionState;
    if (this.closed || state === this.#state) return; // libwebrtc repeats states
    this.#state = state;
    if (state === 'connected') this.#hasConnected = true;
    this.#o.log.debug('connection state', { ...this.#o.logContext, state });
    this.#restarts.onState(state);
    this.emit('connectionStateChanged', state);
  }

  #onTrack(event: RTCTrackEvent): void {
    if (this.closed) return;
    const added = this.#layout.onTrack(event);
    if (added) this.emit('trackAdded', added);
  }

  async #onStepFailed(error: unknown): Promise<void> {
    if (this.closed) return;
    const meshError =
      error instanceof MeshError ? error : new MeshError('NEGOTIATION_FAILED', 'negotiation step failed', { cause: error, peerId: this.remoteId });
    if (!this.negotiated) {
      this.emit('error', meshError, true);
      return;
    }
    // A live connection survives a failed renegotiation: get back to stable and try a restart.
    this.#o.log.warn('renegotiation failed', { ...this.#o.logContext, error });
    this.emit('error', meshError, false);
    this.#watchdog.settle();
    if (this.pc.signalingState === 'have-local-offer') await this.pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
    if (this.#n.phase !== 'stable') this.#n = move(this.#n, { phase: 'stable' });
    this.#restarts.onState('failed');
  }
}
