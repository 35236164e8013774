import type { IceCandidate, LinkMessage, MediaSource, SessionDescription } from '@meshmeet/protocol/checks';
import { Emitter } from './emitter.ts';
import type { MeshError } from './errors.ts';
import { LinkChannel, offersDataChannel } from './LinkChannel.ts';
import type { LogContext, Logger } from './logger.ts';
import type { NegotiationState } from './NegotiationState.ts';
import { Negotiator } from './Negotiator.ts';
import type { Received } from './ReceivedTracks.ts';
import { RestartScheduler, type RestartPolicy } from './RestartScheduler.ts';
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
  /**
   * The link's data channel: the offerer adds it to its first offer when true (both sides
   * announced the `data` capability); the answerer takes it when the offer carries it and this
   * is true.
   */
  data?: boolean;
}

export interface PeerLinkEvents {
  connectionStateChanged: (state: RTCPeerConnectionState) => void;
  trackAdded: (e: { source: MediaSource; received: Received }) => void;
  /** Negotiation went wrong; `fatal` means the link cannot be used and must be closed. */
  error: (error: MeshError, fatal: boolean) => void;
  /** The data channel opened (chat, hands and reactions can go both ways). */
  dataOpen: () => void;
  data: (message: LinkMessage) => void;
}

/**
 * One RTCPeerConnection to one remote participant: the fixed transceiver layout, its Negotiator
 * (perfect negotiation, candidates, offer watchdog), and ICE restarts when the connection is
 * unhealthy. It never sees the signaling transport: it asks its owner to `send` and is handed
 * what arrives.
 */
export class PeerLink extends Emitter<PeerLinkEvents> {
  readonly remoteId: string;
  readonly role: 'offerer' | 'answerer';
  readonly pc: RTCPeerConnection;
  readonly #o: PeerLinkOptions;
  readonly #layout: TransceiverLayout;
  readonly #restarts: RestartScheduler;
  readonly #negotiator: Negotiator;
  readonly #unlisten: Array<() => void> = [];
  #channel: LinkChannel | null = null;
  #state: RTCPeerConnectionState = 'new';
  #hasConnected = false;

  constructor(options: PeerLinkOptions) {
    super((error) => options.log.error('link listener threw', { ...options.logContext, error }));
    this.#o = options;
    this.remoteId = options.remoteId;
    this.role = options.role;
    this.pc = new options.webrtc.RTCPeerConnection({ ...options.configuration, bundlePolicy: 'max-bundle' });
    this.#layout = new TransceiverLayout(this.pc, options.remoteId, options.localTracks, options.webrtc.MediaStream);
    this.#restarts = new RestartScheduler(() => this.restartIce(), () => this.#state, options.restartPolicy);
    this.#negotiator = new Negotiator({
      // remoteId, polite, send, log, logContext, tcpCandidates and the negotiation timings, as given
      ...options,
      pc: this.pc,
      layout: this.#layout,
      online: options.online ?? true,
      connectionState: () => this.#state,
      recheck: (state) => this.#restarts.onState(state),
      error: (error, fatal) => {
        if (!this.closed) this.emit('error', error, fatal);
      },
      trackAdded: (added) => this.emit('trackAdded', added),
      firstOffer: (sdp) => {
        if (options.data && offersDataChannel(sdp)) this.#openChannel();
      },
    });
    this.#listen('icecandidate', (e) => this.#negotiator.onLocalCandidate((e as RTCPeerConnectionIceEvent).candidate));
    this.#listen('connectionstatechange', () => this.#onConnectionState());
    // wrtc sometimes reports a state change late or not at all (seen after ICE restarts in the
    // NAT lab); the ICE state event and the liveness tick read the state again.
    this.#listen('iceconnectionstatechange', () => this.#onConnectionState());
    this.#listen('track', (e) => this.#onTrack(e as RTCTrackEvent));
    if (options.role === 'offerer') {
      this.#layout.create();
      if (options.data) this.#openChannel();
      this.#negotiator.start();
    }
  }

  get connectionState(): RTCPeerConnectionState {
    return this.#state;
  }

  get negotiation(): NegotiationState {
    return this.#negotiator.state;
  }

  /** Whether an answer has ever been applied (a first offer that is still out does not count). */
  get negotiated(): boolean {
    return this.#negotiator.negotiated;
  }

  /** Whether the connection has been `connected` at least once. */
  get hasConnected(): boolean {
    return this.#hasConnected;
  }

  get closed(): boolean {
    return this.#negotiator.closed;
  }

  /**
   * Whether `offer` comes from a new connection of the other side (another DTLS certificate than
   * the one this connection negotiated with): it started over, so this link must be replaced.
   */
  isFromNewConnection(offer: SessionDescription): boolean {
    return this.#negotiator.isFromNewConnection(offer);
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
    this.#negotiator.handleDescription(description);
  }

  /** Handles a remote candidate; queued until the remote description it belongs to is applied. */
  handleCandidate(candidate: IceCandidate | null): void {
    this.#negotiator.handleCandidate(candidate);
  }

  /** Starts an ICE restart now, or once the current negotiation ends and the channel is up. */
  restartIce(): void {
    this.#negotiator.restartIce();
  }

  /**
   * Whether the signaling channel can carry messages. While it cannot, no offer is waited for
   * (the watchdog pauses) and ICE restarts are held back; both resume when it is back.
   */
  setSignalingAvailable(online: boolean): void {
    this.#negotiator.setSignalingAvailable(online);
  }

  /** Whether the link has a data channel and it is open. */
  get dataOpen(): boolean {
    return this.#channel?.open ?? false;
  }

  /** Sends on the data channel; false when there is none or it is not open. */
  sendData(message: LinkMessage): boolean {
    return this.#channel?.send(message) ?? false;
  }

  async getStats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  /** Reads the connection state again and reports a change that no event brought. */
  syncConnectionState(): void {
    this.#onConnectionState();
  }

  close(): void {
    if (this.closed) return;
    this.#negotiator.close();
    this.#channel?.close();
    this.#restarts.dispose();
    for (const unlisten of this.#unlisten.splice(0)) unlisten();
    this.#layout.clear();
    try {
      this.pc.close();
    } catch (error) {
      this.#o.log.debug('close threw', { ...this.#o.logContext, error });
    }
    this.#state = 'closed';
    this.clear();
  }

  #openChannel(): void {
    const channel = new LinkChannel(this.pc, this.#o.log, this.#o.logContext);
    channel.on('open', () => this.emit('dataOpen'));
    channel.on('message', (message) => this.emit('data', message));
    this.#channel = channel;
  }

  #listen(type: string, handler: (e: Event) => void): void {
    this.pc.addEventListener(type, handler);
    this.#unlisten.push(() => this.pc.removeEventListener(type, handler));
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
}
