/** Child processes of the packed-install test, each ended by the test that started it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The first stdout line that parses as JSON and satisfies `match`; rejects on exit or timeout. */
export function jsonLine<T>(child: ChildProcess, match: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string): void => {
      clearTimeout(timer);
      reject(new Error(`${what}: ${why}${stderr ? `\n${stderr}` : ''}`));
    };
    child.once('exit', (code) => fail(`exited with ${code}`));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const value = JSON.parse(line) as T;
        if (!match(value)) return;
        clearTimeout(timer);
        resolve(value);
      } catch {
        // not JSON: some other output line
      }
    });
  });
}

export function start(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Ends a child (SIGTERM, then SIGKILL after a grace) and waits for it to be gone. */
export async function stop(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}
