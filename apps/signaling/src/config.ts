import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { createSecureContext } from 'node:tls';
import { fileURLToPath } from 'node:url';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';
import { IceServerSchema, LIMITS, type IceServer } from '@meshmeet/protocol';

/** The server's configuration, read once from the environment at start. */
export interface Config {
  port: number;
  host: string;
  maxPeersPerRoom: number;
  /** null = the default (freeice STUN servers); [] = no ICE servers at all. */
  iceServers: IceServer[] | null;
  turn: TurnConfig | null;
  /** null = same origin and localhost only. */
  allowedOrigins: string[] | null;
  logLevel: LogLevel;
  webDist: string;
  rateLimit: RateLimitConfig;
  /** The longest a SIGTERM drain may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** How long, after clients are disconnected, /readyz keeps answering 503 before the listener closes. */
  drainGraceMs: number;
  /** Signs resume credentials; null = the one kept in `stateDir` (created on first start). */
  sessionSecret: string | null;
  /** Where the server keeps state that must survive a restart (the generated session secret). */
  stateDir: string;
  resume: ResumeConfig;
  /** socket.io heartbeat: a silent client is noticed pingIntervalMs + pingTimeoutMs after its last pong at worst. */
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** null = plain http/ws; otherwise https/wss on the same port with this certificate. */
  tls: TlsConfig | null;
  /**
   * Express's `trust proxy` value: false = trust nobody (the default); true = any hop; a number =
   * that many hops; a list = those addresses, subnets or the names loopback, linklocal, uniquelocal.
   */
  trustProxy: TrustProxy;
  /** Verifies join tokens (JWT HS256); null = joins need no token. */
  authSecret: string | null;
  ipLimits: IpLimitConfig;
  /** Multi-node mode: rooms live in this Redis and every node shares them; null = in memory, one node. */
  redis: RedisConfig | null;
  /** Video each participant should send in total, over all its links (the join answer, revision 3); null = no budget. */
  videoUplinkKbps: number | null;
}

export interface RedisConfig {
  url: string;
  /** Names this node in Redis, in its logs and in /metrics; unique per running process. */
  nodeId: string;
  /** The socket.io adapter: Redis streams (default; survives a Redis blip without losing packets) or pub/sub. */
  adapter: 'streams' | 'pubsub';
  /** Prefix of every key meshmeet writes, so that one Redis can serve several deployments. */
  keyPrefix: string;
}

/** Per client address (see ipKey.ts: an IPv4 address, or an IPv6 /64); 0 turns a limit off. */
export interface IpLimitConfig {
  /** Open sockets per address; past 2 x this + 16 engine.io connections a handshake is refused before socket.io sees it. */
  maxSockets: number;
  joinsPerMinute: number;
}

export type TrustProxy = boolean | number | string[];

export interface TlsConfig {
  certPath: string;
  keyPath: string;
  /** PEM text, read at load time so that an unreadable file stops the server before it listens. */
  cert: string;
  key: string;
}

export interface ResumeConfig {
  /** How long a resume credential stays valid (seconds). */
  ttlSeconds: number;
  /** How long a membership whose connection dropped waits for a resume (ms). */
  graceMs: number;
}

export interface TurnConfig {
  urls: string[];
  secret: string;
  ttlSeconds: number;
}

export interface RateLimitConfig {
  /** Tokens refilled per second (sustained messages per second per socket). */
  rate: number;
  /** Bucket size: the burst a socket may send at once (an ICE trickle after a join). */
  burst: number;
  /** Rejected messages beyond the bucket after which the socket is disconnected. */
  floodLimit: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));
/** `<repo root>/.meshmeet/`, ignored by git. */
const DEFAULT_STATE_DIR = fileURLToPath(new URL('../../../.meshmeet/', import.meta.url));
/** Variables whose values never appear in an error message. */
const SECRET_KEYS: ReadonlySet<string> = new Set(['TURN_SECRET', 'SESSION_SECRET', 'AUTH_SECRET', 'REDIS_URL']);

