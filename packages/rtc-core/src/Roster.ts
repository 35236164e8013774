import { MEDIA_SOURCES, NO_MEDIA, isPolite, type IceServer, type MediaMessage, type MediaSource, type Peer, type SignalMessage } from '@meshmeet/protocol';
import type { Emitter } from './emitter.ts';
import type { Logger } from './logger.ts';
import { Participant } from './Participant.ts';
import { PeerLink, type OutgoingSignal } from './PeerLink.ts';
import type { RestartPolicy } from './RestartScheduler.ts';
import type { SignalingChannel } from './SignalingChannel.ts';
import type { MeshEvents } from './types.ts';
import type { WebRtcImplementation } from './webrtc.ts';

/** What the roster needs from its mesh. */
export interface RosterContext {
  channel: SignalingChannel;
  events: Emitter<MeshEvents>;
  webrtc: WebRtcImplementation;
  log: Logger;
  restartPolicy: RestartPolicy;
  tcpCandidates: boolean;
  negotiationTimeoutMs: number;
  localTracks: Readonly<Record<MediaSource, MediaStreamTrack | null>>;
  /** Called when the set of connected links changes (to re-split the uplink budget). */
  linksChanged: () => void;
  /** Called when a peer's connection is gone (to drop its stats history). */
  linkClosed: (peerId: string) => void;
}

/**
 * The remote participants of one joined room and their PeerLinks: adds and removes them as the
 * server reports, opens links (as offerer for the join roster, as answerer on a first offer),
 * routes incoming signals to them, and turns link events into mesh events.
 */
export class Roster {
  readonly participants = new Map<string, Participant>();
  readonly #ctx: RosterContext;
  #selfId: string | null = null;
  #roomId: string | null = null;
  #iceServers: IceServer[] = [];

  constructor(context: RosterContext) {
    this.#ctx = context;
  }

  /** Starts a room session: the newcomer opens a link to everyone already there, at once. */
  start(selfId: string, roomId: string, iceServers: IceServer[], peers: Peer[]): void {
    this.#selfId = selfId;
    this.#roomId = roomId;
    this.#iceServers = iceServers;
    for (const peer of peers) {
      if (peer.id === selfId) continue;
      this.#openLink(this.#add(peer), 'offerer');
    }
  }

  /** Everyone leaves (we left, or the server forgot us); each gets its participantLeft. */
  clear(): void {
    for (const id of [...this.participants.keys()]) this.remove(id);
    this.#selfId = null;
  }

  openLinks(): PeerLink[] {
    return [...this.participants.values()].flatMap((p) => (p.link && !p.link.closed ? [p.link] : []));
  }

  onPeerJoined(peer: Peer): void {
    if (peer.id === this.#selfId) return;
    const existing = this.participants.get(peer.id);
    if (!existing) {
      this.#add(peer);
      return;
    }
    existing.name = peer.name;
    this.onMedia({ id: peer.id, ...peer.media });
  }

  onSignal({ from, description, candidate }: SignalMessage): void {
    let participant = this.participants.get(from);
    // An offer can only come from a roommate; its peer-joined may still be on its way.
    if (description?.type === 'offer' && !participant) participant = this.#add({ id: from, name: from, media: NO_MEDIA });
    if (participant && !participant.link && description?.type === 'offer') this.#openLink(participant, 'answerer');
    const link = participant?.link;
    if (!link) {
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
    this.#ctx.events.emit('mediaChanged', { participant, media: { mic, camera, screen } });
  }

  remove(id: string): void {
    const participant = this.participants.get(id);
    if (!participant) return;
    this.participants.delete(id);
    this.#closeLink(participant, 'closed');
    this.#ctx.events.emit('participantLeft', participant);
    this.#ctx.linksChanged();
  }

  #add(peer: Peer): Participant {
    const participant = new Participant(peer.id, peer.name, peer.media);
    this.participants.set(peer.id, participant);
    this.#ctx.events.emit('participantJoined', participant);
    return participant;
  }

  #openLink(participant: Participant, role: 'offerer' | 'answerer'): void {
    const selfId = this.#selfId;
    if (selfId === null) return;
    const { channel, events, log } = this.#ctx;
    const peerId = participant.id;
    const logContext = { roomId: this.#roomId, peerId };
    const link = new PeerLink({
      remoteId: peerId,
      polite: isPolite(selfId, peerId),
      role,
      webrtc: this.#ctx.webrtc,
      configuration: { iceServers: this.#iceServers },
      localTracks: this.#ctx.localTracks,
      send: (signal: OutgoingSignal) => channel.signal({ to: peerId, ...signal }),
      log,
      logContext,
      restartPolicy: this.#ctx.restartPolicy,
      tcpCandidates: this.#ctx.tcpCandidates,
      negotiationTimeoutMs: this.#ctx.negotiationTimeoutMs,
    });
    participant.link = link;
    link.on('connectionStateChanged', (state) => {
      if (state === 'connected') this.#ctx.linksChanged();
      events.emit('connectionStateChanged', { participant, state });
    });
    link.on('trackAdded', ({ source, received }) =>
      events.emit('trackAdded', {
        participant,
        source,
        track: received.track,
        // A getter, so that listeners that never look at the stream never pay for creating it.
        get stream() {
          return received.stream;
        },
      }),
    );
    link.on('error', (error, fatal) => {
      log.warn(fatal ? 'peer connection failed' : 'renegotiation failed', { ...logContext, error });
      events.emit('error', error);
      if (fatal && participant.link === link) {
        this.#closeLink(participant, 'failed');
        events.emit('connectionStateChanged', { participant, state: 'failed' });
      }
    });
  }

  #closeLink(participant: Participant, finalState: RTCPeerConnectionState): void {
    const link = participant.link;
    participant.finalState = finalState;
    if (!link) return;
    const received = MEDIA_SOURCES.flatMap((source) => {
      const r = link.received(source);
      return r ? [{ source, track: r.track }] : [];
    });
    link.close();
    this.#ctx.linkClosed(participant.id);
    for (const { source, track } of received) this.#ctx.events.emit('trackRemoved', { participant, source, track });
  }
}
