import {
  ackError,
  type Ack,
  type ErrorCode,
  type IceServer,
  type JoinResult,
} from '@meshmeet/protocol';
import type { Config } from './config.ts';
import { iceServersFor } from './iceServers.ts';
import type { Logger } from './logger.ts';
import { SIGNAL_SAMPLE_EVERY, type Metrics, type Stats } from './metrics.ts';
import type { RoomRegistry } from './rooms.ts';
import type { Session } from './session.ts';
import { parseJoin, parseMedia, parseSignal } from './validate.ts';

type AckFn = (result: Ack | JoinResult) => void;

const ACK_OK: Ack = Object.freeze({ ok: true }) as Ack;
const KNOWN_EVENTS: ReadonlySet<string> = new Set(['join', 'signal', 'media', 'leave', 'error']);

/** The ack is always the last argument, and only if it is a function. */
function lastAck(args: IArguments): AckFn | undefined {
  const last: unknown = args[args.length - 1];
  return typeof last === 'function' ? (last as AckFn) : undefined;
}

function answer(ack: AckFn | undefined, result: Ack | JoinResult): void {
  if (ack) ack(result);
}

export interface HandlerDeps {
  config: Config;
  registry: RoomRegistry;
  metrics: Metrics;
  log: Logger;
  iceServers: IceServer[];
  isDraining: () => boolean;
}

/**
 * What the server does with each inbound event. Every handler first charges the socket's rate
 * limit, then validates, then acts; a refusal changes nothing and is answered with a typed error
 * when the client gave an ack. The functions take `arguments` so that any call shape a client can
 * produce (no payload, extra arguments, no ack) is handled without allocating for the common one.
 */
export class Handlers {
  private readonly stats: Stats;
  private readonly debug: boolean;
  private signalCount = 0;

  constructor(private readonly deps: HandlerDeps) {
    this.stats = deps.metrics.stats;
    this.debug = deps.log.debugEnabled;
  }

  /** False (and the caller stops) when the socket is over its rate limit. */
  private admit(session: Session, ack: AckFn | undefined): boolean {
    const verdict = session.bucket.take(performance.now());
    if (verdict === 'ok') return true;
    if (verdict === 'flooding') {
      if (session.socket.connected) {
        this.stats.disconnectedFlooders++;
        this.deps.log.warn('disconnecting a flooding socket', { peerId: session.id, roomId: session.room?.id });
        session.socket.disconnect(true);
      }
      return false;
    }
    this.refuse(ack, 'RATE_LIMITED', 'too many messages; slow down');
    return false;
  }

  private refuse(ack: AckFn | undefined, code: ErrorCode, message: string): void {
    this.stats.reject(code);
    answer(ack, ackError(code, message));
  }

  private refuseJoin(ack: AckFn, code: ErrorCode, message: string): void {
    this.stats.joinsRefused++;
    this.refuse(ack, code, message);
  }

  join(session: Session, args: IArguments): void {
    const ack = lastAck(args);
    if (!this.admit(session, ack)) return;
    if (!ack) {
      // Without an ack the roster could never reach the client; refuse rather than half-join.
      this.stats.reject('no_ack');
      return;
    }
    const started = performance.now();
    if (args.length !== 2) return this.refuseJoin(ack, 'INVALID_MESSAGE', 'join takes one payload and an ack');
    const request = parseJoin(args[0]);
    if (typeof request === 'string') return this.refuseJoin(ack, 'INVALID_MESSAGE', request);
    if (this.deps.isDraining()) return this.refuseJoin(ack, 'INTERNAL', 'server is shutting down');
    const media = request.media ?? { mic: false, camera: false, screen: false };
    const outcome = this.deps.registry.join(session, request.room, request.name, media);
    if (!outcome.ok) {
      const message = outcome.reason === 'ROOM_FULL' ? 'the room is full' : 'already in a room; leave first';
      return this.refuseJoin(ack, outcome.reason, message);
    }
    const room = outcome.room;
    const socket = session.socket;
    void socket.join(room.key);
    socket.to(room.key).emit('peer-joined', session.toPeer());
    this.stats.joinsOk++;
    ack({
      ok: true,
      self: { id: session.id, name: session.name },
      peers: room.peers(session),
      iceServers: iceServersFor(this.deps.config, this.deps.iceServers, session.id, Date.now()),
    });
    this.deps.log.info('joined', { roomId: room.id, peerId: session.id, members: room.members.size });
    this.deps.metrics.observe('join', started);
  }

