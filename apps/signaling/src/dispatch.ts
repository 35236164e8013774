import { ackError, CLIENT_EVENTS, type Ack, type ClientEventName, type ErrorCode, type JoinResult } from '@meshmeet/protocol';
import type { Logger } from './logger.ts';
import { SIGNAL_SAMPLE_EVERY, type HandledEvent, type Metrics } from './metrics.ts';
import type { Session } from './session.ts';
import { StoreUnavailableError } from './store/RoomStore.ts';
import { validators, type Parsed } from './validate.ts';

export type AckFn = (result: Ack | JoinResult) => void;

/** A typed handler: called only with a validated payload, after the rate limit and the arity check. */
/** A handler that needs the room store (in Redis on a multi-node server) returns a promise; the dispatcher answers its failure. */
export type Handler<E extends ClientEventName> = (session: Session, payload: Parsed<E>, ack: AckFn | undefined) => void | Promise<void>;
export type HandlerTable = { [E in ClientEventName]: Handler<E> };

/** Whether an event's ack is required (join: the roster could never reach the client without one). */
const ACK_REQUIRED = { join: true, signal: false, media: false, leave: false, 'set-passcode': false, lock: false, remove: false } as const satisfies Record<ClientEventName, boolean>;

const KNOWN_EVENTS: ReadonlySet<string> = new Set<string>([...CLIENT_EVENTS, 'error']);

/** The ack is always the last argument, and only if it is a function. */
export function lastAck(args: IArguments): AckFn | undefined {
  const last: unknown = args[args.length - 1];
  return typeof last === 'function' ? (last as AckFn) : undefined;
}

/** Answers a refusal (when there is an ack) and counts it; a refusal changes nothing else. */
export function refuse(metrics: Metrics, event: ClientEventName | 'any', ack: AckFn | undefined, code: ErrorCode, message: string): void {
  metrics.stats.reject(code);
  if (event === 'join') metrics.stats.joinsRefused++;
  if (ack) ack(ackError(code, message));
}

export type Listener = (this: { data: { session: Session } }, ...args: unknown[]) => void;

/**
 * One wrapper for every client event, driven by the protocol's event table: rate limit -> ack
 * and arity check -> validation -> typed handler. A refusal changes nothing and is answered with
 * a typed error when the client gave an ack. The listeners are made once per server and shared
 * by every socket (socket.io binds `this` to the socket), so a connection costs no closures.
 */
export class Dispatcher {
  private signalCount = 0;

