// A process inside a namespace (`ip netns exec NS …`) that reports in JSON lines on stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

export type JsonLine = Record<string, unknown>;

export interface NsProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Every JSON line so far, in order. */
  readonly lines: JsonLine[];
  /** Resolves with the first line (already seen or coming) that matches; rejects on timeout or exit. */
  waitFor(match: (line: JsonLine) => boolean, what: string, timeoutMs?: number): Promise<JsonLine>;
  /** Last lines of stderr and non-JSON stdout, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnInOptions {
  env?: Record<string, string>;
  /** Prefix for forwarded output lines, when NETLAB_VERBOSE is set. */
  name?: string;
  /** Arguments after the script (spawnTsxIn). */
  args?: string[];
  /** Keep stdin open as a pipe (write to child.stdin); default: no stdin. */
  stdin?: boolean;
}

/**
 * `ip netns exec` execs the command in place, so the child's pid is the command's own and
 * signals reach it directly.
 */
export function spawnIn(ns: string, argv: readonly string[], options: SpawnInOptions = {}): NsProcess {
  const name = options.name ?? argv.join(' ');
  const child = spawn('ip', ['netns', 'exec', ns, ...argv], {
    env: { ...process.env, ...options.env },
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const lines: JsonLine[] = [];
  const tail: string[] = [];
  const waiters = new Set<() => void>();
  const remember = (line: string): void => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    if (process.env.NETLAB_VERBOSE) process.stderr.write(`[${name}] ${line}\n`);
  };
  createInterface({ input: child.stderr! }).on('line', remember);
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      remember(text);
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return remember(text);
    lines.push(parsed as JsonLine);
    if (process.env.NETLAB_VERBOSE) process.stderr.write(`[${name}] ${text}\n`);
    for (const wake of [...waiters]) wake();
  });
  let exitCode: number | string | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? signal;
      for (const wake of [...waiters]) wake();
      resolve();
    }),
  );
  child.once('error', (error) => remember(`spawn error: ${error.message}`));

  return {
    name,
    child,
    lines,
    output: () => tail.join('\n'),
    waitFor(match, what, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const check = (): void => {
          for (; seen < lines.length; seen++) {
            if (match(lines[seen]!)) return done(() => resolve(lines[seen]!));
          }
          if (exitCode !== null) done(() => reject(new Error(`${name} exited (${exitCode}) before: ${what}\n${tail.join('\n')}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`${name}: timed out after ${timeoutMs} ms waiting for: ${what}\n${tail.join('\n')}`))), timeoutMs);
        const done = (settle: () => void): void => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

const tsxLoader = createRequire(import.meta.url).resolve('tsx');

/** A TypeScript script under tsx, node itself being the namespace's process. */
export function spawnTsxIn(ns: string, script: string, options: SpawnInOptions = {}): NsProcess {
  return spawnIn(ns, [process.execPath, '--import', tsxLoader, script, ...(options.args ?? [])], options);
}
