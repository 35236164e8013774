import {
  parseAck,
  parseJoinResult,
  parseServerEvent,
  SERVER_EVENTS,
  type Ack,
  type ClientToServerEvents,
  type ErrorCode,
  type JoinRequest,
  type JoinResult,
  type MediaState,
  type ServerEventName,
  type ServerToClientEvents,
  type SignalRequest,
} from '@meshmeet/protocol/checks';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { Emitter } from '../emitter.ts';
import { MeshError, type LaterServerCode } from '../errors.ts';
import { LATER_CODE, laterRefusal } from './laterRefusal.ts';
import { silentLogger, type Logger } from '../logger.ts';
import type { HostControl, HostControlPayload, SignalingChannel, SignalingEvents, SignalingState } from '../SignalingChannel.ts';

export interface SocketIoSignalingOptions {
  /** Passed to `io()`; by default WebSocket first (lower latency), long-polling as fallback. */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  logger?: Logger;
  /** How long join() waits for the connection, and then for the server's answer. Default 10 s. */
  timeoutMs?: number;
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A SignalingChannel over socket.io-client, speaking the protocol's typed event maps. */
export function createSocketIoSignaling(url: string, options: SocketIoSignalingOptions = {}): SignalingChannel {
  return new SocketIoSignaling(url, options);
}

class SocketIoSignaling implements SignalingChannel {
  readonly #socket: ClientSocket;
  readonly #log: Logger;
  readonly #timeoutMs: number;
  readonly #events: Emitter<SignalingEvents>;
  #state: SignalingState | 'connecting' = 'connecting';
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  /** Why the server refused the socket itself (too many from this address, say), once it has. */
  #refusal: MeshError | null = null;
  readonly #onReconnectFailed = (): void => this.#setState('disconnected');

