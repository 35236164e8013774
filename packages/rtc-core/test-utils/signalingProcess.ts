import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface SignalingProcess {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

// Spawned as a process, never imported: nothing depends on an app.
const SIGNALING_DIR = fileURLToPath(new URL('../../../apps/signaling/', import.meta.url));

/**
 * Starts the real signaling server (`apps/signaling/src/main.ts` under tsx) on an ephemeral
 * loopback port with no ICE servers, and resolves once it logs its "listening" line.
 */
export async function startSignalingProcess(env: Record<string, string> = {}, timeoutMs = 30_000): Promise<SignalingProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SIGNALING_DIR,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ICE_SERVERS: '[]', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const fail = (why: string): void => {
      clearTimeout(timer);
      lines.close();
      child.kill('SIGKILL');
      reject(new Error(`signaling server ${why}${stderr ? `:\n${stderr}` : ''}`));
    };
    const timer = setTimeout(() => fail(`did not log "listening" within ${timeoutMs} ms`), timeoutMs);
    const onEarlyExit = (code: number | null): void => fail(`exited with code ${String(code)} before listening`);
    child.once('exit', onEarlyExit);
    lines.on('line', (line) => {
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        return;
      }
      const { msg, port: p } = (record ?? {}) as { msg?: unknown; port?: unknown };
      if (msg === 'listening' && typeof p === 'number') {
        clearTimeout(timer);
        child.off('exit', onEarlyExit);
        // Keep draining stdout so the server never blocks on a full pipe.
        lines.removeAllListeners('line');
        child.stdout?.resume();
        resolve(p);
      }
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
