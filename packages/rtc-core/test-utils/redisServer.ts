import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's redis-server (apt-get install redis-server); tests skip with this reason when it is missing. */
const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => {
  try {
    execFileSync(path, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
export const redisSkipReason: string | null = REDIS_SERVER === undefined ? 'redis-server is not installed (apt-get install redis-server)' : null;

export interface RedisProcess {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** SIGTERM, then resolves once it exited. No-op if it already has. */
  stop(): Promise<void>;
  /** SIGKILL/SIGTERM resolve once it exited; SIGSTOP/SIGCONT at once. */
  kill(signal: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT'): Promise<void>;
  /** Starts it again on the same port, empty (no persistence): a Redis that lost everything. */
  restart(): Promise<void>;
  /** INFO memory's used_memory. */
  usedMemoryBytes(): Promise<number>;
}

/** A real redis-server on a free loopback port, without persistence, in its own temp dir. */
export async function startRedis(options: { port?: number } = {}): Promise<RedisProcess> {
  if (!REDIS_SERVER) throw new Error(redisSkipReason ?? 'no redis-server');
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'meshmeet-redis-'));
  let child = await launch(REDIS_SERVER, port, dir);
  const exited = (c: ChildProcess) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => c.once('exit', () => resolve())));
  const handle: RedisProcess = {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child.pid ?? -1;
    },
    async stop() {
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    },
    async kill(signal) {
      child.kill(signal);
      if (signal === 'SIGKILL' || signal === 'SIGTERM') await exited(child);
    },
    async restart() {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited(child);
      child = await launch(REDIS_SERVER, port, dir);
    },
    async usedMemoryBytes() {
      const info = await rawCommand(port, 'INFO memory');
      return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
    },
  };
  return handle;
}

async function launch(binary: string, port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s:\n${output}`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${String(code)}:\n${output}`));
    });
  });
  child.stdout!.resume();
  return child;
}

/** One inline command over RESP, for the fixture's own reads (no client library). */
function rawCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString();
      const header = /^\$(\d+)\r\n/.exec(data);
      if (header && data.length >= header[0].length + Number(header[1])) {
        socket.end();
        resolve(data.slice(header[0].length, header[0].length + Number(header[1])));
      }
    });
    socket.on('error', reject);
    socket.write(`${command}\r\n`);
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
