import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FlowGap } from './FrameGaps.ts';

/** A line the participant process wrote: `type` plus its fields, `at` its own ms clock, `wall` Date.now(). */
export interface ParticipantEvent {
  type: string;
  at: number;
  wall: number;
  [field: string]: unknown;
}

export interface ParticipantReport {
  selfId: string | null;
  peers: FlowGap[];
  participants: string[];
}

const ENTRY = fileURLToPath(new URL('./participantMain.ts', import.meta.url));

/**
 * The test's handle on a participant running in its own process (see participantMain.ts): its
 * events as they come, commands, and signals (SIGSTOP/SIGCONT freeze it as a closed laptop lid would).
 */
export class ParticipantProcess {
  readonly events: ParticipantEvent[] = [];
  readonly child: ChildProcess;
  readonly #waiters = new Set<() => void>();
  #stderr = '';
  #exited = false;

  private constructor(child: ChildProcess) {
    this.child = child;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let event: ParticipantEvent;
      try {
        event = JSON.parse(line) as ParticipantEvent;
      } catch {
        return; // a library's stray output
      }
      this.events.push(event);
      for (const wake of [...this.#waiters]) wake();
    });
    child.stderr?.on('data', (chunk: Buffer) => (this.#stderr = (this.#stderr + chunk.toString()).slice(-4000)));
    child.once('exit', () => {
      this.#exited = true;
      for (const wake of [...this.#waiters]) wake();
    });
  }

  static async start(config: { url: string; room: string; name: string; video?: string }, command: string[] = []): Promise<ParticipantProcess> {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const args = ['--import', tsx, ENTRY, JSON.stringify(config)];
    const [cmd, ...prefix] = command.length > 0 ? [...command, process.execPath] : [process.execPath];
    const child = spawn(cmd!, [...prefix, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const participant = new ParticipantProcess(child);
    await participant.waitFor((e) => e.type === 'joined', 30_000, 'joined');
    return participant;
  }

  get selfId(): string | null {
    const last = [...this.events].reverse().find((e) => e.type === 'joined' || e.type === 'selfIdChanged');
    return (last?.selfId as string | undefined) ?? null;
  }

  /** Resolves with the first event (already seen or still to come) that `match` accepts. */
  waitFor(match: (e: ParticipantEvent) => boolean, timeoutMs: number, what: string, since = 0): Promise<ParticipantEvent> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.events.slice(since).find(match);
        if (found) {
          done();
          resolve(found);
          return true;
        }
        if (this.#exited) {
          done();
          reject(new Error(`participant exited before ${what}${this.#stderr ? `:\n${this.#stderr}` : ''}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
      };
      const wake = (): void => void check();
      if (!check()) this.#waiters.add(wake);
    });
  }

  send(command: 'mark' | 'report' | 'stop'): void {
    this.child.stdin?.write(`${command}\n`);
  }

  async report(): Promise<ParticipantReport> {
    const since = this.events.length;
    this.send('report');
    const event = await this.waitFor((e) => e.type === 'report', 10_000, 'a report', since);
    return event as unknown as ParticipantReport;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  async stop(): Promise<void> {
    if (this.#exited) return;
    this.child.kill('SIGCONT'); // a frozen one could not stop
    this.send('stop');
    await Promise.race([new Promise((resolve) => this.child.once('exit', resolve)), new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (!this.#exited) this.child.kill('SIGKILL');
  }
}