const intIn = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const commaList = z
  .string()
  .transform((s) => s.split(',').map((part) => part.trim()).filter((part) => part.length > 0));

const jsonIceServers = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. [] or [{"urls":"stun:stun.example.org"}]' });
    return z.NEVER;
  }
}).pipe(z.array(IceServerSchema).max(32));

/** `true`/`false`, a hop count, or a comma list that proxy-addr compiles (addresses, subnets, names). */
const trustProxy = z.string().trim().transform((text, ctx): TrustProxy => {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (/^\d+$/.test(text)) return Number(text);
  const list = text.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
  try {
    proxyAddr.compile(list);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `must be true, false, a hop count, or a comma list of addresses, subnets, loopback, linklocal, uniquelocal (${(error as Error).message})`,
    });
    return z.NEVER;
  }
  return list;
});

const EnvSchema = z
  .object({
    PORT: intIn(0, 65535).default(3000),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    MAX_PEERS_PER_ROOM: intIn(2, 256).default(LIMITS.defaultMaxPeersPerRoom),
    ICE_SERVERS: jsonIceServers.optional(),
    TURN_URLS: commaList.pipe(z.array(z.string().regex(/^turns?:/, 'TURN urls start with turn: or turns:')).min(1)).optional(),
    TURN_SECRET: z.string().min(8, 'must be at least 8 characters').optional(),
    TURN_TTL: intIn(60, 7 * 24 * 3600).default(86400),
    ALLOWED_ORIGINS: commaList
      .pipe(z.array(z.union([z.literal('*'), z.url({ protocol: /^https?$/ })])))
      .optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    WEB_DIST: z.string().min(1).default(DEFAULT_WEB_DIST),
    RATE_LIMIT_PER_SECOND: intIn(1, 100_000).default(100),
    RATE_LIMIT_BURST: intIn(1, 1_000_000).default(400),
    SHUTDOWN_TIMEOUT_MS: intIn(100, 9_500).default(9_000),
    DRAIN_GRACE_MS: intIn(0, 8_000).default(1_000),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').max(1024, 'must be at most 1024 characters').optional(),
    STATE_DIR: z.string().trim().min(1).default(DEFAULT_STATE_DIR),
    RESUME_TTL: intIn(60, 30 * 24 * 3600).default(86400),
    RESUME_GRACE_MS: intIn(0, 600_000).default(14_000),
    PING_INTERVAL_MS: intIn(100, 300_000).default(2_000),
    PING_TIMEOUT_MS: intIn(100, 300_000).default(2_000),
    TLS_CERT: z.string().trim().min(1).optional(),
    TLS_KEY: z.string().trim().min(1).optional(),
    TRUST_PROXY: trustProxy.default(false),
    MAX_SOCKETS_PER_IP: intIn(0, 1_000_000).default(20),
    JOINS_PER_MINUTE_PER_IP: intIn(0, 1_000_000).default(30),
    // HS256 keys shorter than the hash (32 bytes) are weak (RFC 7518 section 3.2).
    AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').max(1024, 'must be at most 1024 characters').optional(),
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
    NODE_ID: z.string().trim().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores').optional(),
    REDIS_ADAPTER: z.enum(['streams', 'pubsub']).default('streams'),
    // Below 100 kbps split across a room's links, no camera picture is worth sending.
    VIDEO_UPLINK_KBPS: intIn(0, 100_000).refine((v) => v === 0 || v >= 100, 'must be 0 (no budget) or 100-100000').default(2500),
    REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:._-]{1,32}$/, 'must be 1-32 letters, digits or : . _ -').default('mm:'),
  })
  .superRefine((env, ctx) => {
    if ((env.TURN_URLS === undefined) !== (env.TURN_SECRET === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.TURN_URLS === undefined ? 'TURN_URLS' : 'TURN_SECRET'],
        message: 'TURN_URLS and TURN_SECRET go together: set both or neither',
      });
    }
    if ((env.TLS_CERT === undefined) !== (env.TLS_KEY === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.TLS_CERT === undefined ? 'TLS_CERT' : 'TLS_KEY'],
        message: 'TLS_CERT and TLS_KEY go together: set both (PEM file paths) or neither',
      });
    }
    if (env.REDIS_URL !== undefined && env.SESSION_SECRET === undefined) {
      // A credential signed by one node must resume on any other.
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'REDIS_URL needs SESSION_SECRET: every node must sign resume credentials with the same secret' });
    }
    if (env.RESUME_GRACE_MS >= env.RESUME_TTL * 1000) {
      ctx.addIssue({ code: 'custom', path: ['RESUME_GRACE_MS'], message: 'must be shorter than RESUME_TTL' });
    }
  });

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from an environment; throws ConfigError listing every bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const present: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') present[key] = value;
  }
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? 'environment');
        const inner = issue.path.slice(1).map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
        const shown = present[key] === undefined || SECRET_KEYS.has(key) ? '' : ` (got ${JSON.stringify(present[key])})`;
        return `${key}${inner}: ${issue.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  const tls = e.TLS_CERT && e.TLS_KEY ? readTls(e.TLS_CERT, e.TLS_KEY) : null;
  const burst = e.RATE_LIMIT_BURST;
  return {
    port: e.PORT,
    host: e.HOST,
    maxPeersPerRoom: e.MAX_PEERS_PER_ROOM,
    iceServers: e.ICE_SERVERS ?? null,
    turn: e.TURN_URLS && e.TURN_SECRET ? { urls: e.TURN_URLS, secret: e.TURN_SECRET, ttlSeconds: e.TURN_TTL } : null,
    allowedOrigins: e.ALLOWED_ORIGINS ?? null,
    logLevel: e.LOG_LEVEL,
    webDist: e.WEB_DIST,
    rateLimit: { rate: e.RATE_LIMIT_PER_SECOND, burst, floodLimit: burst },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    drainGraceMs: e.DRAIN_GRACE_MS,
    sessionSecret: e.SESSION_SECRET ?? null,
    stateDir: e.STATE_DIR,
    resume: { ttlSeconds: e.RESUME_TTL, graceMs: e.RESUME_GRACE_MS },
    pingIntervalMs: e.PING_INTERVAL_MS,
    pingTimeoutMs: e.PING_TIMEOUT_MS,
    tls,
    trustProxy: e.TRUST_PROXY,
    ipLimits: { maxSockets: e.MAX_SOCKETS_PER_IP, joinsPerMinute: e.JOINS_PER_MINUTE_PER_IP },
    authSecret: e.AUTH_SECRET ?? null,
    redis: e.REDIS_URL
      ? { url: e.REDIS_URL, nodeId: e.NODE_ID ?? defaultNodeId(), adapter: e.REDIS_ADAPTER, keyPrefix: e.REDIS_KEY_PREFIX }
      : null,
    videoUplinkKbps: e.VIDEO_UPLINK_KBPS === 0 ? null : e.VIDEO_UPLINK_KBPS,
  };
}

/** The host name and a random suffix: a restarted process is a new node (the old one is reaped as dead). */
function defaultNodeId(): string {
  const host = hostname().replace(/[^A-Za-z0-9._-]/g, '').slice(0, 48) || 'node';
  return `${host}-${randomBytes(3).toString('hex')}`;
}

/** Reads and checks the certificate and key; throws ConfigError naming the file and the reason. */
function readTls(certPath: string, keyPath: string): TlsConfig {
  const problems: string[] = [];
  const read = (key: string, path: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      problems.push(`${key}: cannot read ${JSON.stringify(path)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      return '';
    }
  };
  const cert = read('TLS_CERT', certPath);
  const key = read('TLS_KEY', keyPath);
  if (problems.length > 0) throw new ConfigError(problems);
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    // The message never quotes the key: OpenSSL's reason only ("no start line", "key values mismatch").
    throw new ConfigError([`TLS_CERT, TLS_KEY: not a PEM certificate and its matching private key (${(error as Error).message})`]);
  }
  return { certPath, keyPath, cert, key };
}
