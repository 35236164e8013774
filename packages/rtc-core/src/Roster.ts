import { MEDIA_SOURCES, NO_MEDIA, isPolite, type IceServer, type LinkMessage, type MediaMessage, type MediaSource, type Peer, type SignalMessage } from '@meshmeet/protocol/checks';
import { Emitter } from './emitter.ts';
import type { MeshError } from './errors.ts';
import type { Logger } from './logger.ts';
import { capabilitiesOf, Participant } from './Participant.ts';
import { PeerLink, type OutgoingSignal } from './PeerLink.ts';
import type { RestartPolicy } from './RestartScheduler.ts';
import type { MeshEvents } from './types.ts';
import type { WebRtcImplementation } from './webrtc.ts';

/** What the roster needs from its mesh. */
export interface RosterContext {
  /** Delivers (or holds, while the channel is down) a signal for one peer. */
  send: (to: string, signal: OutgoingSignal) => void;
  webrtc: WebRtcImplementation;
  log: Logger;
  restartPolicy: RestartPolicy;
  tcpCandidates: boolean;
  negotiationTimeoutMs: number;
  localTracks: Readonly<Record<MediaSource, MediaStreamTrack | null>>;
  /** Whether we open data channels (see MeshOptions.dataChannels). */
  dataChannels: boolean;
  /** MeshOptions.iceTransportPolicy; undefined = the implementation's default ('all'). */
  iceTransportPolicy?: RTCIceTransportPolicy;
}

type Forwarded = 'participantJoined' | 'participantLeft' | 'trackAdded' | 'trackRemoved' | 'mediaChanged' | 'connectionStateChanged' | 'interruptionChanged' | 'error';

/** What the roster reports to its mesh, which alone turns it into public events. */
export type RosterEvents = Pick<MeshEvents, Forwarded> & {
  /** The set of connected links changed (to re-split the uplink budget). */
  linksChanged: () => void;
  /** A peer's connection is gone (to drop its stats history). */
  linkClosed: (peerId: string) => void;
  /** A link's data channel opened / carried a message. */
  dataOpen: (participant: Participant) => void;
  data: (participant: Participant, message: LinkMessage) => void;
};

/** First negotiations that fail are started over after this, doubled per failure. */
const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 30_000;

/**
 * The remote participants of one joined room and their PeerLinks: adds and removes them as the
 * server reports, opens links (as offerer for the peers a join or resume lists, as answerer on a
 * first offer), starts failed first negotiations over, routes incoming signals, and reports it all.
 */
