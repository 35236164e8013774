import { NO_MEDIA, type JoinRequest, type JoinResult, type MediaState, type Peer, type SignalRequest } from '@meshmeet/protocol';
import { Emitter } from '../src/emitter.ts';
import type { SignalingChannel, SignalingEvents, SignalingState } from '../src/SignalingChannel.ts';

interface Member {
  peer: Peer;
  room: string;
  channel: MemoryChannel;
}

/**
 * An in-process stand-in for the signaling server, following the protocol's relay rules
 * (rooms, peer-joined/left, targeted signals, media). For unit tests of the engine only;
 * integration tests use the real server.
 */
export class MemorySignalingServer {
  readonly #members = new Map<string, Member>();
  #nextId = 1;
  /** Messages relayed, by kind; lets tests check what went over the wire. */
  readonly relayed = { offers: 0, answers: 0, candidates: 0 };
  /** Messages the filter dropped (not counted in `relayed`), by kind. */
  readonly dropped = { offers: 0, answers: 0, candidates: 0 };
  /** Return true to lose a signal on its way, as a network hiccup would (tests of recovery). */
  dropSignal: ((message: SignalRequest & { from: string }) => boolean) | null = null;
  readonly #maxPeersPerRoom: number;

  constructor(options: { maxPeersPerRoom?: number } = {}) {
    this.#maxPeersPerRoom = options.maxPeersPerRoom ?? Number.POSITIVE_INFINITY;
  }

  connect(): SignalingChannel & { disconnectTransport(): void; reconnectTransport(): void } {
    return new MemoryChannel(this);
  }

  /** @internal */ join(channel: MemoryChannel, request: JoinRequest): JoinResult {
    if (channel.memberId) return { ok: false, error: { code: 'ALREADY_JOINED', message: 'already joined' } };
    const id = `p${String(this.#nextId++).padStart(4, '0')}`;
    const peer: Peer = { id, name: request.name, media: request.media ?? { ...NO_MEDIA } };
    const others = [...this.#members.values()].filter((m) => m.room === request.room);
    if (others.length >= this.#maxPeersPerRoom) return { ok: false, error: { code: 'ROOM_FULL', message: 'room is full' } };
    this.#members.set(id, { peer, room: request.room, channel });
    channel.memberId = id;
    for (const other of others) other.channel.deliver('peer-joined', peer);
    return { ok: true, self: { id, name: request.name }, peers: others.map((m) => m.peer), iceServers: [] };
  }

  /** @internal */ leave(channel: MemoryChannel): void {
    const id = channel.memberId;
    const member = id ? this.#members.get(id) : undefined;
    channel.memberId = null;
    if (!id || !member) return;
    this.#members.delete(id);
    for (const other of this.#members.values()) if (other.room === member.room) other.channel.deliver('peer-left', { id });
  }

  /** @internal */ signal(channel: MemoryChannel, { to, ...body }: SignalRequest): void {
    const from = channel.memberId;
    const sender = from ? this.#members.get(from) : undefined;
    const target = this.#members.get(to);
    if (!from || !sender || !target || target.room !== sender.room) return;
    const kind = body.description?.type === 'offer' ? 'offers' : body.description ? 'answers' : 'candidates';
    if (this.dropSignal?.({ from, to, ...body })) {
      this.dropped[kind] += 1;
      return;
    }
    this.relayed[kind] += 1;
    target.channel.deliver('signal', { from, ...body });
  }

  /** @internal */ media(channel: MemoryChannel, state: MediaState): void {
    const id = channel.memberId;
    const member = id ? this.#members.get(id) : undefined;
    if (!id || !member) return;
    member.peer = { ...member.peer, media: state };
    for (const other of this.#members.values()) {
      if (other.room === member.room && other !== member) other.channel.deliver('media', { id, ...state });
    }
  }
}

class MemoryChannel implements SignalingChannel {
  memberId: string | null = null;
  readonly #server: MemorySignalingServer;
  readonly #events = new Emitter<SignalingEvents>();
  #state: SignalingState = 'connected';

  constructor(server: MemorySignalingServer) {
    this.#server = server;
  }

  get state(): SignalingState {
    return this.#state;
  }

  on<E extends keyof SignalingEvents>(event: E, listener: SignalingEvents[E]): () => void {
    return this.#events.on(event, listener);
  }

  /** Delivered asynchronously and in order, as a network would. */
  deliver<E extends keyof SignalingEvents>(event: E, ...args: Parameters<SignalingEvents[E]>): void {
    setImmediate(() => {
      if (this.#state === 'connected') this.#events.emit(event, ...args);
    });
  }

  async join(request: JoinRequest): Promise<JoinResult> {
    await new Promise((resolve) => setImmediate(resolve));
    return this.#server.join(this, request);
  }

  signal(message: SignalRequest): void {
    if (this.#state === 'connected') this.#server.signal(this, message);
  }

  media(state: MediaState): void {
    if (this.#state === 'connected') this.#server.media(this, state);
  }

  async leave(): Promise<void> {
    this.#server.leave(this);
  }

  /** Simulates a dropped transport: the server forgets this client, as socket.io's would. */
  disconnectTransport(): void {
    this.#server.leave(this);
    this.#state = 'reconnecting';
    this.#events.emit('state', 'reconnecting');
  }

  reconnectTransport(): void {
    this.#state = 'connected';
    this.#events.emit('state', 'connected');
  }

  close(): void {
    this.#server.leave(this);
    this.#state = 'disconnected';
    this.#events.emit('state', 'disconnected');
    this.#events.clear();
  }
}
