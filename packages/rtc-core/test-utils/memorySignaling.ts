import { type JoinRequest, type JoinResult, type MediaState, type SignalMessage, type SignalRequest } from '@meshmeet/protocol';
import { checkCredential, issueCredential, readJoin, RoomModel, toPeer, type CredentialSigner, type Ended, type Membership, type ResumeClaim } from '@meshmeet/protocol/rooms';
import { Emitter } from '../src/emitter.ts';
import type { SignalingChannel, SignalingEvents, SignalingState } from '../src/SignalingChannel.ts';

type Member = Membership<MemoryChannel, ReturnType<typeof setTimeout>>;
type Kind = 'offers' | 'answers' | 'candidates';

export interface MemorySignalingOptions {
  /** Room capacity (default unlimited). */
  maxPeersPerRoom?: number;
  /** How long a dropped member waits for a resume (default 10 000 ms, the server's default). */
  graceMs?: number;
  /** Lifetime of resume credentials (default 24 h). */
  resumeTtlMs?: number;
  /** The video uplink budget the join answer carries to revision-3 clients (default none). */
  videoUplinkKbps?: number;
}

/** A MemorySignalingServer channel: a SignalingChannel whose transport a test can drop and bring back. */
export type MemorySignalingChannel = SignalingChannel & { disconnectTransport(): void; reconnectTransport(): void };

/**
 * An in-process stand-in for the signaling server, on the same room rules as the real one
 * (`@meshmeet/protocol/rooms`): rooms and capacity, peer-joined/left, targeted signals, media,
 * and revision 2's resume (kept / restored / refused, away members, held signals, grace). For
 * unit tests of the engine only; integration tests use the real server.
 */
export class MemorySignalingServer {
  /** Messages relayed (delivered, or held for an away member), by kind; lets tests check what went over the wire. */
  readonly relayed = { offers: 0, answers: 0, candidates: 0 };
  /** Messages the filter dropped (not counted in `relayed`), by kind. */
  readonly dropped = { offers: 0, answers: 0, candidates: 0 };
  /** Return true to lose a signal on its way, as a network hiccup would (tests of recovery). */
  dropSignal: ((message: SignalRequest & { from: string }) => boolean) | null = null;
  readonly #rooms: RoomModel<MemoryChannel, ReturnType<typeof setTimeout>>;
  readonly #channels = new Set<MemoryChannel>();
  // A keyed hash, not a MAC: this server guards nothing; the real one signs with HMAC-SHA256.
  readonly #signer = toySigner(`secret-${Math.random()}`);
  readonly #ttlMs: number;
  readonly #videoUplinkKbps: number | undefined;
  #nextId = 1;

