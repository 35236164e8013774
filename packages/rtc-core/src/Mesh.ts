import {
  JoinRequestSchema,
  MEDIA_SOURCES,
  NO_MEDIA,
  TRANSCEIVER_KINDS,
  isPolite,
  type IceServer,
  type MediaMessage,
  type MediaSource,
  type MediaState,
  type Peer,
  type SignalMessage,
} from '@meshmeet/protocol';
import { capSender, splitUplink } from './bandwidth.ts';
import { Emitter } from './emitter.ts';
import { MeshError } from './errors.ts';
import { silentLogger, type Logger } from './logger.ts';
import { Participant } from './Participant.ts';
import { PeerLink, type OutgoingSignal } from './PeerLink.ts';
import { DEFAULT_RESTART_POLICY, type RestartPolicy } from './RestartScheduler.ts';
import type { SignalingChannel, SignalingState } from './SignalingChannel.ts';
import { summarizeStats, type StatsSample } from './stats.ts';
import type { JoinedRoom, MeshEvents, MeshOptions, PeerStats, RemoteParticipant } from './types.ts';
import { resolveWebRtc, type WebRtcImplementation } from './webrtc.ts';

/**
 * A participant's side of a mesh room: joins through the signaling channel, keeps one PeerLink
 * per remote participant, routes signals between them and the channel, and reports everything
 * as typed events.
 */
export class Mesh {
  readonly #channel: SignalingChannel;
  readonly #webrtc: WebRtcImplementation;
  readonly #log: Logger;
  readonly #options: MeshOptions;
  readonly #restartPolicy: RestartPolicy;
  readonly #events: Emitter<MeshEvents>;
  readonly #participants = new Map<string, Participant>();
  readonly #localTracks: Record<MediaSource, MediaStreamTrack | null> = { mic: null, camera: null, screen: null };
  readonly #statsSamples = new Map<string, StatsSample>();
  #localMedia: MediaState = { ...NO_MEDIA };
  #selfId: string | null = null;
  #room: string | null = null;
  #name: string | null = null;
  #iceServers: IceServer[] = [];
  /** Set from join() until leave(): channel subscriptions and timers live this long. */
  #session: { unsubscribe: Array<() => void>; statsTimer: ReturnType<typeof setInterval> | null } | null = null;
  /** Server messages that arrive while a join is being answered wait here (null when not joining). */
  #deferred: Array<() => void> | null = null;
  #bitrateUnsupportedLogged = false;

  constructor(options: MeshOptions) {
    this.#options = options;
    this.#channel = options.signaling;
    this.#webrtc = resolveWebRtc(options.webrtc);
    this.#log = options.logger ?? silentLogger;
    this.#restartPolicy = { ...DEFAULT_RESTART_POLICY, ...options.restartPolicy };
    this.#events = new Emitter((error, event) => this.#log.error('mesh listener threw', { event, error }));
  }

  get selfId(): string | null {
    return this.#selfId;
  }

  get room(): string | null {
    return this.#room;
  }

  get participants(): ReadonlyMap<string, RemoteParticipant> {
    return this.#participants;
  }

