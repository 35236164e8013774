import { CAPABILITIES, checkJoinRequest, MEDIA_SOURCES, NO_MEDIA, PROTOCOL_REVISION, TRANSCEIVER_KINDS, type JoinSuccess, type MediaSource, type MediaState, type VideoWant } from '@meshmeet/protocol/checks';
import { UplinkBudget } from './bandwidth.ts';
import { Emitter } from './emitter.ts';
import { MeshError } from './errors.ts';
import { InCall } from './InCall.ts';
import { DEFAULT_INTERRUPTION_TIMEOUT_MS, LivenessMonitor } from './liveness.ts';
import { silentLogger, type Logger } from './logger.ts';
import { DEFAULT_NEGOTIATION_TIMEOUT_MS } from './NegotiationWatchdog.ts';
import { PeriodicStats } from './PeriodicStats.ts';
import { DEFAULT_RESTART_POLICY } from './RestartScheduler.ts';
import type { Participant } from './Participant.ts';
import { Roster, type RosterEvents } from './Roster.ts';
import { SignalRouter } from './SignalRouter.ts';
import type { HostControl, HostControlPayload, SignalingChannel, SignalingState } from './SignalingChannel.ts';
import type { ChatMessage, JoinedRoom, MeshEvents, MeshOptions, PeerStats, RemoteParticipant } from './types.ts';
import { VideoWants } from './videoWants.ts';
import { resolveWebRtc } from './webrtc.ts';

interface Session {
  unsubscribe: Array<() => void>;
  rejoinTimer: ReturnType<typeof setTimeout> | null;
}

/** Used when a server does not say how long it keeps a dropped membership. */
const DEFAULT_RESUME_GRACE_MS = 14_000;
/** After a `restored` resume, how much longer than the server's grace unconfirmed peers are kept. */
const UNCONFIRMED_MARGIN_MS = 5000;

const FORWARDED = [
  'participantJoined',
  'participantLeft',
  'trackAdded',
  'trackRemoved',
  'mediaChanged',
  'connectionStateChanged',
  'interruptionChanged',
  'error',
] as const satisfies ReadonlyArray<keyof RosterEvents & keyof MeshEvents>;

/**
 * A participant's side of a mesh room: joins through the signaling channel, keeps its membership
 * (and every connection) across a loss of that channel by resuming with the server's credential,
 * holds the local tracks, and is the one source of the public events. Its Roster keeps one
 * PeerLink per remote participant.
 */
export class Mesh {
  readonly #channel: SignalingChannel;
  readonly #log: Logger;
  readonly #options: MeshOptions;
  readonly #events: Emitter<MeshEvents>;
  readonly #roster: Roster;
  readonly #localTracks: Record<MediaSource, MediaStreamTrack | null> = { mic: null, camera: null, screen: null };
  readonly #stats: PeriodicStats;
  readonly #budget: UplinkBudget;
  readonly #router: SignalRouter;
  readonly #liveness: LivenessMonitor;
  readonly #inCall: InCall;
  readonly #wants = new VideoWants();
  #localMedia: MediaState = { ...NO_MEDIA };
  #selfId: string | null = null;
  #room: string | null = null;
  #name: string | null = null;
  /** The server's resume credential for our membership (revision 2), and how long it keeps us. */
  #credential: string | null = null;
  /** Token and passcode of the current join; a resume sends them again (the credential decides). */
  #extras: { token?: string | undefined; passcode?: string | undefined } = {};
  #graceMs = DEFAULT_RESUME_GRACE_MS;
  /** Set from join() until leave(): channel subscriptions and timers live this long. */
  #session: Session | null = null;
  /** Server messages that arrive while a join is being answered wait here (null when not joining). */
  #deferred: Array<() => void> | null = null;