  constructor(
    private readonly handlers: HandlerTable,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  /** A listener per event name, plus `onAny` for names no listener takes and `error`. */
  listeners(): { events: [ClientEventName, Listener][]; any: Listener; error: Listener } {
    const self = this;
    const events = CLIENT_EVENTS.map((name): [ClientEventName, Listener] => [
      name,
      function (this: { data: { session: Session } }) {
        self.guard(name, this.data.session, arguments, () => self.dispatch(name, this.data.session, arguments));
      },
    ]);
    const any: Listener = function () {
      self.guard('any', this.data.session, arguments, () => self.any(this.data.session, arguments));
    };
    const error: Listener = function () {
      self.guard('error', this.data.session, arguments, () => self.error(this.data.session, arguments));
    };
    return { events, any, error };
  }

  /** False (and the caller stops) when the socket is over its rate limit; a flooder is kicked. */
  admit(session: Session, ack: AckFn | undefined): boolean {
    session.lastHeardAt = Date.now();
    const verdict = session.bucket.take(performance.now());
    if (verdict === 'ok') return true;
    if (verdict === 'flooding') {
      if (session.socket.connected) {
        this.metrics.stats.disconnectedFlooders++;
        this.log.warn('disconnecting a flooding socket', { peerId: session.member?.id, socketId: session.socket.id, roomId: session.member?.room });
        session.kicked = true;
        session.socket.disconnect(true);
      }
      return false;
    }
    this.refuse('any', ack, 'RATE_LIMITED', 'too many messages; slow down');
    return false;
  }

  private refuse(event: ClientEventName | 'any', ack: AckFn | undefined, code: ErrorCode, message: string): void {
    refuse(this.metrics, event, ack, code, message);
  }

  private dispatch<E extends ClientEventName>(name: E, session: Session, args: IArguments): void {
    const ack = lastAck(args);
    if (!this.admit(session, ack)) return;
    if (ACK_REQUIRED[name] && !ack) {
      this.metrics.stats.reject('no_ack');
      return;
    }
    // The host's controls are rare and not timed; signal is sampled.
    const timed = name === 'signal' ? ++this.signalCount % SIGNAL_SAMPLE_EVERY === 0 : name === 'join' || name === 'media' || name === 'leave';
    const started = timed ? performance.now() : 0;
    const validate = validators[name] as ((payload: unknown) => unknown) | null;
    const payloads = validate === null ? 0 : 1;
    if (args.length !== payloads + (ack ? 1 : 0)) {
      const shape = `${payloads === 0 ? 'no payload' : 'one payload'} and ${ACK_REQUIRED[name] ? 'an ack' : 'an optional ack'}`;
      return this.refuse(name, ack, 'INVALID_MESSAGE', `${name} takes ${shape}`);
    }
    const payload = validate === null ? undefined : validate(args[0]);
    if (typeof payload === 'string') return this.refuse(name, ack, 'INVALID_MESSAGE', payload);
    const pending = (this.handlers[name] as Handler<E>)(session, payload as Parsed<E>, ack);
    if (pending) {
      pending.then(
        () => timed && this.metrics.observe(name as HandledEvent, started),
        (error: unknown) => this.failed(name, session, ack, error),
      );
    } else if (timed) {
      this.metrics.observe(name as HandledEvent, started);
    }
  }

  /**
   * Every event passes here first (socket.io's onAny); the known ones return at once. Names no
   * handler listens to are dropped and counted; `error` is reserved by Node's EventEmitter and
   * has its own listener that keeps a client-sent "error" from throwing.
   */
  private any(session: Session, args: IArguments): void {
    const event: unknown = args[0];
    if (typeof event === 'string' && KNOWN_EVENTS.has(event)) return;
    const ack = lastAck(args);
    if (!this.admit(session, ack)) return;
    this.metrics.stats.reject('unknown_event');
    if (ack) ack(ackError('INVALID_MESSAGE', 'unknown event'));
    if (this.log.debugEnabled) this.log.debug('dropped unknown event', { socketId: session.socket.id, event: String(event).slice(0, 64) });
  }

  /**
   * A client emitting "error", or socket.io reporting a packet its parser refused (an Error
   * instance; socket.io closes that connection). A refused packet is the client's fault: it is
   * counted, and logged at debug without a stack, since one warn line with a stack per bad packet
   * let any client write ~1 KB of log per connection.
   */
  private error(session: Session, args: IArguments): void {
    if (args[0] instanceof Error) {
      this.metrics.stats.reject('malformed_packet');
      if (this.log.debugEnabled) this.log.debug('malformed packet', { socketId: session.socket.id, peerId: session.member?.id, reason: args[0].message.slice(0, 64) });
      return;
    }
    const ack = lastAck(args);
    if (!this.admit(session, ack)) return;
    this.metrics.stats.reject('reserved_event');
    if (ack) ack(ackError('INVALID_MESSAGE', 'reserved event name'));
  }

  /**
   * A handler that throws (a bug) is answered INTERNAL and logged; socket.io would otherwise
   * rethrow it out of a process.nextTick and take the whole process down.
   */
  private guard(event: string, session: Session, args: IArguments, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.failed(event, session, lastAck(args), error);
    }
  }

  /** The room store could not be reached: UNAVAILABLE, nothing changed. Anything else is a bug: INTERNAL. */
  private failed(event: string, session: Session, ack: AckFn | undefined, error: unknown): void {
    if (error instanceof StoreUnavailableError) {
      this.log.warn('the room store is unreachable', { event, peerId: session.member?.id, socketId: session.socket.id });
      this.refuse(event === 'join' ? 'join' : 'any', ack, 'UNAVAILABLE', 'the server cannot reach its room store just now; try again shortly');
      return;
    }
    this.log.error('handler failed', { event, peerId: session.member?.id, socketId: session.socket.id, roomId: session.member?.room, error });
    if (ack) ack(ackError('INTERNAL', 'internal error'));
  }
}
