import { JoinRequestSchema, MEDIA_SOURCES, NO_MEDIA, TRANSCEIVER_KINDS, type MediaSource, type MediaState } from '@meshmeet/protocol';
import { UplinkBudget } from './bandwidth.ts';
import { Emitter } from './emitter.ts';
import { MeshError } from './errors.ts';
import { silentLogger, type Logger } from './logger.ts';
import { DEFAULT_NEGOTIATION_TIMEOUT_MS } from './NegotiationWatchdog.ts';
import { DEFAULT_RESTART_POLICY } from './RestartScheduler.ts';
import { Roster } from './Roster.ts';
import type { SignalingChannel, SignalingState } from './SignalingChannel.ts';
import { StatsCollector } from './stats.ts';
import type { JoinedRoom, MeshEvents, MeshOptions, PeerStats, RemoteParticipant } from './types.ts';
import { resolveWebRtc } from './webrtc.ts';

interface Session {
  unsubscribe: Array<() => void>;
  statsTimer: ReturnType<typeof setInterval> | null;
  rejoinTimer: ReturnType<typeof setTimeout> | null;
}

/**
 * A participant's side of a mesh room: joins through the signaling channel (and joins again
 * after the transport reconnects), holds the local tracks, and reports everything as typed
 * events. Its Roster keeps one PeerLink per remote participant.
 */
export class Mesh {
  readonly #channel: SignalingChannel;
  readonly #log: Logger;
  readonly #options: MeshOptions;
  readonly #events: Emitter<MeshEvents>;
  readonly #roster: Roster;
  readonly #localTracks: Record<MediaSource, MediaStreamTrack | null> = { mic: null, camera: null, screen: null };
  readonly #stats = new StatsCollector();
  readonly #budget: UplinkBudget;
  #localMedia: MediaState = { ...NO_MEDIA };
  #selfId: string | null = null;
  #room: string | null = null;
  #name: string | null = null;
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
      channel: this.#channel,
      events: this.#events,
      webrtc: resolveWebRtc(options.webrtc),
      log: this.#log,
      restartPolicy: { ...DEFAULT_RESTART_POLICY, ...options.restartPolicy },
      tcpCandidates: options.tcpCandidates ?? false,
      negotiationTimeoutMs: options.negotiationTimeoutMs ?? DEFAULT_NEGOTIATION_TIMEOUT_MS,
      localTracks: this.#localTracks,
      linksChanged: () => this.#rebalance(),
      linkClosed: (peerId) => this.#stats.forget(peerId),
    });
    // wrtc refuses setParameters; the budget is then not enforced, which is said once.
    this.#budget = new UplinkBudget(options.uplinkBudgetKbps, (peerId, error) =>
      this.#log.warn('uplink budget not applied: setParameters unsupported', { roomId: this.#room, peerId, error }),
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

  async join(request: { room: string; name: string }): Promise<JoinedRoom> {
    if (this.#session) throw new MeshError('ALREADY_JOINED', 'this mesh has already joined (or is joining) a room');
    const parsed = JoinRequestSchema.safeParse({ room: request.room, name: request.name });
    if (!parsed.success) throw new MeshError('INVALID_MESSAGE', `invalid join request: ${parsed.error.issues[0]?.message ?? 'bad input'}`);
    const session: Session = { unsubscribe: this.#subscribe(), statsTimer: null, rejoinTimer: null };
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
      [...this.#roster.participants.values()].map(async ({ link, id }) => {
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
    return this.#collectStats(false);
  }

  restartIce(peerId?: string): void {
    if (peerId !== undefined && !this.#roster.participants.has(peerId)) throw new MeshError('UNKNOWN_PEER', `no participant ${peerId}`);
    for (const participant of this.#roster.participants.values()) {
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
    this.#roster.start(result.self.id, room, this.#options.iceServers ?? result.iceServers, result.peers);
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
      this.#channel.on('peer-joined', whenJoined((peer) => this.#roster.onPeerJoined(peer))),
      this.#channel.on('peer-left', whenJoined(({ id }) => this.#roster.remove(id))),
      this.#channel.on('signal', whenJoined((message) => this.#roster.onSignal(message))),
      this.#channel.on('media', whenJoined((message) => this.#roster.onMedia(message))),
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
    if (state === 'reconnecting' || state === 'disconnected') {
      this.#events.emit('signalingStateChanged', state);
      // The server forgets us with the socket; everyone else closes their side too.
      this.#roster.clear();
      this.#selfId = null;
      if (state === 'disconnected') this.#endSession();
      return;
    }
    if (this.#selfId === null) this.#rejoin(session);
    else this.#events.emit('signalingStateChanged', state);
  }

  /** Joins the same room again after a reconnect; 'connected' is announced once that is done. */
  #rejoin(session: Session): void {
    if (this.#room === null || this.#name === null) return;
    this.#joinRoom(this.#room, this.#name, session).then(
      () => this.#session === session && this.#events.emit('signalingStateChanged', 'connected'),
      (error: unknown) => {
        if (this.#session !== session) return;
        const meshError = error instanceof MeshError ? error : new MeshError('SIGNALING_UNAVAILABLE', 'rejoin failed', { cause: error });
        this.#log.warn('rejoin failed', { roomId: this.#room, error });
        this.#events.emit('error', meshError);
        if (meshError.code === 'SIGNALING_UNAVAILABLE' && this.#channel.state !== 'disconnected') {
          // The transport dropped again: the next 'connected' retries, or a timer if it is back already.
          if (this.#channel.state === 'connected') session.rejoinTimer = setTimeout(() => this.#rejoin(session), 1000);
          return;
        }
        // The server refused (the room filled up meanwhile, say): this room is over for us.
        this.#endSession();
        this.#events.emit('signalingStateChanged', 'disconnected');
      },
    );
  }

  #endSession(): void {
    const session = this.#session;
    if (!session) return;
    this.#session = null;
    this.#deferred = null;
    for (const unsubscribe of session.unsubscribe) unsubscribe();
    if (session.statsTimer) clearInterval(session.statsTimer);
    if (session.rejoinTimer) clearTimeout(session.rejoinTimer);
    this.#roster.clear();
    this.#selfId = null;
    this.#room = null;
  }

  #startStatsTimer(): void {
    const session = this.#session;
    const interval = this.#options.statsIntervalMs ?? 0;
    if (!session || session.statsTimer || !(interval > 0)) return;
    let busy = false;
    session.statsTimer = setInterval(() => {
      // A slow getStats (a loaded machine) is not stacked up with another.
      if (busy) return;
      busy = true;
      this.#collectStats(true).then(
        (stats) => this.#session === session && this.#events.emit('stats', stats),
        (error: unknown) => this.#log.debug('periodic stats failed', { error }),
      ).finally(() => (busy = false));
    }, interval);
  }

  /**
   * Periodic collection skips connections that have not connected yet: they have nothing to
   * report, and in wrtc getStats competes with their negotiation for the one signaling thread.
   */
  #collectStats(establishedOnly: boolean): Promise<Map<string, PeerStats>> {
    const links = this.#roster.openLinks().filter((link) => !establishedOnly || link.hasConnected);
    const peers = links.map((link) => ({ id: link.remoteId, getStats: () => link.getStats() }));
    return this.#stats.collect(peers, (peerId, error) => this.#log.debug('getStats failed', { roomId: this.#room, peerId, error }));
  }

  /** Re-splits the uplink budget; called when the set of connected peers or our video changes. */
  #rebalance(): void {
    this.#budget.apply(this.#roster.openLinks(), this.#localMedia);
  }
}
