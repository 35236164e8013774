// Helpers for this package's tests: a real server on an ephemeral port and real socket.io clients.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { io as connectClient, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  JoinRequest,
  JoinResult,
  JoinSuccess,
  MediaState,
  ServerToClientEvents,
} from '@meshmeet/protocol';
import { loadConfig } from './config.ts';
import { createSignalingServer, type ServerOptions, type SignalingServer } from './server.ts';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  server: SignalingServer;
  url: string;
  /** Opens a client socket (websocket only, so message order is the wire order). */
  /** `localAddress` binds the client's end (any 127.x.y.z works on Linux: all of 127/8 is on lo). */
  connect(options?: { origin?: string; transports?: ('websocket' | 'polling')[]; url?: string; headers?: Record<string, string>; ca?: string; localAddress?: string }): Promise<Client>;
  close(): Promise<void>;
}

/** A self-signed certificate for `names` (DNS names and IPs), made by openssl in a new temp dir; `remove()` deletes it. */
export function selfSignedCert(names: string[] = ['localhost', '127.0.0.1']): { certPath: string; keyPath: string; cert: string; dir: string; remove(): void } {
  const dir = mkdtempSync(joinPath(tmpdir(), 'meshmeet-tls-'));
  const certPath = joinPath(dir, 'cert.pem');
  const keyPath = joinPath(dir, 'key.pem');
  const san = names.map((name) => (/^[\d.]+$|:/.test(name) ? `IP:${name}` : `DNS:${name}`)).join(',');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '1', '-subj', `/CN=${names[0] ?? 'localhost'}`, '-addext', `subjectAltName=${san}`, '-keyout', keyPath, '-out', certPath], { stdio: 'pipe' });
  return { certPath, keyPath, cert: readFileSync(certPath, 'utf8'), dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A random session secret, so that servers of different tests never accept each other's credentials. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Starts a server on 127.0.0.1 with an ephemeral port, its own random SESSION_SECRET and no
 * per-address limits; `env` overrides the environment defaults.
 */
export async function startServer(env: Record<string, string> = {}, options: ServerOptions = {}): Promise<TestServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ICE_SERVERS: '[]',
    LOG_LEVEL: 'silent',
    WEB_DIST: '/nonexistent',
    DRAIN_GRACE_MS: '0',
    SESSION_SECRET: randomSecret(),
    // Every test client comes from 127.0.0.1: no per-address limits unless a test sets them.
    MAX_SOCKETS_PER_IP: '0',
    JOINS_PER_MINUTE_PER_IP: '0',
    ...env,
  });
  const server = createSignalingServer(config, options);
  const { port } = await server.listen();
  const url = `${server.protocol}://127.0.0.1:${port}`;
  const clients = new Set<Client>();
  return {
    server,
    url,
    async connect(options = {}) {
      const socket: Client = connectClient(options.url ?? url, {
        transports: options.transports ?? ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: options.origin || options.headers ? { ...options.headers, ...(options.origin ? { origin: options.origin } : {}) } : undefined,
        ...(options.ca ? { ca: options.ca } : {}),
        // engine.io-client hands it to ws and to the polling request in Node, untyped.
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      });
      clients.add(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      return socket;
    },
    async close() {
      for (const socket of clients) socket.disconnect();
      await server.drain();
    },
  };
}

const peerIds = new WeakMap<Client, string>();

/** The peer id a client got from its last successful join (not its socket id). */
export function peerId(client: Client): string {
  const id = peerIds.get(client);
  if (id === undefined) throw new Error('this client has not joined');
  return id;
}

/** Joins as a wave-1 client (no `v`), or with `extra` (`v`, `resume`), and remembers the peer id. */
export async function join(client: Client, room: string, name: string, media?: MediaState, extra: Partial<JoinRequest> = {}): Promise<JoinResult> {
  const result = await client.timeout(10_000).emitWithAck('join', { room, name, ...(media ? { media } : {}), ...extra });
  if (result.ok) peerIds.set(client, result.self.id);
  return result;
}

/** Joins and insists on success. */
export async function joined(client: Client, room: string, name: string, extra: Partial<JoinRequest> = {}): Promise<JoinSuccess> {
  const result = await join(client, room, name, undefined, extra);
  if (!result.ok) throw new Error(`join failed: ${result.error.code} ${result.error.message}`);
  return result;
}

/** Joins as a revision-2 client, optionally resuming. */
export async function joinedV2(client: Client, room: string, name: string, resume?: string): Promise<JoinSuccess> {
  return joined(client, room, name, resume === undefined ? { v: 2 } : { v: 2, resume });
}

/** Emits any event (also ones outside the typed map) and waits for the ack. */
export async function emitRaw(client: Client, event: string, ...args: unknown[]): Promise<Ack> {
  const untyped = client as unknown as { timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<Ack> } };
  return untyped.timeout(10_000).emitWithAck(event, ...args);
}

/** Sends without an ack (also events outside the typed map). */
export function sendRaw(client: Client, event: string, ...args: unknown[]): void {
  (client as unknown as { emit(event: string, ...args: unknown[]): void }).emit(event, ...args);
}

/** Resolves with the next `event` the client receives. */
export function next<E extends keyof ServerToClientEvents>(
  client: Client,
  event: E,
  timeoutMs = 10_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener as never);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      client.off(event, listener as never);
      resolve(payload);
    };
    client.on(event, listener as never);
  });
}

/** Records every event of the given kinds a client receives, for "nothing was delivered" checks. */
export function record(client: Client, events: (keyof ServerToClientEvents)[] = ['peer-joined', 'peer-left', 'signal', 'media']) {
  const seen: { event: string; payload: unknown }[] = [];
  for (const event of events) {
    client.on(event, ((payload: unknown) => seen.push({ event, payload })) as never);
  }
  return seen;
}

/**
 * Round trip through the server: once this resolves, everything the server sent the client
 * before answering has arrived (one socket, one ordered connection).
 */
export async function settle(client: Client): Promise<void> {
  await emitRaw(client, 'probe');
}

export function waitForDisconnect(client: Client, timeoutMs = 10_000): Promise<string> {
  if (!client.connected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('still connected')), timeoutMs);
    client.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

let rawAckId = 1_000_000;
/**
 * Writes a socket.io EVENT packet whose JSON the test builds by hand, below socket.io-client's
 * encoder (which cannot encode some hostile shapes, e.g. very deep nesting), and waits for the ack.
 */
export function emitPacket(client: Client, jsonArray: string, timeoutMs = 10_000): Promise<Ack> {
  const id = rawAckId++;
  const acks = (client as unknown as { acks: Record<number, (result: Ack) => void> }).acks;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      delete acks[id];
      reject(new Error(`no ack for packet ${id}`));
    }, timeoutMs);
    acks[id] = (result) => {
      clearTimeout(timer);
      resolve(result);
    };
    client.io.engine.send(`2${id}${jsonArray}`);
  });
}

/** One sample of the server's /metrics, by its full name with labels (undefined if absent). */
export async function metric(t: TestServer, line: string): Promise<string | undefined> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  return text.split('\n').find((l) => l.startsWith(`${line} `))?.split(' ')[1];
}
