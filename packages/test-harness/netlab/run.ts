// Running the lab's commands, and telling whether they can run here at all.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import type { Argv } from './plan.ts';

const execFileP = promisify(execFile);

export class NetlabCommandError extends Error {
  constructor(
    readonly argv: Argv,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(`netlab: \`${argv.join(' ')}\` failed: ${stderr.trim() || 'no output'}`, options);
    this.name = 'NetlabCommandError';
  }
}

export async function run(argv: Argv): Promise<string> {
  const [cmd, ...args] = argv;
  try {
    const { stdout } = await execFileP(cmd!, args, { encoding: 'utf8', timeout: 15_000 });
    return stdout;
  } catch (error) {
    throw new NetlabCommandError(argv, String((error as { stderr?: unknown }).stderr ?? (error as Error).message), { cause: error });
  }
}

export async function runAll(commands: readonly Argv[]): Promise<void> {
  for (const argv of commands) await run(argv);
}

/** For process-exit cleanup, where nothing asynchronous runs any more. */
export function runSync(argv: Argv): boolean {
  const [cmd, ...args] = argv;
  try {
    execFileSync(cmd!, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

async function has(argv: Argv): Promise<boolean> {
  return run(argv).then(
    () => true,
    () => false,
  );
}

let support: Promise<string | null> | null = null;

/**
 * Why the lab cannot run on this machine, or null when it can: Linux, root, `ip` and `iptables`,
 * and a namespace that can really be made (a container without CAP_SYS_ADMIN fails only there).
 */
export function netlabUnsupportedReason(): Promise<string | null> {
  support ??= (async () => {
    if (process.platform !== 'linux') return `needs Linux network namespaces (this is ${process.platform})`;
    if (process.getuid?.() !== 0) return 'needs root (ip netns, iptables)';
    if (!(await has(['ip', '-V']))) return 'no `ip` command (apt-get install iproute2)';
    if (!(await has(['iptables', '-V']))) return 'no `iptables` command (apt-get install iptables)';
    if (!(await has(['tc', '-V']))) return 'no `tc` command (apt-get install iproute2)';
    const probe = `nl-${process.pid}-probe-x`;
    try {
      await run(['ip', 'netns', 'add', probe]);
      await run(['ip', 'netns', 'exec', probe, 'iptables', '-w', '-t', 'nat', '-L', '-n']);
      return null;
    } catch (error) {
      return `cannot build a namespace with NAT here: ${(error as Error).message}`;
    } finally {
      await run(['ip', 'netns', 'del', probe]).catch(() => undefined);
    }
  })();
  return support;
}

/** Why coturn's `turnserver` cannot be used, or null. */
export async function turnserverUnsupportedReason(): Promise<string | null> {
  return (await has(['sh', '-c', 'command -v turnserver'])) ? null : 'no `turnserver` (apt-get install coturn)';
}

let netem: Promise<boolean> | null = null;

/** Whether the kernel has the netem qdisc (needed for delay only; this machine's kernel has none). */
export function netemAvailable(): Promise<boolean> {
  netem ??= (async () => {
    const probe = `nl-${process.pid}-netem-x`;
    try {
      await run(['ip', 'netns', 'add', probe]);
      return await has(['tc', '-n', probe, 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms']);
    } catch {
      return false;
    } finally {
      await run(['ip', 'netns', 'del', probe]).catch(() => undefined);
    }
  })();
  return netem;
}