  constructor(options: MeshOptions) {
    this.#options = options;
    this.#channel = options.signaling;
    this.#log = options.logger ?? silentLogger;
    this.#events = new Emitter((error, event) => this.#log.error('mesh listener threw', { event, error }));
    this.#roster = new Roster({
      send: (to, signal) => this.#router.send(to, signal),
      webrtc: resolveWebRtc(options.webrtc),
      log: this.#log,
      restartPolicy: { ...DEFAULT_RESTART_POLICY, ...options.restartPolicy },
      tcpCandidates: options.tcpCandidates ?? false,
      negotiationTimeoutMs: options.negotiationTimeoutMs ?? DEFAULT_NEGOTIATION_TIMEOUT_MS,
      localTracks: this.#localTracks,
      dataChannels: options.dataChannels ?? true,
      ...(options.iceTransportPolicy ? { iceTransportPolicy: options.iceTransportPolicy } : {}),
    });
    for (const event of FORWARDED) {
      this.#roster.on(event, ((...args: unknown[]) => (this.#events.emit as (e: string, ...a: unknown[]) => void)(event, ...args)) as RosterEvents[typeof event]);
    }
    this.#router = new SignalRouter(
      (message) => this.#channel.signal(message),
      (peerId) => this.#roster.isConfirmed(peerId),
      (peerId) => this.#roster.participants.has(peerId),
    );
    this.#stats = new PeriodicStats(() => this.#roster.openLinks(), this.#log);
    this.#inCall = new InCall({
      selfId: () => this.#selfId,
      openLinks: () => [...this.#roster.participants.values()].flatMap((participant) => {
        const link = participant.link;
        return link && link.dataOpen ? [{ participant, send: (m: Parameters<typeof link.sendData>[0]) => link.sendData(m) }] : [];
      }),
      emit: (event, ...args) => (this.#events.emit as (e: string, ...a: unknown[]) => void)(event, ...args),
    });
    this.#roster.on('dataOpen', (participant) => {
      const link = participant.link;
      if (!link) return;
      this.#inCall.onOpen((m) => link.sendData(m));
      this.#wants.onOpen(participant.id, (m) => link.sendData(m));
    });
    this.#roster.on('data', (participant, message) => {
      if (message.t !== 'want') this.#inCall.onMessage(participant, message);
      else if (participant.link && this.#wants.received(participant.link, message.video)) this.#rebalance();
    });
    this.#roster.on('participantLeft', (participant) => {
      this.#inCall.onLeft(participant as Participant);
      this.#wants.forget(participant.id);
    });
    this.#roster.on('linksChanged', () => this.#rebalance());
    this.#roster.on('linkClosed', (peerId) => {
      this.#stats.forget(peerId);
      this.#liveness.forget(peerId);
    });
    this.#roster.on('connectionStateChanged', ({ participant, state }) =>
      this.#liveness.onConnectionState(participant.id, state, state !== 'new' && state !== 'connecting'),
    );
    this.#liveness = new LivenessMonitor(
      options.interruptionTimeoutMs ?? DEFAULT_INTERRUPTION_TIMEOUT_MS,
      () => this.#roster.openLinks(),
      (peerId, interrupted) => this.#roster.setInterrupted(peerId, interrupted),
    );
    // wrtc refuses setParameters: that sender stays uncapped until a later change tries again.
    this.#budget = new UplinkBudget(options.uplinkBudgetKbps, (peerId, error) =>
      this.#log.warn('uplink budget not applied: setParameters refused', { roomId: this.#room, peerId, error }),
    );
  }

  get selfId(): string | null {
    return this.#selfId;
  }

  get room(): string | null {
    return this.#room;
  }

  get participants(): ReadonlyMap<string, RemoteParticipant> {
    return this.#roster.participants;
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

  /**
   * Joins a room. `token`: a join token from your app (servers with AUTH_SECRET require one);
   * `passcode`: the room's, when its host set one. A refusal rejects with a MeshError whose code is
   * the server's (UNAUTHORIZED, PASSCODE_REQUIRED, PASSCODE_WRONG, ROOM_LOCKED, ROOM_FULL, ...).
   */
  async join(request: { room: string; name: string; token?: string; passcode?: string }): Promise<JoinedRoom> {
    if (this.#session) throw new MeshError('ALREADY_JOINED', 'this mesh has already joined (or is joining) a room');
    // Undefined fields vanish on the wire (JSON), so they need no pruning.
    const extras = { token: request.token, passcode: request.passcode };
    const parsed = checkJoinRequest({ room: request.room, name: request.name, ...extras });
    if (!parsed.success) throw new MeshError('INVALID_MESSAGE', `invalid join request: ${parsed.error.issues[0]?.message ?? 'bad input'}`);
    const session: Session = { unsubscribe: this.#subscribe(), rejoinTimer: null };
    this.#session = session;
    this.#name = parsed.data.name;
    this.#credential = null;
    this.#extras = extras;
    try {
      return await this.#joinRoom(parsed.data.room, parsed.data.name, session, false);
    } catch (error) {
      if (this.#session === session) this.#endSession();
      throw error;
    }
  }

  /** Host only: sets the passcode newcomers must give, or clears it (null). Rejects FORBIDDEN otherwise. */
  setPasscode(passcode: string | null): Promise<void> {
    return this.#control('set-passcode', { passcode });
  }

  /** Host only: refuses newcomers (ROOM_LOCKED); members that reconnect still resume. */
  lockRoom(): Promise<void> {
    return this.#control('lock', { locked: true });
  }

  unlockRoom(): Promise<void> {
    return this.#control('lock', { locked: false });
  }

  /** Host only: removes a participant from the room (it is told; its credential stops working). */
  removeParticipant(peerId: string): Promise<void> {
    return this.#control('remove', { id: peerId });
  }

  async #control<E extends HostControl>(event: E, payload: HostControlPayload<E>): Promise<void> {
    // Not in a room: the server answers NOT_IN_ROOM.
    if (!this.#channel.control) throw new MeshError('INVALID_ARGUMENT', 'no host controls');
    const ack = await this.#channel.control(event, payload);
    if (!ack.ok) throw new MeshError(ack.error.code, ack.error.message);
  }

  /** Leaves the room: `leave` goes to the server at once (safe to call from `pagehide`). */
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
      [...this.#roster.participants.values()].map(async ({ link, id }) => {
        try {
          await link?.setLocalTrack(source, track);
        } catch (error) {
          this.#log.warn('replaceTrack failed', { roomId: this.#room, peerId: id, source, error });
          this.#events.emit('error', new MeshError('INTERNAL', `could not switch ${source}`, { cause: error, peerId: id }));
        }
      }),
    );
    // While offline the resume carries the current media instead.
    if (changed && this.#router.online) this.#channel.media(this.localMedia);
    if (changed && source !== 'mic') this.#rebalance();
  }

  /**
   * The user's own limit on the video uplink (kbps, "data saver"), or null for none; the lowest
   * of it, the server's budget and `uplinkBudgetKbps` applies, re-split across the links at once.
   */
  setUplinkBudget(kbps: number | null): void {
    if (kbps !== null && !(Number.isFinite(kbps) && kbps > 0)) throw new MeshError('INVALID_ARGUMENT', 'kbps > 0 or null');
    this.#budget.setUserLimit(kbps);
    this.#rebalance();
  }

  /** The video uplink budget in force (kbps), or undefined when none is set. */
  get uplinkBudgetKbps(): number | undefined {
    return this.#budget.kbps;
  }

  async getStats(): Promise<Map<string, PeerStats>> {
    return this.#stats.collect(false);
  }

  /** Recent chat (ours, received, and what peers handed us on joining), oldest first. */
  get messages(): readonly ChatMessage[] {
    return this.#inCall.messages;
  }

  /** When we raised our hand, or null. */
  get handRaisedAt(): number | null {
    return this.#inCall.handRaisedAt;
  }

  /**
   * Sends a chat message to everyone whose link has a data channel (peers without the `data`
   * capability do not get it: see `participant.capabilities`). Throws INVALID_ARGUMENT for an
   * empty or too long text (LIMITS.chatMaxBytes), RATE_LIMITED past 5 messages in 2 s.
   */
  sendMessage(text: string): ChatMessage {
    return this.#inCall.sendMessage(text);
  }

  setHandRaised(up: boolean): void {
    this.#inCall.setHandRaised(up);
  }

  /** One of the protocol's REACTIONS, shown to everyone for a moment. */
  react(emoji: string): void {
    this.#inCall.react(emoji);
  }

  /**
   * What we need of `peerId`'s camera, as its tile is seen: 'none' (tab hidden, tile off screen),
   * 'low' (a small tile) or 'full'. Sent over that link's data channel when it changes and again
   * when a new link opens; a peer without the channel or that does not know the request sends
   * as before. Throws UNKNOWN_PEER, or INVALID_ARGUMENT for another value.
   */
  setVideoWanted(peerId: string, want: VideoWant): void {
    const link = this.#roster.participants.get(peerId)?.link;
    if (link === undefined) throw new MeshError('UNKNOWN_PEER', `no participant ${peerId}`);
    this.#wants.ask(peerId, want, (m) => link?.sendData(m) ?? false);
  }

  restartIce(peerId?: string): void {
    if (peerId !== undefined && !this.#roster.participants.has(peerId)) throw new MeshError('UNKNOWN_PEER', `no participant ${peerId}`);
    for (const participant of this.#roster.participants.values()) {
      if (peerId === undefined || participant.id === peerId) participant.link?.restartIce();
    }
  }

  async #joinRoom(room: string, name: string, session: Session, resume: boolean): Promise<JoinedRoom> {
    this.#deferred = [];
    let result;
    try {
      const credential = resume && this.#credential !== null ? { resume: this.#credential } : {};
      const caps = this.#options.dataChannels === false ? {} : { caps: [CAPABILITIES.data] };
      result = await this.#channel.join({ room, name, media: this.localMedia, v: PROTOCOL_REVISION, ...caps, ...this.#extras, ...credential });
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
    this.#enterRoom(room, result, resume);
    const deferred = this.#deferred ?? [];
    this.#deferred = null;
    for (const run of deferred) run();
    this.#startTimers();
    return { self: { id: result.self.id, name: result.self.name }, peers: result.peers };
  }

  /** Applies a join answer: a kept or restored membership keeps its links; anything else starts afresh. */
  #enterRoom(room: string, result: JoinSuccess, resume: boolean): void {
    this.#credential = result.resume ?? null;
    this.#graceMs = result.resumeGraceMs ?? DEFAULT_RESUME_GRACE_MS;
    this.#budget.setServerLimit(result.videoUplinkKbps);
    const iceServers = this.#options.iceServers ?? result.iceServers;
    const sameId = result.self.id === this.#selfId;
    if (resume && sameId && (result.resumed === 'kept' || result.resumed === 'restored')) {
      this.#log.info('membership resumed', { roomId: room, peerId: result.self.id, outcome: result.resumed });
      this.#roster.reconcile(result.peers, iceServers, result.resumed === 'kept', this.#graceMs + UNCONFIRMED_MARGIN_MS);
    } else {
      if (resume) {
        this.#log.warn('membership not resumed: joined afresh', { roomId: room, peerId: result.self.id, outcome: result.resumed });
        this.#roster.removeAll();
        this.#router.drop();
      }
      this.#selfId = result.self.id;
      this.#roster.start(result.self.id, room, iceServers, result.peers);
      if (resume && !sameId) this.#events.emit('selfIdChanged', result.self.id);
    }
    this.#room = room;
    this.#setOnline(true);
    this.#rebalance(); // a kept membership's links keep going, under the budget of this answer
  }

  #subscribe(): Array<() => void> {
    const whenJoined =
      <A extends unknown[]>(handler: (...args: A) => void) =>
      (...args: A) => {
        if (this.#deferred) this.#deferred.push(() => handler(...args));
        else if (this.#selfId !== null) handler(...args);
      };
    return [
      this.#channel.on('peer-joined', whenJoined((peer) => {
        this.#roster.onPeerJoined(peer);
        this.#router.flush();
      })),
      this.#channel.on('peer-left', whenJoined(({ id }) => {
        this.#roster.remove(id);
        this.#router.drop(id);
      })),
      this.#channel.on('signal', whenJoined((message) => {
        this.#roster.onSignal(message);
        this.#router.flush();
      })),
      this.#channel.on('media', whenJoined((message) => this.#roster.onMedia(message))),
      this.#channel.on('room-state', whenJoined((state) => this.#events.emit('roomStateChanged', state))),
      this.#channel.on('removed', whenJoined(() => {
        this.#endSession();
        this.#events.emit('removed');
      })),
      this.#channel.on('state', (state) => this.#onSignalingState(state)),
      this.#channel.on('rejected', ({ event, to, error }) => {
        this.#log.warn('server refused a message', { roomId: this.#room, peerId: to, event, code: error.code });
        if (error.code !== 'UNKNOWN_PEER') this.#events.emit('error', new MeshError(error.code, error.message, to === undefined ? {} : { peerId: to }));
      }),
    ];
  }

  #onSignalingState(state: SignalingState): void {
    const session = this.#session;
    // Not in a room, or the join is under way (it reports for itself): just pass the state on.
    if (!session || this.#deferred) {
      this.#events.emit('signalingStateChanged', state);
      return;
    }
    if (state === 'disconnected') {
      this.#endSession();
      this.#events.emit('signalingStateChanged', state);
    } else if (state === 'reconnecting') {
      // Media goes peer to peer: every link stays up, and signals wait in the outbox.
      this.#setOnline(false);
      this.#events.emit('signalingStateChanged', state);
    } else if (!this.#router.online) {
      this.#resume(session);
    } else {
      this.#events.emit('signalingStateChanged', state);
    }
  }

  /** Resumes the membership after a reconnect; 'connected' is announced once that is done. */
  #resume(session: Session): void {
    if (this.#room === null || this.#name === null) return;
    this.#joinRoom(this.#room, this.#name, session, true).then(
      () => this.#session === session && this.#events.emit('signalingStateChanged', 'connected'),
      (error: unknown) => {
        if (this.#session !== session) return;
        const meshError = error instanceof MeshError ? error : new MeshError('SIGNALING_UNAVAILABLE', 'resume failed', { cause: error });
        this.#log.warn('resume failed', { roomId: this.#room, error });
        if ((meshError.code === 'SIGNALING_UNAVAILABLE' || meshError.code === 'UNAVAILABLE') && this.#channel.state !== 'disconnected') {
          // The transport dropped again, or the server cannot reach its room store for a moment: the
          // next 'connected' retries, or a timer if it is connected already.
          if (this.#channel.state === 'connected') session.rejoinTimer = setTimeout(() => this.#resume(session), 1000);
          return;
        }
        // The server refused (the room filled up meanwhile, say): this room is over for us.
        this.#events.emit('error', meshError);
        this.#endSession();
        this.#events.emit('signalingStateChanged', 'disconnected');
      },
    );
  }

  #setOnline(online: boolean): void {
    this.#roster.setOnline(online);
    this.#router.setOnline(online);
  }

  #endSession(): void {
    const session = this.#session;
    if (!session) return;
    this.#session = null;
    this.#deferred = null;
    for (const unsubscribe of session.unsubscribe) unsubscribe();
    this.#stats.stop();
    if (session.rejoinTimer) clearTimeout(session.rejoinTimer);
    this.#liveness.stop();
    this.#router.setOnline(false);
    this.#roster.removeAll();
    this.#router.drop();
    this.#inCall.reset();
    this.#selfId = null;
    this.#room = null;
    this.#credential = null;
  }

  #startTimers(): void {
    if (!this.#session) return;
    if ((this.#options.interruptionTimeoutMs ?? DEFAULT_INTERRUPTION_TIMEOUT_MS) > 0) this.#liveness.start();
    this.#stats.start(this.#options.statsIntervalMs ?? 0, (stats) => this.#events.emit('stats', stats));
  }

  /** Re-splits the uplink budget; called when the set of connected peers or our video changes. */
  #rebalance(): void {
    this.#budget.apply(this.#roster.openLinks(), this.#localMedia, (link) => this.#wants.of(link));
  }
}
