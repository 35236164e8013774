import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface SpawnOptions {
  /** Script to run under tsx; default: the signaling server's entry (SIGNALING_ENTRY). */
  script?: string;
  /** Environment on top of the defaults (PORT, HOST=127.0.0.1, ICE_SERVERS=[], LOG_LEVEL=info, a random SESSION_SECRET, per-address limits off). */
  env?: Record<string, string>;
  /** Extra node flags, e.g. --max-old-space-size. */
  nodeArgs?: string[];
  /** A fixed port (default: an ephemeral one; `restart()` keeps whichever it got). */
  port?: number;
  /** How long to wait for the "listening" line (default 30 s). */
  timeoutMs?: number;
}

export interface SignalingProcess {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** The current child (a new one after `restart()`); node itself, so its pid is the server's. */
  readonly process: ChildProcess;
  readonly pid: number;
  /** Last lines of stdout and stderr, for error messages and log checks. */
  output(): string;
  /** SIGTERM (the server drains), SIGKILL after 12 s; resolves once it exited. No-op if it already has. */
  stop(): Promise<void>;
  /** Sends a signal: SIGKILL/SIGTERM/SIGINT resolve once the process exited; SIGSTOP/SIGCONT at once. */
  kill(signal: 'SIGKILL' | 'SIGTERM' | 'SIGINT' | 'SIGSTOP' | 'SIGCONT'): Promise<void>;
  /** Stops the server if it runs (SIGTERM), then starts it again on the same port with the same env (so the same SESSION_SECRET). */
  restart(): Promise<void>;
}

/** apps/signaling/src/main.ts: spawned, never imported (nothing depends on an app). */
export const SIGNALING_ENTRY = fileURLToPath(new URL('../../../apps/signaling/src/main.ts', import.meta.url));
const SIGNALING_DIR = fileURLToPath(new URL('../../../apps/signaling/', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');
const TAIL_LINES = 50;

/**
 * Spawns a server script with `node --import tsx` on a loopback port and resolves once it logs
 * its JSON "listening" line (the signaling server's process contract). Each server gets its own
 * random SESSION_SECRET unless `env` sets one (`SESSION_SECRET: ''` leaves it unset, so the
 * server uses its state file).
 */
export async function spawnSignalingServer(options: SpawnOptions = {}): Promise<SignalingProcess> {
  const env: Record<string, string> = {
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    ICE_SERVERS: '[]',
    LOG_LEVEL: 'info',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    // Every test participant, bot and page comes from 127.0.0.1: no per-address limits unless a test sets them.
    MAX_SOCKETS_PER_IP: '0',
    JOINS_PER_MINUTE_PER_IP: '0',
    ...options.env,
  };
  const tail: string[] = [];
  const remember = (line: string): void => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  let current = await launch(options, env, remember, tail);
  env.PORT = String(current.port);

  const handle: SignalingProcess = {
    get url() {
      return `http://127.0.0.1:${current.port}`;
    },
    get port() {
      return current.port;
    },
    get process() {
      return current.child;
    },
    get pid() {
      return current.child.pid ?? -1;
    },
    output: () => tail.join('\n'),
    async kill(signal) {
      if (!isRunning(current.child)) return;
      current.child.kill(signal);
      if (signal !== 'SIGSTOP' && signal !== 'SIGCONT') await current.exited;
    },
    async stop() {
      const child = current.child;
      if (!isRunning(child)) return;
      // A stopped process cannot drain; wake it first.
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
      await current.exited;
      clearTimeout(timer);
    },
    async restart() {
      await handle.stop();
      current = await launch(options, env, remember, tail);
    },
  };
  return handle;
}

/** The spawner's earlier shape: `env` and a timeout. */
export function startSignalingProcess(env: Record<string, string> = {}, timeoutMs = 30_000): Promise<SignalingProcess> {
  return spawnSignalingServer({ env, timeoutMs });
}

interface Launched {
  child: ChildProcess;
  port: number;
  exited: Promise<void>;
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function launch(options: SpawnOptions, env: Record<string, string>, remember: (line: string) => void, tail: string[]): Promise<Launched> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', TSX, options.script ?? SIGNALING_ENTRY], {
    cwd: SIGNALING_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  createInterface({ input: child.stderr! }).on('line', remember);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not report "listening" within ${timeoutMs} ms:\n${tail.join('\n')}`)), timeoutMs);
    const onEarlyExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${String(code)} before listening:\n${tail.join('\n')}`));
    };
    child.once('exit', onEarlyExit);
    // Keeps reading stdout for the process's whole life, so the server never blocks on a full pipe.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      remember(line);
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return;
      }
      const { msg, port: p } = (parsed ?? {}) as { msg?: unknown; port?: unknown };
      if (msg === 'listening' && typeof p === 'number') {
        clearTimeout(timer);
        child.off('exit', onEarlyExit);
        resolve(p);
      }
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  return { child, port, exited };
}