  get localMedia(): MediaState {
    return { ...this.#localMedia };
  }

  on<E extends keyof MeshEvents>(event: E, listener: MeshEvents[E]): () => void {
    return this.#events.on(event, listener);
  }

  off<E extends keyof MeshEvents>(event: E, listener: MeshEvents[E]): void {
    this.#events.off(event, listener);
  }

  async join(request: { room: string; name: string }): Promise<JoinedRoom> {
    if (this.#session) throw new MeshError('ALREADY_JOINED', 'this mesh has already joined (or is joining) a room');
    const parsed = JoinRequestSchema.safeParse({ room: request.room, name: request.name });
    if (!parsed.success) throw new MeshError('INVALID_MESSAGE', `invalid join request: ${parsed.error.issues[0]?.message ?? 'bad input'}`);
    const session = { unsubscribe: this.#subscribe(), statsTimer: null };
    this.#session = session;
    this.#name = parsed.data.name;
    try {
      return await this.#joinRoom(parsed.data.room, parsed.data.name, session);
    } catch (error) {
      if (this.#session === session) this.#endSession();
      throw error;
    }
  }

  async leave(): Promise<void> {
    if (!this.#session) return;
    const wasInRoom = this.#selfId !== null;
    this.#endSession();
    if (wasInRoom && this.#channel.state === 'connected') {
      await this.#channel.leave().catch((error: unknown) => this.#log.debug('leave not acknowledged', { error }));
    }
  }

  /**
   * leave(), then closes the signaling channel too: for apps that handed the mesh a channel of
   * its own (`createSocketIoSignaling(url)` inline) and are done with both. The mesh cannot join again.
   */
  async close(): Promise<void> {
    await this.leave();
    this.#channel.close();
  }

  async setLocalTrack(source: MediaSource, track: MediaStreamTrack | null): Promise<void> {
    if (!MEDIA_SOURCES.includes(source)) throw new MeshError('INVALID_ARGUMENT', `unknown media source: ${String(source)}`);
    if (track && track.kind !== TRANSCEIVER_KINDS[source]) {
      throw new MeshError('INVALID_ARGUMENT', `${source} needs an ${TRANSCEIVER_KINDS[source]} track, got ${track.kind}`);
    }
    this.#localTracks[source] = track;
    const on = track !== null;
    const changed = this.#localMedia[source] !== on;
    this.#localMedia = { ...this.#localMedia, [source]: on };
    await Promise.all(
      [...this.#participants.values()].map(async ({ link, id }) => {
        try {
          await link?.setLocalTrack(source, track);
        } catch (error) {
          this.#log.warn('replaceTrack failed', { roomId: this.#room, peerId: id, source, error });
          this.#events.emit('error', new MeshError('INTERNAL', `could not switch ${source}`, { cause: error, peerId: id }));
        }
      }),
    );
    if (changed && this.#selfId !== null) this.#channel.media(this.localMedia);
    if (changed && source !== 'mic') this.#rebalance();
  }

  async getStats(): Promise<Map<string, PeerStats>> {
    const result = new Map<string, PeerStats>();
    await Promise.all(
      [...this.#participants.values()].map(async ({ id, link }) => {
        if (!link || link.closed) return;
        try {
          const { stats, sample } = summarizeStats(id, await link.getStats(), this.#statsSamples.get(id));
          this.#statsSamples.set(id, sample);
          result.set(id, stats);
        } catch (error) {
          this.#log.debug('getStats failed', { roomId: this.#room, peerId: id, error });
        }
      }),
    );
    return result;
  }

  restartIce(peerId?: string): void {
    if (peerId !== undefined && !this.#participants.has(peerId)) throw new MeshError('UNKNOWN_PEER', `no participant ${peerId}`);
    for (const participant of this.#participants.values()) {
      if (peerId === undefined || participant.id === peerId) participant.link?.restartIce();
    }
  }

  async #joinRoom(room: string, name: string, session: object): Promise<JoinedRoom> {
    this.#deferred = [];
    let result;
    try {
      result = await this.#channel.join({ room, name, media: this.localMedia });
    } catch (error) {
      if (this.#session === session) this.#deferred = null;
      throw error;
    }
    if (this.#session !== session) {
      // leave() was called while the server was answering.
      if (result.ok) this.#channel.leave().catch(() => {});
      throw new MeshError('JOIN_ABORTED', 'left before the join completed');
    }
    if (!result.ok) {
      this.#deferred = null;
      throw new MeshError(result.error.code, result.error.message);
    }
    this.#selfId = result.self.id;
    this.#room = room;
    this.#iceServers = this.#options.iceServers ?? result.iceServers;
    for (const peer of result.peers) {
      if (peer.id === this.#selfId) continue;
      const participant = this.#addParticipant(peer);
      // The newcomer offers to everyone at once, with no await between peers.
      this.#openLink(participant, 'offerer');
    }
    const deferred = this.#deferred ?? [];
    this.#deferred = null;
    for (const run of deferred) run();
    this.#startStatsTimer();
    return { self: { id: result.self.id, name: result.self.name }, peers: result.peers };
  }

  #subscribe(): Array<() => void> {
    const whenJoined =
      <A extends unknown[]>(handler: (...args: A) => void) =>
      (...args: A) => {
        if (this.#deferred) this.#deferred.push(() => handler(...args));
        else if (this.#selfId !== null) handler(...args);
      };
    return [
      this.#channel.on('peer-joined', whenJoined((peer: Peer) => this.#onPeerJoined(peer))),
      this.#channel.on('peer-left', whenJoined(({ id }: { id: string }) => this.#removeParticipant(id))),
      this.#channel.on('signal', whenJoined((message: SignalMessage) => this.#onSignal(message))),
      this.#channel.on('media', whenJoined((message: MediaMessage) => this.#onMedia(message))),
      this.#channel.on('state', (state) => this.#onSignalingState(state)),
      this.#channel.on('rejected', ({ event, to, error }) => {
        this.#log.warn('server refused a message', { roomId: this.#room, peerId: to, event, code: error.code });
        if (error.code !== 'UNKNOWN_PEER') this.#events.emit('error', new MeshError(error.code, error.message, to === undefined ? {} : { peerId: to }));
      }),
    ];
  }

  #onPeerJoined(peer: Peer): void {
    if (peer.id === this.#selfId) return;
    const existing = this.#participants.get(peer.id);
    if (existing) {
      existing.name = peer.name;
      this.#onMedia({ id: peer.id, ...peer.media });
      return;
    }
    this.#addParticipant(peer);
  }

  #onSignal({ from, description, candidate }: SignalMessage): void {
    let participant = this.#participants.get(from);
    if (description?.type === 'offer' && !participant) {
      // An offer can only come from a roommate; its peer-joined may still be on its way.
      participant = this.#addParticipant({ id: from, name: from, media: NO_MEDIA });
    }
    if (!participant) {
      this.#log.debug('signal from unknown peer dropped', { roomId: this.#room, peerId: from });
      return;
    }
    if (!participant.link) {
      if (description?.type !== 'offer') {
        this.#log.debug('signal before the first offer dropped', { roomId: this.#room, peerId: from });
        return;
      }
      this.#openLink(participant, 'answerer');
    }
    const link = participant.link;
    if (!link) return;
    if (description) link.handleDescription(description);
    else if (candidate !== undefined) link.handleCandidate(candidate);
  }

  #onMedia({ id, mic, camera, screen }: MediaMessage): void {
    const participant = this.#participants.get(id);
    if (!participant) return;
    const media = { mic, camera, screen };
    if (participant.media.mic === mic && participant.media.camera === camera && participant.media.screen === screen) return;
    participant.media = media;
    this.#events.emit('mediaChanged', { participant, media: { ...media } });
  }

  #onSignalingState(state: SignalingState): void {
    this.#events.emit('signalingStateChanged', state);
    const session = this.#session;
    if (!session || this.#deferred) return;
    if (state === 'reconnecting' || state === 'disconnected') {
      // The server forgets us with the socket; everyone else closes their side too.
      this.#dropAllParticipants();
      this.#selfId = null;
      if (state === 'disconnected') this.#endSession();
      return;
    }
    if (state === 'connected' && this.#selfId === null && this.#room !== null && this.#name !== null) {
      this.#joinRoom(this.#room, this.#name, session).catch((error: unknown) => {
        if (this.#session !== session) return;
        this.#log.warn('rejoin failed', { roomId: this.#room, error });
        this.#events.emit('error', error instanceof MeshError ? error : new MeshError('SIGNALING_UNAVAILABLE', 'rejoin failed', { cause: error }));
      });
    }
  }

  #addParticipant(peer: Peer): Participant {
    const participant = new Participant(peer.id, peer.name, peer.media);
    this.#participants.set(peer.id, participant);
    this.#events.emit('participantJoined', participant);
    return participant;
  }

  #openLink(participant: Participant, role: 'offerer' | 'answerer'): void {
    const selfId = this.#selfId;
    if (selfId === null) return;
    const peerId = participant.id;
    const logContext = { roomId: this.#room, peerId };
    const link = new PeerLink({
      remoteId: peerId,
      polite: isPolite(selfId, peerId),
      role,
      webrtc: this.#webrtc,
      configuration: { iceServers: this.#iceServers },
      localTracks: this.#localTracks,
      send: (signal: OutgoingSignal) => this.#channel.signal({ to: peerId, ...signal }),
      log: this.#log,
      logContext,
      restartPolicy: this.#restartPolicy,
    });
    participant.link = link;
    link.on('connectionStateChanged', (state) => {
      if (state === 'connected') this.#rebalance();
      this.#events.emit('connectionStateChanged', { participant, state });
    });
    link.on('trackAdded', ({ source, received }) =>
      this.#events.emit('trackAdded', {
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
      this.#log.warn(fatal ? 'peer connection failed' : 'renegotiation failed', { ...logContext, error });
      this.#events.emit('error', error);
      if (fatal && participant.link === link) {
        this.#closeLink(participant, 'failed');
        this.#events.emit('connectionStateChanged', { participant, state: 'failed' });
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
    this.#statsSamples.delete(participant.id);
    for (const { source, track } of received) this.#events.emit('trackRemoved', { participant, source, track });
  }

  #removeParticipant(id: string): void {
    const participant = this.#participants.get(id);
    if (!participant) return;
    this.#participants.delete(id);
    this.#closeLink(participant, 'closed');
    this.#events.emit('participantLeft', participant);
    this.#rebalance();
  }

  #dropAllParticipants(): void {
    for (const id of [...this.#participants.keys()]) this.#removeParticipant(id);
  }

  #endSession(): void {
    const session = this.#session;
    if (!session) return;
    this.#session = null;
    this.#deferred = null;
    for (const unsubscribe of session.unsubscribe) unsubscribe();
    if (session.statsTimer) clearInterval(session.statsTimer);
    this.#dropAllParticipants();
    this.#selfId = null;
    this.#room = null;
  }

  #startStatsTimer(): void {
    const session = this.#session;
    const interval = this.#options.statsIntervalMs ?? 0;
    if (!session || session.statsTimer || !(interval > 0)) return;
    session.statsTimer = setInterval(() => {
      this.getStats().then(
        (stats) => this.#session === session && this.#events.emit('stats', stats),
        (error: unknown) => this.#log.debug('periodic stats failed', { error }),
      );
    }, interval);
  }

  /** Re-splits the uplink budget; called when the set of connected peers or our video changes. */
  #rebalance(): void {
    if (this.#options.uplinkBudgetKbps === undefined || this.#bitrateUnsupportedLogged) return;
    const links = [...this.#participants.values()].flatMap((p) => (p.link && !p.link.closed ? [p.link] : []));
    const caps = splitUplink(this.#options.uplinkBudgetKbps, links.length, this.#localMedia);
    for (const link of links) {
      for (const source of ['camera', 'screen'] as const) {
        const sender = link.transceiver(source)?.sender;
        if (!sender) continue;
        capSender(sender, caps[source]).catch((error: unknown) => {
          if (this.#bitrateUnsupportedLogged) return;
          // wrtc refuses setParameters; the budget is then not enforced, which is logged once.
          this.#bitrateUnsupportedLogged = true;
          this.#log.warn('uplink budget not applied: setParameters unsupported', { roomId: this.#room, peerId: link.remoteId, error });
        });
      }
    }
  }
}
