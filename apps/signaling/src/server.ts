import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { LIMITS, ackError, type ClientToServerEvents, type ServerToClientEvents } from '@meshmeet/protocol';
import type { Config } from './config.ts';
import { Handlers } from './handlers.ts';
import { createHttpApp } from './http.ts';
import { staticIceServers } from './iceServers.ts';
import { silentLogger, type Logger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { isOriginAllowed } from './origins.ts';
import { RoomRegistry } from './rooms.ts';
import { Session, type AppSocket, type SocketData } from './session.ts';

/**
 * The largest inbound engine.io message: a 64 KiB SDP whose line breaks JSON doubles (\r\n ->
 * \\r\\n), plus the envelope. A larger frame closes the connection at the engine, before parsing.
 */
export const MAX_HTTP_BUFFER_SIZE = 2 * LIMITS.sdpMaxLength + 8 * 1024;

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;

export interface SignalingServer {
  readonly httpServer: HttpServer;
  readonly io: AppServer;
  readonly metrics: Metrics;
  readonly rooms: RoomRegistry;
  /** Starts listening; resolves with the bound address (port 0 picks a free one). */
  listen(): Promise<{ host: string; port: number }>;
  /** Readiness 503, joins refused, clients disconnected, listener closed. Idempotent. */
  drain(): Promise<void>;
  readonly draining: boolean;
}

export interface ServerOptions {
  log?: Logger;
}

export function createSignalingServer(config: Config, options: ServerOptions = {}): SignalingServer {
  const log = options.log ?? silentLogger;
  const rooms = new RoomRegistry(config.maxPeersPerRoom);
  let draining = false;
  let drained: Promise<void> | null = null;
  const isDraining = () => draining;

  const metrics = new Metrics({
    sockets: () => io.engine.clientsCount,
    rooms: () => rooms.size,
    participants: () => rooms.participants,
  });
  const app = createHttpApp({ webDist: config.webDist, metrics, log, isDraining });
  const httpServer = createServer(app);
  const io: AppServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
    cors: {
      origin: (origin, callback) => callback(null, isOriginAllowed(origin, undefined, config.allowedOrigins)),
    },
    allowRequest: (req, callback) => {
      const allowed = !draining && isOriginAllowed(req.headers.origin, req.headers.host, config.allowedOrigins);
      if (!allowed && !draining) log.debug('refused a socket from another origin', { origin: req.headers.origin });
      callback(null, allowed);
    },
  });

  const handlers = new Handlers({
    config,
    registry: rooms,
    metrics,
    log,
    iceServers: staticIceServers(config),
    isDraining,
  });

  // One set of listener functions shared by every socket (socket.io calls them with `this` bound
  // to the socket), so a connection costs a Session and no closures. A handler that throws (a
  // bug) is answered INTERNAL and logged; socket.io would otherwise rethrow it out of a
  // process.nextTick and take the whole process down.
  function guard(name: string, socket: AppSocket, args: IArguments, error: unknown): void {
    log.error('handler failed', { event: name, peerId: socket.id, roomId: socket.data.session?.room?.id, error });
    const last: unknown = args[args.length - 1];
    if (typeof last === 'function') (last as (a: unknown) => void)(ackError('INTERNAL', 'internal error'));
  }
  function onJoin(this: AppSocket) {
    try {
      handlers.join(this.data.session, arguments);
    } catch (error) {
      guard('join', this, arguments, error);
    }
  }
  function onSignal(this: AppSocket) {
    try {
      handlers.signal(this.data.session, arguments);
    } catch (error) {
      guard('signal', this, arguments, error);
    }
  }
  function onMedia(this: AppSocket) {
    try {
      handlers.media(this.data.session, arguments);
    } catch (error) {
      guard('media', this, arguments, error);
    }
  }
  function onLeave(this: AppSocket) {
    try {
      handlers.leave(this.data.session, arguments);
    } catch (error) {
      guard('leave', this, arguments, error);
    }
  }
  function onAny(this: AppSocket) {
    try {
      handlers.any(this.data.session, arguments);
    } catch (error) {
      guard('any', this, arguments, error);
    }
  }
  function onError(this: AppSocket) {
    try {
      handlers.error(this.data.session, arguments);
    } catch (error) {
      guard('error', this, arguments, error);
    }
  }
  function onDisconnect(this: AppSocket, reason: string) {
    try {
      handlers.disconnected(this.data.session, reason);
    } catch (error) {
      log.error('disconnect cleanup failed', { peerId: this.id, error });
    }
  }

  io.on('connection', (socket) => {
    if (draining) {
      socket.disconnect(true);
      return;
    }
    socket.data.session = new Session(socket.id, socket, config.rateLimit, performance.now());
    log.debug('connected', { peerId: socket.id, transport: socket.conn.transport.name });
    socket.onAny(onAny);
    socket.on('join', onJoin);
    socket.on('signal', onSignal);
    socket.on('media', onMedia);
    socket.on('leave', onLeave);
    // Not in the typed map: "error" is what a client may send to try to make EventEmitter throw.
    (socket as unknown as NodeJS.EventEmitter).on('error', onError);
    socket.on('disconnect', onDisconnect);
  });

  return {
    httpServer,
    io,
    metrics,
    rooms,
    get draining() {
      return draining;
    },
    listen() {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address() as AddressInfo;
          resolve({ host: config.host, port: address.port });
        });
      });
    },
    drain() {
      if (drained) return drained;
      draining = true;
      log.info('draining', { sockets: io.engine.clientsCount, graceMs: config.drainGraceMs });
      // Clients go first (they reconnect elsewhere); the listener stays up for the grace period so
      // that load balancers see /readyz answer 503, and new sockets are refused meanwhile.
      io.disconnectSockets(true);
      drained = new Promise<void>((resolve) => setTimeout(resolve, config.drainGraceMs)).then(
        () =>
          new Promise<void>((resolve) => {
            // io.close() also closes the HTTP server; the callback runs once it stopped listening.
            void io.close(() => resolve());
            httpServer.closeAllConnections();
          }),
      );
      return drained;
    },
  };
}
