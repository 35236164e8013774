import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { LIMITS, type ClientToServerEvents, type ServerToClientEvents } from '@meshmeet/protocol';
import { RoomModel } from '@meshmeet/protocol/rooms';
import type { Config } from './config.ts';
import type { Rooms, ServerContext } from './context.ts';
import { MemoryRoomStore } from './store/MemoryRoomStore.ts';
import { StoreUnavailableError, type RoomStore, type StoreEvents } from './store/RoomStore.ts';
import { createMultiNode } from './store/redis/multiNode.ts';
import { RedisRoomStore } from './store/redis/RedisRoomStore.ts';
import { hmacSigner, newPeerId } from './credentials.ts';
import { Dispatcher } from './dispatch.ts';
import { onlyGetAndPost } from './engineMethods.ts';
import { createHandlers } from './handlers.ts';
import { createHttpApp } from './http.ts';
import { staticIceServers } from './iceServers.ts';
import { IpGuard } from './ipGuard.ts';
import { silentLogger, type Logger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { compileTrust, isOriginAllowed, viewRequest } from './origins.ts';
import { detachLocal, handleDisconnect, onEnded } from './presence.ts';
import { joinTokenVerifier } from './auth.ts';
import { verifyPasscode } from './host.ts';
import { resolveSessionSecret, type SecretSource } from './secret.ts';
import { Session, type AppSocket, type InterServerEvents, type SocketData } from './session.ts';

/**
 * The largest inbound engine.io message: a 64 KiB SDP whose line breaks JSON doubles (\r\n ->
 * \\r\\n), plus the envelope. A larger frame closes the connection at the engine, before parsing.
 */
export const MAX_HTTP_BUFFER_SIZE = 2 * LIMITS.sdpMaxLength + 8 * 1024;

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface SignalingServer {
  /** node:https when the config has TLS (https and wss on one port), node:http otherwise. */
  readonly httpServer: HttpServer | HttpsServer;
  readonly protocol: 'http' | 'https';
  readonly io: AppServer;
  readonly metrics: Metrics;
  /** Where rooms live. */
  readonly store: RoomStore;
  /** The in-memory rooms of a single-node server (tests look inside); throws in multi-node mode. */
  readonly rooms: Rooms;
  /** This node's id in multi-node mode; null on a single node. */
  readonly nodeId: string | null;
  /** Where the resume secret came from (never the secret itself). */
  readonly secretSource: SecretSource;
  /** Starts listening; resolves with the bound address (port 0 picks a free one). */
  listen(): Promise<{ host: string; port: number; protocol: 'http' | 'https' }>;
  /**
   * Readiness 503, joins refused, clients disconnected without telling anyone (no peer-left, no
   * tombstones: the rooms come back through resumes after the restart), listener closed. Idempotent.
   */
  drain(): Promise<void>;
  readonly draining: boolean;
}

export interface ServerOptions {
  log?: Logger;
}

export function createSignalingServer(config: Config, options: ServerOptions = {}): SignalingServer {
  const log = options.log ?? silentLogger;
  const { secret, source: secretSource } = resolveSessionSecret(config.sessionSecret, config.stateDir, log);
  let draining = false;
  let drained: Promise<void> | null = null;
  const isDraining = () => draining;

  const metrics = new Metrics({
    sockets: () => io.engine.clientsCount,
    rooms: () => store.gauges.rooms(),
    participants: () => store.gauges.participants(),
    away: () => store.gauges.away(),
  });
  const multiNode = config.redis ? createMultiNode(config.redis, metrics.registry, log) : null;
  const storeReady = multiNode ? () => store.ready() : undefined;
  const app = createHttpApp({ webDist: config.webDist, metrics, log, isDraining, storeReady, trustProxy: config.trustProxy });
  const trust = compileTrust(config.trustProxy);
  const guard = new IpGuard(config.ipLimits, trust, metrics, log);
  const protocol = config.tls ? 'https' : 'http';
  const httpServer = config.tls ? createHttpsServer({ cert: config.tls.cert, key: config.tls.key }, app) : createHttpServer(app);
  const io: AppServer = new Server(httpServer, {
    serveClient: false,
    ...(multiNode ? { adapter: multiNode.adapter } : {}),
    maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
    pingInterval: config.pingIntervalMs,
    pingTimeout: config.pingTimeoutMs,
    cors: {
      origin: (origin, callback) => callback(null, isOriginAllowed(origin, undefined, config.allowedOrigins)),
    },
    allowRequest: (req, callback) => {
      const view = viewRequest(req, trust);
      const allowed = !draining && isOriginAllowed(req.headers.origin, view.origin, config.allowedOrigins);
      if (!allowed && !draining) log.debug('refused a socket from another origin', { origin: req.headers.origin, self: view.origin, address: view.address });
      callback(null, allowed && guard.allowHandshake(req));
    },
  });

  io.engine.use(onlyGetAndPost);

  const events: StoreEvents = { ended: (ended) => onEnded(ctx, ended) };
  const memory: Rooms | null = multiNode
    ? null
    : new RoomModel({ maxPeersPerRoom: config.maxPeersPerRoom, graceMs: config.resume.graceMs, newId: newPeerId, verifyPasscode });
  const store: RoomStore =
    memory !== null
      ? new MemoryRoomStore(memory, events)
      : new RedisRoomStore({
          conn: multiNode!.connection,
          io,
          nodeId: config.redis!.nodeId,
          prefix: config.redis!.keyPrefix,
          graceMs: config.resume.graceMs,
          maxPeersPerRoom: config.maxPeersPerRoom,
          newId: newPeerId,
          verifyPasscode,
          events,
          log,
          onSignal: (handler) => multiNode!.onSignal(handler),
          channelReady: () => multiNode!.channelReady(),
        });
  if (multiNode) io.on('detach', (payload) => onDetach(ctx, payload));
  const ctx: ServerContext = { config, io, store, metrics, log, signer: hmacSigner(secret), iceServers: staticIceServers(config), isDraining,
    auth: config.authSecret ? joinTokenVerifier(config.authSecret) : null,
  };
  guard.install(io);
  const dispatcher = new Dispatcher(guard.guardJoins(createHandlers(ctx)), metrics, log);
  const listeners = dispatcher.listeners();
  function onDisconnect(this: AppSocket, reason: string) {
    const socketId = this.id;
    handleDisconnect(ctx, this.data.session, reason).catch((error: unknown) => {
      // Redis unreachable: the store's restore marks the member away once it is back.
      if (error instanceof StoreUnavailableError) log.warn('disconnect not recorded: the room store is unreachable', { socketId, reason });
      else log.error('disconnect cleanup failed', { socketId, error });
    });
  }

  io.on('connection', (socket) => {
    if (draining) {
      socket.disconnect(true);
      return;
    }
    const session = new Session(socket, config.rateLimit, performance.now());
    socket.data.session = session;
    // A pong is hearing from the client too (see the grace of a ping timeout in presence.ts).
    socket.conn.on('heartbeat', () => (session.lastHeardAt = Date.now()));
    if (log.debugEnabled) {
      const view = viewRequest(socket.request, trust);
      log.debug('connected', { socketId: socket.id, transport: socket.conn.transport.name, address: view.address, protocol: view.protocol });
    }
    socket.onAny(listeners.any);
    // Untyped on purpose: the table gives every client event the same generic wrapper.
    const untyped = socket as unknown as NodeJS.EventEmitter;
    for (const [name, listener] of listeners.events) untyped.on(name, listener);
    // Not in the typed map: "error" is what a client may send to try to make EventEmitter throw.
    untyped.on('error', listeners.error);
    socket.on('disconnect', onDisconnect);
  });
  log.info('resume configured', { secretSource, graceMs: config.resume.graceMs, ttlSeconds: config.resume.ttlSeconds });

  return {
    httpServer,
    protocol,
    io,
    metrics,
    store,
    get rooms(): Rooms {
      if (!memory) throw new Error('multi-node mode: the rooms live in Redis');
      return memory;
    },
    nodeId: config.redis?.nodeId ?? null,
    secretSource,
    get draining() {
      return draining;
    },
    listen() {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address() as AddressInfo;
          resolve({ host: config.host, port: address.port, protocol });
        });
      });
    },
    drain() {
      if (drained) return drained;
      draining = true;
      log.info('draining', { sockets: io.engine.clientsCount, graceMs: config.drainGraceMs });
      // Clients go first (they reconnect, and resume on the next process); the listener stays up
      // for the grace period so that load balancers see /readyz answer 503, and new sockets are
      // refused meanwhile. Nobody is told that anyone left.
      // Local only: through a Redis adapter io.disconnectSockets() would end every node's sockets.
      io.local.disconnectSockets(true);
      store.clear();
      drained = new Promise<void>((resolve) => setTimeout(resolve, config.drainGraceMs)).then(
        () =>
          new Promise<void>((resolve) => {
            // io.close() also closes the HTTP server; the callback runs once it stopped listening.
            void io.close(() => void (multiNode ? multiNode.close() : Promise.resolve()).finally(resolve));
            httpServer.closeAllConnections();
          }),
      );
      return drained;
    },
  };
}

/** Another node says a socket lost its membership; if the socket is here, it is detached. */
function onDetach(ctx: ServerContext, payload: unknown): void {
  const { socketId, room, why } = (payload ?? {}) as Record<string, unknown>;
  if (typeof socketId !== 'string' || typeof room !== 'string' || (why !== 'takeover' && why !== 'removed')) return;
  detachLocal(ctx, socketId, room, why);
}