  signal(session: Session, args: IArguments): void {
    const ack = lastAck(args);
    if (!this.admit(session, ack)) return;
    const sampled = ++this.signalCount % SIGNAL_SAMPLE_EVERY === 0;
    const started = sampled ? performance.now() : 0;
    if (args.length !== (ack ? 2 : 1)) return this.refuse(ack, 'INVALID_MESSAGE', 'signal takes one payload and an optional ack');
    const request = parseSignal(args[0]);
    if (typeof request === 'string') return this.refuse(ack, 'INVALID_MESSAGE', request);
    const room = session.room;
    if (!room) return this.refuse(ack, 'NOT_IN_ROOM', 'join a room first');
    // Only members of the sender's own room are addressable; oneself is not a valid target.
    const target = request.to === session.id ? undefined : room.members.get(request.to);
    if (!target) return this.refuse(ack, 'UNKNOWN_PEER', 'no such peer in your room');
    const description = request.description;
    if (description !== undefined) {
      target.socket.emit('signal', { from: session.id, description });
      if (description.type === 'offer') this.stats.offers++;
      else this.stats.answers++;
      if (this.debug) {
        this.deps.log.debug('relayed description', {
          roomId: room.id,
          peerId: session.id,
          to: target.id,
          type: description.type,
          sdpBytes: description.sdp.length,
        });
      }
    } else {
      const candidate = request.candidate ?? null;
      target.socket.emit('signal', { from: session.id, candidate });
      if (candidate === null) this.stats.endOfCandidates++;
      else this.stats.candidates++;
    }
    if (ack) ack(ACK_OK);
    if (sampled) this.deps.metrics.observe('signal', started);
  }

  media(session: Session, args: IArguments): void {
    const ack = lastAck(args);
    if (!this.admit(session, ack)) return;
    const started = performance.now();
    if (args.length !== (ack ? 2 : 1)) return this.refuse(ack, 'INVALID_MESSAGE', 'media takes one payload and an optional ack');
    const media = parseMedia(args[0]);
    if (typeof media === 'string') return this.refuse(ack, 'INVALID_MESSAGE', media);
    const room = session.room;
    if (!room) return this.refuse(ack, 'NOT_IN_ROOM', 'join a room first');
    session.media = media;
    session.socket.to(room.key).emit('media', { id: session.id, mic: media.mic, camera: media.camera, screen: media.screen });
    this.stats.mediaUpdates++;
    answer(ack, ACK_OK);
    this.deps.log.debug('media changed', { roomId: room.id, peerId: session.id, ...media });
    this.deps.metrics.observe('media', started);
  }

  leave(session: Session, args: IArguments): void {
    const ack = lastAck(args);
    if (!this.admit(session, ack)) return;
    const started = performance.now();
    if (args.length !== (ack ? 1 : 0)) return this.refuse(ack, 'INVALID_MESSAGE', 'leave takes no payload');
    const room = this.deps.registry.leave(session);
    if (!room) return this.refuse(ack, 'NOT_IN_ROOM', 'not in a room');
    void session.socket.leave(room.key);
    session.socket.to(room.key).emit('peer-left', { id: session.id });
    answer(ack, ACK_OK);
    this.deps.log.info('left', { roomId: room.id, peerId: session.id, members: room.members.size });
    this.deps.metrics.observe('leave', started);
  }

  disconnected(session: Session, reason: string): void {
    const room = this.deps.registry.leave(session);
    if (room) {
      // socket.io has already taken the socket out of its rooms; tell the ones left behind.
      session.socket.to(room.key).emit('peer-left', { id: session.id });
    }
    this.deps.log.info('disconnected', { roomId: room?.id, peerId: session.id, reason });
  }

  /**
   * Every event passes here first (socket.io's onAny); the known ones return at once. Names no
   * handler listens to are dropped and counted; `error` is reserved by Node's EventEmitter and
   * has its own listener that keeps a client-sent "error" from throwing.
   */
  any(session: Session, args: IArguments): void {
    const event: unknown = args[0];
    if (typeof event === 'string' && KNOWN_EVENTS.has(event)) return;
    const ack = lastAck(args);
    if (!this.admit(session, ack)) return;
    this.stats.reject('unknown_event');
    answer(ack, ackError('INVALID_MESSAGE', 'unknown event'));
    if (this.debug) this.deps.log.debug('dropped unknown event', { peerId: session.id, event: String(event).slice(0, 64) });
  }

  /** A client emitting "error", or a socket.io middleware error (an Error instance). */
  error(session: Session, args: IArguments): void {
    if (args[0] instanceof Error) {
      this.deps.log.warn('socket error', { peerId: session.id, error: args[0] });
      return;
    }
    const ack = lastAck(args);
    if (!this.admit(session, ack)) return;
    this.stats.reject('reserved_event');
    answer(ack, ackError('INVALID_MESSAGE', 'reserved event name'));
  }
}
