import type { IceCandidate, SessionDescription } from '@meshmeet/protocol/checks';
import { CandidateQueue } from './CandidateQueue.ts';
import { MeshError } from './errors.ts';
import { LocalCandidates } from './LocalCandidates.ts';
import type { LogContext, Logger } from './logger.ts';
import { isNegotiated, move, type NegotiationState } from './NegotiationState.ts';
import { DEFAULT_NEGOTIATION_RESENDS, DEFAULT_NEGOTIATION_TIMEOUT_MS, NegotiationWatchdog } from './NegotiationWatchdog.ts';
import type { OutgoingSignal } from './PeerLink.ts';
import { dtlsFingerprint, iceUfrag } from './sdp.ts';
import type { TrackAdded, TransceiverLayout } from './TransceiverLayout.ts';

/** What the negotiator needs from the link that owns it. */
export interface NegotiatorHost {
  pc: RTCPeerConnection;
  layout: TransceiverLayout;
  remoteId: string;
  polite: boolean;
  send: (signal: OutgoingSignal) => void;
  log: Logger;
  logContext: LogContext;
  tcpCandidates?: boolean | undefined;
  negotiationTimeoutMs?: number | undefined;
  negotiationResends?: number | undefined;
  online: boolean;
  /** The connection's state as last reported (the restart policy decides on it). */
  connectionState: () => RTCPeerConnectionState;
  /** Asks the restart policy to look at the connection again (after a given-up renegotiation). */
  recheck: (state: RTCPeerConnectionState) => void;
  error: (error: MeshError, fatal: boolean) => void;
  trackAdded: (added: TrackAdded) => void;
  /** The first remote offer is about to be applied (the answerer sets up what it carries). */
  firstOffer: (sdp: string) => void;
}

/**
 * The offer/answer exchange of one connection: perfect negotiation written out explicitly
 * (createOffer/createAnswer and explicit rollback, which both browsers and @roamhq/wrtc accept)
 * as the moves of one NegotiationState, queued remote candidates, a watchdog on every offer,
 * and ICE restarts that wait for the signaling channel. Every step runs in one chain, so no two
 * of them interleave on the pc.
 */
export class Negotiator {
  readonly #h: NegotiatorHost;
  readonly #watchdog: NegotiationWatchdog;
  readonly #localCandidates: LocalCandidates;
  readonly #candidates = new CandidateQueue();
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
  #chain: Promise<void> = Promise.resolve();