  constructor(options: MemorySignalingOptions = {}) {
    this.#ttlMs = options.resumeTtlMs ?? 86_400_000;
    this.#videoUplinkKbps = options.videoUplinkKbps;
    this.#rooms = new RoomModel({
      maxPeersPerRoom: options.maxPeersPerRoom ?? Number.POSITIVE_INFINITY,
      graceMs: options.graceMs ?? 10_000,
      // Readable, ordered ids (tests compare them for politeness); never reused, restarts included.
      newId: () => `p${String(this.#nextId++).padStart(4, '0')}`,
    });
  }

  connect(): MemorySignalingChannel {
    const channel = new MemoryChannel(this);
    this.#channels.add(channel);
    return channel;
  }

  /**
   * A server restart: every membership and tombstone is forgotten (the secret is kept, so
   * credentials restore), every channel drops to 'reconnecting' and comes back 'connected'.
   */
  restart(): void {
    for (const m of this.#rooms.clear()) if (m.timer) clearTimeout(m.timer);
    const open = [...this.#channels].filter((c) => c.state === 'connected');
    for (const channel of open) {
      channel.member = null;
      channel.transportLost();
    }
    setImmediate(() => {
      for (const channel of open) if (channel.state === 'reconnecting') channel.reconnectTransport();
    });
  }

  /** @internal */ join(channel: MemoryChannel, request: JoinRequest): JoinResult {
    const now = Date.now();
    const { input, revision, expiresAt } = readJoin(request, channel, channel.member, {
      now,
      ttlMs: this.#ttlMs,
      verify: (token) => verified(checkCredential(this.#signer, token, request.room, now)),
    });
    const decision = this.#rooms.join(input);
    if (!decision.ok) return { ok: false, error: { code: decision.code, message: decision.code === 'ROOM_FULL' ? 'room is full' : 'already joined' } };
    const m = decision.member;
    if (decision.takeover) decision.takeover.member = null;
    if (m.timer) clearTimeout(m.timer);
    m.timer = null;
    channel.member = m;
    for (const other of this.#rooms.present(m.room, m)) other.conn?.deliver('peer-joined', toPeer(m, other.revision));
    // Delivered after the answer: deliver() is asynchronous, the answer is not.
    for (const message of decision.held) channel.deliver('signal', message);
    const result: JoinResult = { ok: true, self: { id: m.id, name: m.name }, peers: decision.peers, iceServers: [] };
    if (revision >= 2) {
      result.resume = issueCredential(this.#signer, m.room, m.id, expiresAt);
      result.resumeExpiresAt = expiresAt;
      result.resumeGraceMs = this.#rooms.graceMs;
      if (decision.resumed) result.resumed = decision.resumed;
    }
    if (revision >= 3 && this.#videoUplinkKbps !== undefined) {
      result.videoUplinkKbps = this.#videoUplinkKbps;
    }
    return result;
  }

  /** @internal A deliberate leave (leave(), close()). */
  leave(channel: MemoryChannel): void {
    const m = channel.member;
    channel.member = null;
    if (m) this.#announce(this.#rooms.leave(m, Date.now()));
  }

  /** @internal The transport dropped: the member is away for the grace period. */
  away(channel: MemoryChannel): void {
    const m = channel.member;
    channel.member = null;
    if (!m || m.conn !== channel) return;
    const due = this.#rooms.goAway(m, Date.now());
    if (m.timer) clearTimeout(m.timer);
    m.timer = setTimeout(() => {
      m.timer = null;
      this.#announce(this.#rooms.expire(m.id, Math.max(Date.now(), due)));
    }, Math.max(0, due - Date.now()));
  }

  /** @internal */ forget(channel: MemoryChannel): void {
    this.#channels.delete(channel);
  }

  #announce(ended: Ended | null): void {
    if (!ended) return;
    for (const other of this.#rooms.present(ended.room)) other.conn?.deliver('peer-left', { id: ended.id });
  }

  /** @internal */ signal(channel: MemoryChannel, { to, ...body }: SignalRequest): void {
    const sender = channel.member;
    if (!sender) return;
    const route = this.#rooms.route(sender, to);
    if (route.kind === 'refuse') return;
    const kind: Kind = body.description?.type === 'offer' ? 'offers' : body.description ? 'answers' : 'candidates';
    if (this.dropSignal?.({ from: sender.id, to, ...body })) {
      this.dropped[kind] += 1;
      return;
    }
    const message = { from: sender.id, ...body } as SignalMessage;
    if (route.kind === 'deliver') route.conn.deliver('signal', message);
    else if (!this.#rooms.hold(route.member, message)) return;
    this.relayed[kind] += 1;
  }

  /** @internal */ media(channel: MemoryChannel, state: MediaState): void {
    const m = channel.member;
    if (!m) return;
    this.#rooms.setMedia(m, state);
    for (const other of this.#rooms.present(m.room, m)) other.conn?.deliver('media', { id: m.id, ...state });
  }
}

function verified(check: ReturnType<typeof checkCredential>): ResumeClaim {
  return check.ok ? { peerId: check.peerId } : 'invalid';
}

/** FNV-1a, four seeds: URL-safe, deterministic, and cheap. Not a MAC (see the class comment). */
function toySigner(secret: string): CredentialSigner {
  const sign = (data: string): string => {
    let out = '';
    for (let seed = 1; seed <= 4; seed++) {
      let h = (2166136261 ^ seed) >>> 0;
      const text = `${secret}|${data}`;
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
      out += h.toString(36).padStart(7, '0');
    }
    return out;
  };
  return { sign, verify: (data, mac) => sign(data) === mac };
}

class MemoryChannel implements SignalingChannel {
  member: Member | null = null;
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
    if (this.#state === 'connected') this.#server.leave(this);
  }

  /**
   * A dropped connection (not a leave): the server keeps the membership away for its grace
   * period, holding signals for it, as the real server does; 'reconnecting' as socket.io reports it.
   */
  disconnectTransport(): void {
    this.transportLost();
  }

  /** The transport is back ('connected'); the server has no membership for it until it joins (or resumes). */
  reconnectTransport(): void {
    if (this.#state === 'disconnected') return;
    this.#state = 'connected';
    this.#events.emit('state', 'connected');
  }

  /** @internal */ transportLost(): void {
    if (this.#state !== 'connected') return;
    this.#server.away(this);
    this.#state = 'reconnecting';
    this.#events.emit('state', 'reconnecting');
  }

  close(): void {
    // Closing on purpose is a leave, as socket.io's disconnect() is for the real server.
    if (this.#state === 'connected') this.#server.leave(this);
    else this.member = null;
    this.#server.forget(this);
    this.#state = 'disconnected';
    this.#events.emit('state', 'disconnected');
    this.#events.clear();
  }
}
