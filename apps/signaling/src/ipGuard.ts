import type { IncomingMessage } from 'node:http';
import type { ExtendedError } from 'socket.io';
import type { ErrorPayload } from '@meshmeet/protocol';
import type { IpLimitConfig } from './config.ts';
import { refuse, type HandlerTable } from './dispatch.ts';
import { ipKey } from './ipKey.ts';
import { JoinRate, OpenCounts } from './ipLimits.ts';
import type { Logger } from './logger.ts';
import type { Metrics, RefusalReason } from './metrics.ts';
import { viewRequest, type TrustFn } from './origins.ts';
import type { AppServer } from './server.ts';
import type { AppSocket } from './session.ts';

/** What the client's connect_error carries in `data` when its socket is refused. */
export type ConnectRefusal = ErrorPayload;

/** The engine.io connection under a socket: what a socket.io client holds one of per Manager. */
type EngineConn = AppSocket['conn'];

/**
 * Open engine.io connections an address may hold: twice its sockets, plus room for a burst of
 * handshakes whose CONNECT has not arrived yet, so that a client over the socket limit still
 * gets the typed refusal rather than a bare 403 (refused connections close right after it).
 */
export function handshakeLimit(maxSockets: number): number {
  return maxSockets === 0 ? 0 : 2 * maxSockets + 16;
}

/**
 * The per-address abuse limits, at three points:
 * - the engine.io handshake (`allowHandshake`, called from allowRequest): past `handshakeLimit`
 *   open engine connections a handshake is refused with a plain 403, before any socket.io state
 *   exists, so connections that never send socket.io's CONNECT cannot pile up;
 * - socket.io's CONNECT (`io.use`): past `maxSockets` admitted sockets the client's
 *   connect_error carries `{ code: 'RATE_LIMITED', message }`, and a connection that holds no
 *   other socket is then closed;
 * - the join handler: past `joinsPerMinute` the join ack is RATE_LIMITED and nothing else happens.
 * The address is the TCP peer, or the one X-Forwarded-For names when TRUST_PROXY trusts the
 * hops in between (viewRequest, as Express's req.ip).
 */
export class IpGuard {
  private readonly engine: OpenCounts;
  private readonly sockets: OpenCounts;
  private readonly joins: JoinRate;
  private readonly keys = new WeakMap<AppSocket, string>();
  /** One log line per address and reason a minute: a flood must not become a log flood. */
  private readonly logged = new JoinRate(1, 10_000);
  /** Admitted sockets per engine connection, so that a refusal only closes a connection that holds none. */
  private readonly admittedOn = new WeakMap<EngineConn, number>();

  constructor(
    config: IpLimitConfig,
    private readonly trust: TrustFn,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    this.engine = new OpenCounts(handshakeLimit(config.maxSockets));
    this.sockets = new OpenCounts(config.maxSockets);
    this.joins = new JoinRate(config.joinsPerMinute);
  }

  keyOf(req: IncomingMessage): string {
    return ipKey(viewRequest(req, this.trust).address);
  }

  /** For allowRequest: false when the address already holds `handshakeLimit` engine connections. */
  allowHandshake(req: IncomingMessage): boolean {
    const key = this.keyOf(req);
    if (this.engine.below(key)) return true;
    this.note('handshakes_per_ip', key, this.engine.max);
    return false;
  }

  /** Counts engine connections (from their handshake to their close) and admits sockets. */
  install(io: AppServer): void {
    io.engine.on('connection', (conn: EngineConn) => {
      const key = this.keyOf(conn.request);
      // Counted even past the limit (handshakes racing past allowRequest): each close releases one.
      this.engine.add(key);
      conn.once('close', () => this.engine.release(key));
    });
    io.use((socket, next) => this.admit(socket, next));
  }

  /** The join handler, behind the per-address join rate. */
  guardJoins(handlers: HandlerTable): HandlerTable {
    const join = handlers.join;
    return {
      ...handlers,
      join: (session, request, ack) => {
        const key = this.keys.get(session.socket) ?? this.keyOf(session.socket.request);
        if (!this.joins.take(key, performance.now())) {
          this.note('joins_per_ip', key, this.joins.perMinute);
          return refuse(this.metrics, 'join', ack, 'RATE_LIMITED', 'too many joins from your address; try again in a minute');
        }
        return join(session, request, ack);
      },
    };
  }

  /** Counts a refusal; logs the first one per address and reason in a minute (metrics have them all). */
  private note(reason: RefusalReason, address: string, limit: number): void {
    this.metrics.stats.refusals[reason]++;
    if (this.logged.take(`${reason} ${address}`, performance.now())) this.log.info('per-address limit reached', { reason, address, limit });
  }

  private admit(socket: AppSocket, next: (error?: ExtendedError) => void): void {
    const key = this.keyOf(socket.request);
    const conn = socket.conn;
    if (!this.sockets.acquire(key)) {
      this.note('sockets_per_ip', key, this.sockets.max);
      const message = 'too many connections from your address';
      const error: ExtendedError = new Error(message);
      error.data = { code: 'RATE_LIMITED', message } satisfies ConnectRefusal;
      next(error);
      // socket.io writes the CONNECT_ERROR on the next tick; engine.io's close waits for it to drain.
      setImmediate(() => {
        if ((this.admittedOn.get(conn) ?? 0) === 0) conn.close();
      });
      return;
    }
    this.keys.set(socket, key);
    this.admittedOn.set(conn, (this.admittedOn.get(conn) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.sockets.release(key);
      this.admittedOn.set(conn, Math.max(0, (this.admittedOn.get(conn) ?? 1) - 1));
      socket.off('disconnect', release);
      conn.off('close', release);
    };
    // A socket whose connection closes between this middleware and its connect never fires
    // "disconnect"; the connection's close covers that gap.
    socket.once('disconnect', release);
    conn.once('close', release);
    next();
  }
}