  constructor(host: NegotiatorHost) {
    this.#h = host;
    this.#online = host.online;
    this.#localCandidates = new LocalCandidates((candidate) => host.send({ candidate }), host.tcpCandidates);
    this.#watchdog = new NegotiationWatchdog((giveUp) => this.#enqueue(() => this.#offerUnanswered(giveUp)), {
      timeoutMs: host.negotiationTimeoutMs ?? DEFAULT_NEGOTIATION_TIMEOUT_MS,
      maxResends: host.negotiationResends ?? DEFAULT_NEGOTIATION_RESENDS,
    });
    this.#watchdog.pause(!this.#online);
  }

  get state(): NegotiationState {
    return this.#n;
  }

  get negotiated(): boolean {
    return isNegotiated(this.#n);
  }

  get closed(): boolean {
    return this.#n.phase === 'closed';
  }

  /** Whether `offer` carries another DTLS certificate than the one this connection negotiated with. */
  isFromNewConnection(offer: SessionDescription): boolean {
    if (this.#remoteSdp === null) return false;
    const known = dtlsFingerprint(this.#remoteSdp);
    return known !== null && dtlsFingerprint(offer.sdp) !== known;
  }

  /** The offerer's first step. */
  start(): void {
    this.#enqueue(() => this.#makeOffer(false));
  }

  handleDescription(description: SessionDescription): void {
    this.#remoteStepsPending += 1;
    this.#enqueue(() => this.#onRemoteDescription(description));
  }

  handleCandidate(candidate: IceCandidate | null): void {
    if (this.closed || this.#localCandidates.drops(candidate?.candidate)) return;
    const ready = this.#remoteStepsPending === 0 && this.#remoteSdp !== null;
    this.#candidates.incoming(candidate, ready, (c) => this.#addRemoteCandidate(c));
  }

  onLocalCandidate(candidate: RTCIceCandidate | null): void {
    if (this.closed || this.#localCandidates.drops(candidate?.candidate)) return;
    // Gathering starts in setLocalDescription, so the description has always gone out before.
    this.#localCandidates.send(candidate);
  }

  restartIce(): void {
    if (this.closed) return;
    this.#restartWanted = true;
    if (this.#online) this.#enqueue(() => this.#makeOffer(true));
  }

  setSignalingAvailable(online: boolean): void {
    if (this.closed || this.#online === online) return;
    this.#online = online;
    this.#watchdog.pause(!online);
    if (online && this.#restartWanted) this.#enqueue(() => this.#makeOffer(true));
  }

  close(): void {
    if (this.closed) return;
    this.#n = move(this.#n, { phase: 'closed' });
    this.#watchdog.settle();
    this.#localCandidates.forget();
    this.#candidates.clear();
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
    const offer = await this.#h.pc.createOffer(iceRestart ? { iceRestart: true } : {});
    const sdp = offer.sdp ?? '';
    this.#h.layout.learnMids(sdp);
    this.#newLocalDescription(sdp);
    // Sent before it is applied: the other side works on its answer while setLocalDescription
    // runs here (a long blocking call in wrtc). The answer waits in the chain behind this step.
    this.#sendDescription({ type: 'offer', sdp });
    await this.#h.pc.setLocalDescription(offer);
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
      throw new MeshError('NEGOTIATION_FAILED', `no answer to the offer after ${this.#watchdog.resends} re-sends`, { peerId: this.#h.remoteId });
    }
    if (giveUp) {
      this.#h.log.warn('renegotiation unanswered: rolling back', this.#h.logContext);
      this.#watchdog.settle();
      await this.#h.pc.setLocalDescription({ type: 'rollback' });
      this.#n = move(n, { phase: 'stable' });
      this.#h.recheck(this.#h.connectionState());
      return;
    }
    this.#h.log.warn('offer unanswered: sending it again', { ...this.#h.logContext, resend: this.#watchdog.resends });
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
    this.#ignoredOffer = collision && !this.#h.polite;
    if (this.#ignoredOffer) {
      this.#h.log.debug('offer collision: ignoring (impolite)', this.#h.logContext);
      return;
    }
    if (!this.#h.layout.learnMids(offer.sdp)) {
      throw new MeshError('NEGOTIATION_FAILED', 'the offer does not carry the audio, camera, screen layout', { peerId: this.#h.remoteId });
    }
    const first = !this.negotiated;
    const previousUfrag = this.#remoteSdp === null ? null : iceUfrag(this.#remoteSdp);
    if (collision) {
      this.#h.log.debug('offer collision: rolling back (polite)', this.#h.logContext);
      this.#watchdog.settle();
      await this.#h.pc.setLocalDescription({ type: 'rollback' });
    }
    this.#n = move(this.#n, { phase: 'answering', first });
    if (first) this.#h.firstOffer(offer.sdp);
    await this.#h.pc.setRemoteDescription(offer);
    this.#remoteSdp = offer.sdp;
    // An ICE restart offered by the other side restarts both directions: ours is then done too.
    if (previousUfrag !== null && iceUfrag(offer.sdp) !== previousUfrag) this.#restartWanted = false;
    if (first) {
      this.#h.layout.adopt((error) => {
        if (!this.closed) this.#h.error(error, false);
      });
    }
    const answer = await this.#h.pc.createAnswer();
    const sdp = answer.sdp ?? '';
    this.#newLocalDescription(sdp);
    this.#sendDescription({ type: 'answer', sdp }); // early, as with offers
    await this.#h.pc.setLocalDescription(answer);
    this.#n = move(this.#n, { phase: 'stable' });
    if (first) this.#afterAdoption();
    if (repeated) {
      this.#h.log.debug('repeated offer answered again', this.#h.logContext);
      this.#localCandidates.resend(); // they may have been lost with the answer
    }
  }

  async #onRemoteAnswer(answer: SessionDescription): Promise<void> {
    if (this.#n.phase !== 'offering') {
      this.#h.log.debug('answer in wrong state ignored', { ...this.#h.logContext, phase: this.#n.phase });
      return;
    }
    await this.#h.pc.setRemoteDescription(answer);
    this.#remoteSdp = answer.sdp;
    this.#n = move(this.#n, { phase: 'stable' });
    this.#watchdog.settle();
    this.#h.log.debug('answer applied', this.#h.logContext);
  }

  /** Off the critical path, once the first answer is out: confirm the adopted layout by mid. */
  #afterAdoption(): void {
    const confirmed = this.#h.layout.confirm();
    if (confirmed instanceof MeshError) this.#h.error(confirmed, true);
    else for (const added of confirmed) this.#h.trackAdded(added);
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
    this.#h.send({ description });
    this.#h.log.debug(description.type === 'offer' ? 'offer sent' : 'answer sent', this.#h.logContext);
  }

  #addRemoteCandidate(candidate: IceCandidate | null): void {
    // null = end of candidates; a stale one (older ICE generation, ignored offer) fails harmlessly.
    this.#h.pc.addIceCandidate(candidate ?? null).catch((error: unknown) => {
      if (!this.closed && !this.#ignoredOffer) this.#h.log.debug('remote candidate refused', { ...this.#h.logContext, error });
    });
  }

  async #onStepFailed(error: unknown): Promise<void> {
    if (this.closed) return;
    const meshError =
      error instanceof MeshError ? error : new MeshError('NEGOTIATION_FAILED', 'negotiation step failed', { cause: error, peerId: this.#h.remoteId });
    if (!this.negotiated) {
      this.#h.error(meshError, true);
      return;
    }
    // A live connection survives a failed renegotiation: get back to stable and try a restart.
    this.#h.log.warn('renegotiation failed', { ...this.#h.logContext, error });
    this.#h.error(meshError, false);
    this.#watchdog.settle();
    if (this.#h.pc.signalingState === 'have-local-offer') await this.#h.pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
    if (this.#n.phase !== 'stable') this.#n = move(this.#n, { phase: 'stable' });
    this.#h.recheck('failed');
  }
}
