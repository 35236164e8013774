import type { ClientToServerEvents, JoinResult, Peer, ServerToClientEvents, SignalMessage } from '@meshmeet/protocol';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { REALISTIC_SIZES, fakeCandidate, fakeSdp } from './fakeSdp.ts';

export type ProtocolSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface SignalingParticipantOptions {
  url: string;
  room: string;
  name: string;
  /** Exchange offers/answers/candidates with every roommate as a real client would (default true). */
  negotiate?: boolean;
  sizes?: { offerBytes: number; answerBytes: number; candidatesPerSide: number };
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

/** One simulated pair negotiation, seen from this participant. */
export interface PairRecord {
  peerId: string;
  /** performance.now() when this participant learned of the peer. */
  discoveredAt: number;
  /** When our description went out and theirs came in, and when their end-of-candidates came. */
  descriptionReceivedAt: number | null;
  endOfCandidatesAt: number | null;
  candidatesReceived: number;
}

export class SignalingError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SignalingError';
  }
}

/**
 * A participant with no WebRTC: joins through the real protocol over socket.io-client and, with
 * `negotiate`, plays both roles of the protocol's negotiation with realistically sized messages
 * (the newcomer offers to everyone in its join ack; others answer), so that a server sees the
 * traffic of a real mesh forming.
 */
export class SignalingParticipant {
  readonly socket: ProtocolSocket;
  readonly pairs = new Map<string, PairRecord>();
  selfId: string | null = null;
  joinStartedAt = 0;
  joinedAt: number | null = null;
  messagesReceived = 0;
  errors: string[] = [];
  private readonly sizes: { offerBytes: number; answerBytes: number; candidatesPerSide: number };
  private readonly listeners = new Set<(message: SignalMessage) => void>();

  constructor(private readonly options: SignalingParticipantOptions) {
    this.sizes = options.sizes ?? REALISTIC_SIZES;
    // forceNew: socket.io-client otherwise multiplexes every io(url) of a process over one connection.
    this.socket = io(options.url, { forceNew: true, autoConnect: false, reconnection: false, transports: ['websocket'], ...options.socketOptions });
    this.socket.on('signal', (message) => this.onSignal(message));
    this.socket.on('peer-joined', (peer) => this.discover(peer.id));
    this.socket.on('peer-left', ({ id }) => this.pairs.delete(id));
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Pairs whose negotiation finished in both directions from this side's view. */
  get negotiatedPairs(): number {
    let n = 0;
    for (const pair of this.pairs.values()) if (pair.descriptionReceivedAt !== null && pair.endOfCandidatesAt !== null) n++;
    return n;
  }

  /** Connects, joins and (when negotiating) starts offering to everyone already in the room. */
  async join(timeoutMs = 15_000): Promise<{ selfId: string; peers: Peer[] }> {
    this.joinStartedAt = performance.now();
    const socket = this.socket;
    if (!socket.connected) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => fail(new SignalingError('SIGNALING_UNAVAILABLE', `no connection to ${this.options.url} within ${timeoutMs} ms`)), timeoutMs);
        const fail = (error: Error): void => {
          clearTimeout(timer);
          socket.off('connect', ok);
          reject(error);
        };
        const ok = (): void => {
          clearTimeout(timer);
          socket.off('connect_error', onError);
          resolve();
        };
        const onError = (error: Error): void => fail(new SignalingError('SIGNALING_UNAVAILABLE', error.message));
        socket.once('connect', ok);
        socket.once('connect_error', onError);
        socket.connect();
      });
    }
    const result = await new Promise<JoinResult>((resolve, reject) => {
      socket.timeout(timeoutMs).emit('join', { room: this.options.room, name: this.options.name }, (error: Error | null, answer: JoinResult) => {
        if (error) reject(new SignalingError('TIMEOUT', `join not answered within ${timeoutMs} ms`));
        else resolve(answer);
      });
    });
    if (!result.ok) throw new SignalingError(result.error.code, result.error.message);
    this.selfId = result.self.id;
    this.joinedAt = performance.now();
    for (const peer of result.peers) {
      this.discover(peer.id);
      if (this.options.negotiate !== false) this.sendDescriptionAndCandidates(peer.id, 'offer');
    }
    return { selfId: result.self.id, peers: result.peers };
  }

  /** Listens to every relayed signal (benchmarks use this to time candidate-sized messages). */
  onRawSignal(listener: (message: SignalMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends one candidate to a roommate with no ack (as trickle ICE does). */
  sendCandidate(to: string, candidate: string): void {
    this.socket.emit('signal', { to, candidate: { candidate, sdpMid: '0', sdpMLineIndex: 0 } });
  }

  async leave(): Promise<void> {
    if (this.socket.connected && this.selfId !== null) {
      await this.socket.timeout(5_000).emitWithAck('leave').catch(() => undefined);
    }
    this.close();
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.disconnect();
    this.listeners.clear();
  }

  private discover(peerId: string): PairRecord {
    let pair = this.pairs.get(peerId);
    if (!pair) {
      pair = { peerId, discoveredAt: performance.now(), descriptionReceivedAt: null, endOfCandidatesAt: null, candidatesReceived: 0 };
      this.pairs.set(peerId, pair);
    }
    return pair;
  }

  private onSignal(message: SignalMessage): void {
    this.messagesReceived++;
    for (const listener of this.listeners) listener(message);
    if (this.options.negotiate === false) return;
    const pair = this.discover(message.from);
    if (message.description) {
      pair.descriptionReceivedAt = performance.now();
      if (message.description.type === 'offer') this.sendDescriptionAndCandidates(message.from, 'answer');
    } else if (message.candidate === null) {
      pair.endOfCandidatesAt = performance.now();
    } else if (message.candidate) {
      pair.candidatesReceived++;
    }
  }

  private sendDescriptionAndCandidates(to: string, type: 'offer' | 'answer'): void {
    const seed = hash(`${this.selfId}>${to}`);
    const sdp = fakeSdp(type, type === 'offer' ? this.sizes.offerBytes : this.sizes.answerBytes, seed);
    const onAck = (result: { ok: boolean; error?: { code: string } }): void => {
      if (!result.ok) this.errors.push(result.error?.code ?? 'UNKNOWN');
    };
    this.socket.emit('signal', { to, description: { type, sdp } }, onAck);
    const ufrag = sdp.slice(sdp.indexOf('a=ice-ufrag:') + 12, sdp.indexOf('a=ice-ufrag:') + 16);
    for (let i = 0; i < this.sizes.candidatesPerSide; i++) this.socket.emit('signal', { to, candidate: fakeCandidate(i + seed, ufrag) }, onAck);
    this.socket.emit('signal', { to, candidate: null }, onAck);
  }
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h % 1_000_000;
}