  constructor(url: string, options: SocketIoSignalingOptions) {
    this.#log = options.logger ?? silentLogger;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#events = new Emitter((error, event) => this.#log.error('signaling listener threw', { event, error }));
    // Reconnect soon and often: the mesh resumes its membership only within the server's grace
    // period (14 s by default), and media keeps flowing meanwhile, so a quick retry costs nothing.
    this.#socket = io(url, {
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelay: 300,
      reconnectionDelayMax: 1000,
      randomizationFactor: 0.3,
      // An attempt made while the network is still down hangs on its SYN; give it up soon so the
      // next one goes out right after the network is back.
      timeout: 3000,
      ...options.socketOptions,
    });
    this.#socket.on('connect', () => this.#setState('connected'));
    this.#socket.on('disconnect', (reason) => this.#onDisconnect(reason));
    this.#socket.on('connect_error', (error) => this.#onConnectError(error));
    this.#socket.io.on('reconnect_failed', this.#onReconnectFailed);
    for (const event of SERVER_EVENTS) this.#relay(event);
  }

  get state(): SignalingState | 'connecting' {
    return this.#state;
  }

  on<E extends keyof SignalingEvents>(event: E, listener: SignalingEvents[E]): () => void {
    return this.#events.on(event, listener);
  }

  async join(request: JoinRequest): Promise<JoinResult> {
    await this.#connected();
    let answer: unknown;
    try {
      answer = await this.#socket.timeout(this.#timeoutMs).emitWithAck('join', request);
    } catch (error) {
      throw new MeshError('SIGNALING_UNAVAILABLE', 'the signaling server did not answer the join', { cause: error });
    }
    const parsed = parseJoinResult(answer);
    if (!parsed.success) throw laterRefusal(answer) ?? new MeshError('INTERNAL', 'the signaling server answered the join with a malformed message', { cause: parsed.error });
    return parsed.data;
  }

  signal(message: SignalRequest): void {
    // Signals queued while offline would reach a server that no longer knows this session.
    if (!this.#socket.connected) {
      this.#log.debug('signal dropped while disconnected', { peerId: message.to });
      return;
    }
    if (message.candidate !== undefined) {
      // Candidates go without an ack: they come in bursts, each ack is one more packet on the
      // critical path of connection set-up, and a lost candidate is covered by the others.
      this.#socket.emit('signal', message);
      return;
    }
    this.#socket.emit('signal', message, (ack: Ack) => {
      if (!ack.ok) this.#events.emit('rejected', { event: 'signal', to: message.to, error: ack.error });
    });
  }

  media(state: MediaState): void {
    if (!this.#socket.connected) return;
    this.#socket.emit('media', state, (ack: Ack) => {
      if (!ack.ok) this.#events.emit('rejected', { event: 'media', error: ack.error });
    });
  }

  async control<E extends HostControl>(event: E, payload: HostControlPayload<E>): Promise<Ack> {
    await this.#connected();
    let answer: unknown;
    try {
      answer = await (this.#socket.timeout(this.#timeoutMs).emitWithAck as (e: string, p: unknown) => Promise<unknown>)(event, payload);
    } catch (error) {
      throw new MeshError('SIGNALING_UNAVAILABLE', `the signaling server did not answer ${event}`, { cause: error });
    }
    const parsed = parseAck(answer);
    if (!parsed.success) throw laterRefusal(answer) ?? new MeshError('INTERNAL', `the signaling server answered ${event} with a malformed message`, { cause: parsed.error });
    return parsed.data;
  }

  async leave(): Promise<void> {
    if (!this.#socket.connected) return;
    try {
      await this.#socket.timeout(this.#timeoutMs).emitWithAck('leave');
    } catch (error) {
      this.#log.debug('leave not acknowledged', { error });
    }
  }

  close(): void {
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    this.#socket.removeAllListeners();
    // Only our own listener: the manager's others belong to socket.io itself.
    this.#socket.io.off('reconnect_failed', this.#onReconnectFailed);
    this.#socket.disconnect();
    this.#setState('disconnected');
    this.#events.clear();
  }

  #relay<E extends ServerEventName>(event: E): void {
    const handler = (payload: unknown): void => {
      const parsed = parseServerEvent(event, payload);
      if (!parsed.success) {
        this.#log.warn('malformed server message dropped', { event });
        return;
      }
      (this.#events.emit as (e: E, p: unknown) => void)(event, parsed.data);
    };
    // The payload is validated above, so the listener can take it as unknown.
    (this.#socket.on as (e: string, h: (payload: unknown) => void) => void)(event, handler);
  }

  #onDisconnect(reason: Socket.DisconnectReason): void {
    if (reason === 'io client disconnect') {
      this.#setState('disconnected');
      return;
    }
    this.#setState('reconnecting');
    if (reason === 'io server disconnect') {
      // socket.io does not reconnect by itself after a server-side disconnect (e.g. a restart drain).
      this.#reconnectTimer = setTimeout(() => {
        this.#reconnectTimer = null;
        this.#socket.connect();
      }, 1000);
    }
  }

  /**
   * socket.io-client retries a transport failure by itself (the socket stays active); a refusal
   * by the server's middleware it does not. That one ends the channel, with the server's code
   * when its `data` carries one (a code this version does not list included), with its message.
   */
  #onConnectError(error: Error & { data?: unknown }): void {
    if (this.#socket.active) return;
    const data = error.data as { code?: unknown; message?: unknown } | undefined;
    const known = typeof data?.code === 'string' && LATER_CODE.test(data.code);
    const message = typeof data?.message === 'string' ? data.message : error.message;
    this.#refusal = new MeshError(known ? (data!.code as ErrorCode | LaterServerCode) : 'SIGNALING_UNAVAILABLE', `the signaling server refused the connection: ${message}`, { cause: error });
    this.#log.warn('signaling server refused the connection', { code: this.#refusal.code, message });
    this.#setState('disconnected');
  }

  #setState(state: SignalingState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#events.emit('state', state);
  }

  #connected(): Promise<void> {
    if (this.#socket.connected) return Promise.resolve();
    if (this.#state === 'disconnected') return Promise.reject(this.#refusal ?? new MeshError('SIGNALING_UNAVAILABLE', 'the signaling channel is closed'));
    return new Promise((resolve, reject) => {
      const done = (error?: MeshError): void => {
        clearTimeout(timer);
        this.#socket.off('connect', onConnect);
        this.#socket.off('connect_error', onError);
        if (error) reject(error);
        else resolve();
      };
      const onConnect = (): void => done();
      // Runs after #onConnectError (registered first), which has recorded a refusal if this was one.
      const onError = (): void => {
        if (this.#refusal) done(this.#refusal);
      };
      this.#socket.on('connect_error', onError);
      const timer = setTimeout(
        () => done(new MeshError('SIGNALING_UNAVAILABLE', `could not reach the signaling server within ${this.#timeoutMs} ms`)),
        this.#timeoutMs,
      );
      this.#socket.on('connect', onConnect);
    });
  }
}

