import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface SpawnedServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Last lines of stderr and non-JSON stdout, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Script to run under tsx; default: the signaling server's entry. */
  script?: string;
  env?: Record<string, string>;
  /** Extra node flags, e.g. --max-old-space-size. */
  nodeArgs?: string[];
  timeoutMs?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
/** apps/signaling/src/main.ts, found from this package (spawning an app is allowed; importing it is not). */
export const SIGNALING_ENTRY = join(here, '../../../../apps/signaling/src/main.ts');

/**
 * Spawns a server script with `node --import tsx` (node itself is the child, so its pid is the
 * server's for /proc readings) on an ephemeral loopback port and waits for its JSON "listening"
 * line, per the signaling server's process contract.
 */
export async function spawnServer(options: SpawnOptions = {}): Promise<SpawnedServer> {
  const script = options.script ?? SIGNALING_ENTRY;
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', tsx, script], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ICE_SERVERS: '[]', LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const remember = (line: string): void => {
    tail.push(line);
    if (tail.length > 30) tail.shift();
  };
  createInterface({ input: child.stderr! }).on('line', remember);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not report "listening" within ${options.timeoutMs ?? 30_000} ms:\n${tail.join('\n')}`)), options.timeoutMs ?? 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code} before listening:\n${tail.join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        remember(line);
        return;
      }
      if (typeof parsed === 'object' && parsed !== null && (parsed as { msg?: unknown }).msg === 'listening') {
        const p = (parsed as { port?: unknown }).port;
        if (typeof p === 'number') {
          clearTimeout(timer);
          resolve(p);
        }
      }
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    output: () => tail.join('\n'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
