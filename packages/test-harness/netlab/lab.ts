// A built NAT lab: its namespaces, the changes a test makes to it, the processes it runs in them,
// and a teardown that leaves nothing behind (also after a failed test or a crashed run).
import { randomBytes } from 'node:crypto';
import {
  clearImpairCommands,
  impairCommands,
  impairCounterCommands,
  killTcpCommands,
  linkCommands,
  makePrefix,
  parseImpairCounters,
  planLab,
  PREFIX_PATTERN,
  udpBlockCommands,
  type Argv,
  type HomePlan,
  type ImpairCounters,
  type Impairment,
  type LabPlan,
  type LabSpec,
  type LinkName,
} from './plan.ts';
import { spawnIn, spawnTsxIn, type NsProcess, type SpawnInOptions } from './proc.ts';
import { netemAvailable, run, runAll, runSync } from './run.ts';

/** Labs not yet destroyed, torn down synchronously if the process exits first. */
const live = new Set<Lab>();
let exitHookInstalled = false;

export class Lab {
  readonly #processes = new Set<NsProcess>();
  #destroyed = false;

  private constructor(readonly plan: LabPlan) {}

  /** Sweeps stale labs, then builds this one; a build that fails half-way is removed again. */
  static async create(spec: LabSpec): Promise<Lab> {
    await sweepStaleLabs();
    const lab = new Lab(planLab(spec, makePrefix(process.pid, randomBytes(3).toString('hex'))));
    live.add(lab);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', () => {
        for (const l of live) l.destroySync();
      });
    }
    try {
      await runAll(lab.plan.setup);
    } catch (error) {
      await lab.destroy().catch(() => undefined);
      throw error;
    }
    return lab;
  }

  get publicNs(): string {
    return this.plan.publicNs;
  }

  get publicAddress(): string {
    return this.plan.publicAddress;
  }

  home(name: string): HomePlan {
    const home = this.plan.homes.find((h) => h.name === name);
    if (!home) throw new RangeError(`no home "${name}" in this lab`);
    return home;
  }

  /** Cuts a home's link ('wan': its internet uplink, the default; 'lan': between router and host). */
  async linkDown(home: string, link: LinkName = 'wan'): Promise<void> {
    await runAll(linkCommands(this.home(home), this.publicNs, link, 'down'));
  }

  async linkUp(home: string, link: LinkName = 'wan'): Promise<void> {
    await runAll(linkCommands(this.home(home), this.publicNs, link, 'up'));
  }

  /** Drops every UDP packet the home's router forwards (media), while TCP (signaling) passes. */
  async setUdpBlocked(home: string, blocked: boolean): Promise<void> {
    await runAll(udpBlockCommands(this.home(home), blocked));
  }

  /** Kills the home host's established TCP connections (its signaling socket among them). */
  async killTcp(home: string): Promise<void> {
    await runAll(killTcpCommands(this.home(home)));
  }

  /** Replaces a link's delay / loss / rate, in both directions. Delay needs netem in the kernel. */
  async impair(home: string, link: LinkName, impairment: Impairment): Promise<void> {
    if ((impairment.delayMs ?? 0) > 0 && !(await netemAvailable())) {
      throw new Error('netlab: delay needs the netem qdisc, which this kernel does not have (loss and rate work without it)');
    }
    await runAll(impairCommands(this.home(home), this.publicNs, link, impairment));
  }

  /** What a link's impairment has done so far: packets dropped by the loss rule and by the qdiscs' queues. */
  async impairmentCounters(home: string, link: LinkName): Promise<ImpairCounters> {
    const [loss, ...qdiscs] = await Promise.all(impairCounterCommands(this.home(home), this.publicNs, link).map((argv) => run(argv)));
    return parseImpairCounters(loss ?? '', qdiscs);
  }

  async clearImpairment(home: string, link: LinkName): Promise<void> {
    await runAll(clearImpairCommands(this.home(home), this.publicNs, link));
  }

  /** Runs a command inside one of the lab's namespaces and returns its stdout. */
  async exec(ns: string, argv: Argv): Promise<string> {
    this.#own(ns);
    return run(['ip', 'netns', 'exec', ns, ...argv]);
  }

  /** Starts a process in a namespace; destroy() stops it. */
  spawn(ns: string, argv: readonly string[], options?: SpawnInOptions): NsProcess {
    this.#own(ns);
    return this.#track(spawnIn(ns, argv, options));
  }

  /** Starts a TypeScript script under tsx in a namespace; destroy() stops it. */
  spawnTsx(ns: string, script: string, options?: SpawnInOptions): NsProcess {
    this.#own(ns);
    return this.#track(spawnTsxIn(ns, script, options));
  }

  /**
   * Stops the lab's processes, kills whatever else still runs in its namespaces (a namespace
   * with a process left lives on after `ip netns del`), deletes them, and checks that none remain.
   */
  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    live.delete(this);
    await Promise.all([...this.#processes].map((p) => p.stop(3000)));
    const errors: string[] = [];
    for (const ns of [...this.plan.namespaces].reverse()) {
      try {
        await killAllIn(ns);
        await run(['ip', 'netns', 'del', ns]);
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    const left = (await listNamespaces()).filter((ns) => ns.startsWith(`${this.plan.prefix}-`));
    if (left.length > 0) throw new Error(`netlab: namespaces left behind: ${left.join(', ')}\n${errors.join('\n')}`);
  }

  /** The exit-time fallback: no awaiting possible, so kill and delete synchronously. */
  destroySync(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    live.delete(this);
    for (const p of this.#processes) p.child.kill('SIGKILL');
    for (const ns of [...this.plan.namespaces].reverse()) {
      runSync(['sh', '-c', `ip netns pids ${ns} | xargs -r kill -9`]);
      runSync(['ip', 'netns', 'del', ns]);
    }
  }

  #own(ns: string): void {
    if (this.#destroyed) throw new Error('netlab: this lab has been destroyed');
    if (!this.plan.namespaces.includes(ns)) throw new RangeError(`"${ns}" is not a namespace of this lab`);
  }

  #track(p: NsProcess): NsProcess {
    this.#processes.add(p);
    p.child.once('exit', () => this.#processes.delete(p));
    return p;
  }
}

/** Builds a lab, runs `body` with it, and destroys it whatever happens. */
export async function withLab<T>(spec: LabSpec, body: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = await Lab.create(spec);
  try {
    return await body(lab);
  } finally {
    await lab.destroy();
  }
}

export async function listNamespaces(): Promise<string[]> {
  const out = await run(['ip', 'netns', 'list']);
  return out
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.length > 0);
}

async function killAllIn(ns: string): Promise<void> {
  const pids = (await run(['ip', 'netns', 'pids', ns]).catch(() => '')).split('\n').filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes the namespaces of labs whose process is gone (a crashed or killed run). A live run's
 * lab is never touched: the pid in the name tells them apart. Returns what was removed.
 */
export async function sweepStaleLabs(): Promise<string[]> {
  const stale = (await listNamespaces()).filter((ns) => {
    const match = PREFIX_PATTERN.exec(ns);
    return match !== null && !alive(Number(match[1]));
  });
  for (const ns of stale) {
    await killAllIn(ns);
    await run(['ip', 'netns', 'del', ns]).catch(() => undefined);
  }
  return stale;
}