export class Roster extends Emitter<RosterEvents> {
  readonly participants = new Map<string, Participant>();
  readonly #ctx: RosterContext;
  #selfId: string | null = null;
  #roomId: string | null = null;
  #iceServers: IceServer[] = [];
  #online = true;
  #unconfirmedTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(context: RosterContext) {
    super((error, event) => context.log.error('roster listener threw', { event, error }));
    this.#ctx = context;
  }

  /** Starts a room session: the newcomer opens a link to everyone already there, at once. */
  start(selfId: string, roomId: string, iceServers: IceServer[], peers: Peer[]): void {
    this.#selfId = selfId;
    this.#roomId = roomId;
    this.#iceServers = iceServers;
    this.#online = true;
    for (const peer of peers) {
      if (peer.id !== selfId) this.#openLink(this.#add(peer), 'offerer');
    }
  }

  /**
   * After a resume: the listed peers are (still) there — kept as they are, or connected as a
   * newcomer would. Those not listed are gone when the list is `authoritative`; otherwise (the
   * server lost the room and is rebuilding it) they keep their connections, unconfirmed, until
   * the server shows them again, their connection fails, or `pendingMs` pass.
   */
  reconcile(peers: Peer[], iceServers: IceServer[], authoritative: boolean, pendingMs: number): void {
    this.#iceServers = iceServers;
    const listed = new Set<string>();
    for (const peer of peers) {
      if (peer.id === this.#selfId) continue;
      listed.add(peer.id);
      const known = this.participants.get(peer.id);
      if (known) {
        this.#confirm(known, peer);
        if (!known.link || known.link.closed) this.#openLink(known, 'offerer');
      } else {
        this.#openLink(this.#add(peer), 'offerer');
      }
    }
    for (const participant of [...this.participants.values()]) {
      if (listed.has(participant.id)) continue;
      if (authoritative || !participant.link || participant.link.closed) this.remove(participant.id);
      else participant.confirmed = false;
    }
    if (this.#unconfirmedTimer) clearTimeout(this.#unconfirmedTimer);
    this.#unconfirmedTimer = setTimeout(() => {
      this.#unconfirmedTimer = null;
      for (const p of [...this.participants.values()]) if (!p.confirmed) this.remove(p.id);
    }, pendingMs);
  }

  /** Everyone leaves (we left, or joined afresh); each gets its participantLeft. */
  removeAll(): void {
    for (const id of [...this.participants.keys()]) this.remove(id);
    if (this.#unconfirmedTimer) clearTimeout(this.#unconfirmedTimer);
    this.#unconfirmedTimer = null;
    this.#selfId = null;
  }

  /** Whether the signaling channel carries messages; links hold their restarts back meanwhile. */
  setOnline(online: boolean): void {
    this.#online = online;
    for (const link of this.openLinks()) link.setSignalingAvailable(online);
  }

  isConfirmed(peerId: string): boolean {
    return this.participants.get(peerId)?.confirmed ?? false;
  }

  openLinks(): PeerLink[] {
    return [...this.participants.values()].flatMap((p) => (p.link && !p.link.closed ? [p.link] : []));
  }

  onPeerJoined(peer: Peer): void {
    if (peer.id === this.#selfId) return;
    const existing = this.participants.get(peer.id);
    if (existing) this.#confirm(existing, peer);
    else this.#add(peer);
  }

  onSignal({ from, description, candidate }: SignalMessage): void {
    let participant = this.participants.get(from);
    // An offer can only come from a roommate; its peer-joined may still be on its way.
    if (description?.type === 'offer' && !participant) participant = this.#add({ id: from, name: from, media: NO_MEDIA });
    if (!participant) {
      this.#ctx.log.debug('signal from an unknown peer dropped', { roomId: this.#roomId, peerId: from });
      return;
    }
    participant.confirmed = true; // the server relays only between members: it is back
    if (description?.type === 'offer' && !this.#acceptsOffer(participant, description.sdp)) return;
    const link = participant.link;
    if (!link || link.closed) {
      this.#ctx.log.debug('signal without a connection dropped', { roomId: this.#roomId, peerId: from });
      return;
    }
    if (description) link.handleDescription(description);
    else if (candidate !== undefined) link.handleCandidate(candidate);
  }

  onMedia({ id, mic, camera, screen }: MediaMessage): void {
    const participant = this.participants.get(id);
    if (!participant) return;
    const { media } = participant;
    if (media.mic === mic && media.camera === camera && media.screen === screen) return;
    participant.media = { mic, camera, screen };
    this.emit('mediaChanged', { participant, media: { mic, camera, screen } });
  }

  setInterrupted(id: string, interrupted: boolean): void {
    const participant = this.participants.get(id);
    if (!participant || participant.interrupted === interrupted) return;
    participant.interrupted = interrupted;
    this.emit('interruptionChanged', { participant, interrupted });
  }

  remove(id: string): void {
    const participant = this.participants.get(id);
    if (!participant) return;
    this.participants.delete(id);
    this.#cancelRetry(participant);
    this.#closeLink(participant, 'closed');
    this.emit('participantLeft', participant);
    this.emit('linksChanged');
  }

  /**
   * Decides what a first offer means for the current link, and opens an answerer link where one
   * is needed: none yet, the old one failed, or the other side started over (a new DTLS
   * certificate). When both sides sent a first offer, the polite one yields (drops its own
   * attempt and answers); the impolite one ignores the other's.
   */
  #acceptsOffer(participant: Participant, sdp: string): boolean {
    const link = participant.link;
    if (!link || link.closed || link.isFromNewConnection({ type: 'offer', sdp })) {
      this.#replaceLink(participant, 'answerer');
      return true;
    }
    if (link.role === 'offerer' && !link.negotiated) {
      if (!isPolite(this.#selfId ?? '', participant.id)) return false;
      this.#replaceLink(participant, 'answerer');
    }
    return true;
  }

  #confirm(participant: Participant, peer: Peer): void {
    participant.confirmed = true;
    participant.name = peer.name;
    if (peer.caps) participant.capabilities = capabilitiesOf(peer.caps);
    this.onMedia({ id: peer.id, ...peer.media });
  }

  #add(peer: Peer): Participant {
    const participant = new Participant(peer.id, peer.name, peer.media, peer.caps);
    this.participants.set(peer.id, participant);
    this.emit('participantJoined', participant);
    return participant;
  }

  #replaceLink(participant: Participant, role: 'offerer' | 'answerer'): void {
    this.#cancelRetry(participant);
    if (participant.link && !participant.link.closed) this.#closeLink(participant, 'closed');
    this.#openLink(participant, role);
  }

  #openLink(participant: Participant, role: 'offerer' | 'answerer'): void {
    const selfId = this.#selfId;
    if (selfId === null) return;
    const peerId = participant.id;
    const logContext = { roomId: this.#roomId, peerId };
    const ctx = this.#ctx;
    const link = new PeerLink({
      // webrtc, localTracks, log, restartPolicy, tcpCandidates, negotiationTimeoutMs, as the mesh set them
      ...ctx,
      remoteId: peerId,
      polite: isPolite(selfId, peerId),
      role,
      configuration: { iceServers: this.#iceServers, ...(ctx.iceTransportPolicy ? { iceTransportPolicy: ctx.iceTransportPolicy } : {}) },
      send: (signal) => ctx.send(peerId, signal),
      logContext,
      online: this.#online,
      // The offerer adds the channel only for a peer that announced it; the answerer takes what comes.
      data: ctx.dataChannels && (role === 'answerer' || participant.capabilities.data),
    });
    participant.link = link;
    participant.finalState = null;
    link.on('connectionStateChanged', (state) => {
      if (state === 'connected') {
        participant.retries = 0;
        this.emit('linksChanged');
      }
      this.emit('connectionStateChanged', { participant, state });
    });
    link.on('trackAdded', ({ source, received }) =>
      this.emit('trackAdded', {
        participant,
        source,
        track: received.track,
        // A getter, so that listeners that never look at the stream never pay for creating it.
        get stream() {
          return received.stream;
        },
      }),
    );
    link.on('error', (error, fatal) => this.#onLinkError(participant, link, error, fatal));
    link.on('dataOpen', () => this.emit('dataOpen', participant));
    link.on('data', (message) => this.emit('data', participant, message));
  }

  #onLinkError(participant: Participant, link: PeerLink, error: MeshError, fatal: boolean): void {
    this.#ctx.log.warn(fatal ? 'peer connection failed' : 'renegotiation failed', { roomId: this.#roomId, peerId: participant.id, error });
    this.emit('error', error);
    if (!fatal || participant.link !== link) return;
    this.#closeLink(participant, 'failed');
    this.emit('connectionStateChanged', { participant, state: 'failed' });
    // The offerer starts over with a new connection; the answerer waits for that new offer.
    if (link.role === 'offerer') this.#scheduleRetry(participant);
  }

  #scheduleRetry(participant: Participant): void {
    this.#cancelRetry(participant);
    const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** participant.retries);
    participant.retries += 1;
    this.#ctx.log.info('starting the connection over', { roomId: this.#roomId, peerId: participant.id, delayMs: delay, attempt: participant.retries });
    participant.retryTimer = setTimeout(() => {
      participant.retryTimer = null;
      if (this.participants.get(participant.id) === participant && (!participant.link || participant.link.closed)) {
        this.#openLink(participant, 'offerer');
      }
    }, delay);
  }

  #cancelRetry(participant: Participant): void {
    if (participant.retryTimer) clearTimeout(participant.retryTimer);
    participant.retryTimer = null;
  }

  #closeLink(participant: Participant, finalState: RTCPeerConnectionState): void {
    const link = participant.link;
    participant.finalState = finalState;
    if (!link || link.closed) return;
    const received = MEDIA_SOURCES.flatMap((source) => {
      const r = link.received(source);
      return r ? [{ source, track: r.track }] : [];
    });
    link.close();
    this.emit('linkClosed', participant.id);
    for (const { source, track } of received) this.emit('trackRemoved', { participant, source, track });
    if (participant.interrupted) this.setInterrupted(participant.id, false);
  }
}
