/**
 * P4 on two nodes (issue 10): 2 x N signaling-only participants in rooms of 4 (two members of each
 * room through node-a, two through node-b, which share rooms through one redis-server), beside N
 * on a single node without Redis, in the same run. Per node: RSS (/proc) and V8 heap (/metrics)
 * per participant it holds; Redis: INFO memory's used_memory per participant; join rate. The
 * participants of each node are held by a client process of their own (p4-joiner.ts): one process
 * may not open more than 20,000 files here.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startRedis, redisSkipReason, type RedisProcess } from '@meshmeet/rtc-core/test-utils/redis';
import { spawnServer, type SpawnedServer } from '../src/server/spawnServer.ts';
import { fmt, load, printTable, processCpuSeconds, openFileLimit, processRssBytes, scrapeMetric, sleep } from './lib.ts';

export interface P4nOptions {
  /** Participants per node (the single node gets this many too). */
  perNode: number;
  concurrency: number;
  /** Runs per setup, alternating single node and two nodes. */
  repeats: number;
}

interface NodeReading {
  setup: string;
  node: string;
  joined: number;
  failed: number;
  joinsPerSecond: number;
  rssPerParticipantKB: number;
  heapPerParticipantKB: number;
  rssTotalMB: number;
  /** Nodes + redis-server, per join of the whole setup. */
  cpuMsPerJoin: number;
  redisBytesPerParticipant: number;
  /** The socket.io streams adapter's stream (capped at 5,000 entries): a fixed part of used_memory, not per participant. */
  adapterStreamKB: number;
  /** used_memory's growth without that stream: the rooms and members themselves. */
  redisRoomBytesPerParticipant: number;
}

const JOINER = fileURLToPath(new URL('./p4-joiner.ts', import.meta.url));

/** A p4-joiner.ts process: it joins one node's share of the participants when told. */
class Joiner {
  readonly #child: ChildProcess;
  readonly #lines: Array<Record<string, unknown>> = [];
  readonly #waiters = new Set<() => void>();

  constructor(config: { url: string; total: number; node: number; nodes: number; concurrency: number }) {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    this.#child = spawn(process.execPath, ['--import', tsx, JOINER, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.#child.stdout! }).on('line', (line) => {
      try {
        this.#lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        return;
      }
      for (const wake of [...this.#waiters]) wake();
    });
  }

  /** The next line of `type` from now on (or one already seen, for 'ready'). */
  next(type: string, since = this.#lines.length): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      const check = (): void => {
        const found = this.#lines.slice(since).find((l) => l.type === type);
        if (!found) return;
        this.#waiters.delete(check);
        resolve(found);
      };
      this.#waiters.add(check);
      check();
    });
  }

  send(command: 'go' | 'count' | 'close'): void {
    this.#child.stdin?.write(`${command}\n`);
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.send('close');
    await Promise.race([exited, sleep(5000)]);
    this.#child.kill('SIGKILL');
  }
}

/** MEMORY USAGE of one key through redis-cli (test-harness has no Redis client of its own). */
function keyBytes(redis: RedisProcess, key: string): number {
  try {
    return Number(execFileSync('redis-cli', ['-u', redis.url, 'memory', 'usage', key, 'samples', '0'], { encoding: 'utf8' }).trim()) || 0;
  } catch {
    return Number.NaN;
  }
}

async function run(kind: 'single' | 'two', perNode: number, concurrency: number): Promise<NodeReading[]> {
  const redis = kind === 'two' ? await startRedis() : null;
  const env: Record<string, string> = redis ? { REDIS_URL: redis.url, SESSION_SECRET: randomBytes(32).toString('base64url') } : {};
  const nodes: SpawnedServer[] = [];
  const joiners: Joiner[] = [];
  const setup = kind === 'two' ? '2 nodes' : '1 node';
  try {
    for (const id of kind === 'two' ? ['node-a', 'node-b'] : ['node']) nodes.push(await spawnServer({ env: redis ? { ...env, NODE_ID: id } : {} }));
    const total = perNode * nodes.length;
    for (const [k, n] of nodes.entries()) joiners.push(new Joiner({ url: n.url, total, node: k, nodes: nodes.length, concurrency: Math.ceil(concurrency / nodes.length) }));
    await Promise.all(joiners.map((j) => j.next('ready', 0)));
    await sleep(1000);
    const rss0 = nodes.map((n) => processRssBytes(n.pid));
    const heap0 = await Promise.all(nodes.map((n) => scrapeMetric(n.url, 'nodejs_heap_size_used_bytes')));
    const redisMem0 = redis ? await redis.usedMemoryBytes() : 0;
    const pids = [...nodes.map((n) => n.pid), ...(redis ? [redis.pid] : [])];
    const cpu0 = pids.reduce((s, pid) => s + processCpuSeconds(pid), 0);
    const t0 = performance.now();
    const done = joiners.map((j) => j.next('done'));
    for (const j of joiners) j.send('go');
    const failedOn = (await Promise.all(done)).map((d) => Number(d.failed));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = pids.reduce((s, pid) => s + processCpuSeconds(pid), 0) - cpu0;
    await sleep(2000);
    const counts = joiners.map((j) => j.next('count'));
    for (const j of joiners) j.send('count');
    const joinedOn = (await Promise.all(counts)).map((c) => Number(c.joined));
    const joined = joinedOn.reduce((a, b) => a + b, 0);
    const redisGrowth = redis ? (await redis.usedMemoryBytes()) - redisMem0 : Number.NaN;
    const streamBytes = redis ? keyBytes(redis, 'mm:socket.io') : Number.NaN;
    return await Promise.all(
      nodes.map(async (n, k) => {
        const rss = processRssBytes(n.pid);
        const heap = await scrapeMetric(n.url, 'nodejs_heap_size_used_bytes');
        return {
          setup,
          node: kind === 'two' ? ['node-a', 'node-b'][k]! : 'node',
          joined: joinedOn[k]!,
          failed: failedOn[k]!,
          joinsPerSecond: joined / seconds,
          rssPerParticipantKB: (rss - rss0[k]!) / 1024 / joinedOn[k]!,
          heapPerParticipantKB: (heap - heap0[k]!) / 1024 / joinedOn[k]!,
          rssTotalMB: rss / 1024 / 1024,
          cpuMsPerJoin: (cpu * 1000) / joined,
          redisBytesPerParticipant: redisGrowth / joined,
          adapterStreamKB: streamBytes / 1024,
          redisRoomBytesPerParticipant: (redisGrowth - streamBytes) / joined,
        };
      }),
    );
  } finally {
    await Promise.all(joiners.map((j) => j.close()));
    await Promise.all(nodes.map((n) => n.stop()));
    await redis?.stop();
  }
}

export async function p4n(options: P4nOptions): Promise<NodeReading[] | { skipped: string }> {
  if (redisSkipReason) {
    console.log(`\nP4 on two nodes: skipped, ${redisSkipReason}`);
    return { skipped: redisSkipReason };
  }
  // Each client process holds one node's participants' sockets.
  const limit = openFileLimit();
  const perNode = Math.min(options.perNode, Number.isFinite(limit) ? limit - 500 : options.perNode);
  console.log(
    `\nP4 on two nodes: ${perNode} participants per node (2 x ${perNode} through two nodes on one redis-server, streams adapter; ${perNode} on one node without Redis), rooms of 4 split 2 + 2 across the nodes, ${options.concurrency} joins in flight (open-file limit ${limit}${perNode < options.perNode ? `: raise ulimit -n for ${options.perNode} per node` : ''}); load ${load()}`,
  );
  const readings: NodeReading[] = [];
  for (let r = 0; r < options.repeats; r++) {
    for (const kind of ['single', 'two'] as const) {
      readings.push(...(await run(kind, perNode, options.concurrency)));
      await sleep(1000);
    }
  }
  const mean = (setup: string, key: keyof NodeReading): number => {
    const values = readings.filter((r) => r.setup === setup).map((r) => r[key] as number);
    return values.reduce((a, b) => a + b, 0) / values.length;
  };
  const keys = ['joined', 'failed', 'joinsPerSecond', 'rssPerParticipantKB', 'heapPerParticipantKB', 'rssTotalMB', 'cpuMsPerJoin', 'redisBytesPerParticipant', 'adapterStreamKB', 'redisRoomBytesPerParticipant'] as const;
  const averaged = ['1 node', '2 nodes'].map((setup) => ({ setup: `${setup} (mean per node)`, node: '', ...Object.fromEntries(keys.map((k) => [k, mean(setup, k)])) }) as NodeReading);
  const single = averaged[0];
  printTable(
    ['setup', 'node', 'joined', 'failed', 'joins/s (setup)', 'RSS KB/participant', 'heap KB/participant', 'RSS total MB', 'CPU ms/join (all)', 'redis B/participant', 'adapter stream KB', 'redis B/participant w/o stream', 'joins vs 1', 'RSS vs 1', 'heap vs 1', 'CPU vs 1'],
    [...readings, ...averaged].map((r) => {
      const vs = (a: number, b: number | undefined): string => (r.setup !== '2 nodes (mean per node)' || b === undefined ? '' : fmt(a / b, 2));
      return [r.setup, r.node, fmt(r.joined, 0), fmt(r.failed, 0), fmt(r.joinsPerSecond, 0), fmt(r.rssPerParticipantKB, 1), fmt(r.heapPerParticipantKB, 1), fmt(r.rssTotalMB, 0), fmt(r.cpuMsPerJoin, 2), fmt(r.redisBytesPerParticipant, 0), fmt(r.adapterStreamKB, 0), fmt(r.redisRoomBytesPerParticipant, 0), vs(r.joinsPerSecond, single?.joinsPerSecond), vs(r.rssPerParticipantKB, single?.rssPerParticipantKB), vs(r.heapPerParticipantKB, single?.heapPerParticipantKB), vs(r.cpuMsPerJoin, single?.cpuMsPerJoin)];
    }),
  );
  console.log('goal (issue 10): memory per participant on each node <= 1.2x one node. joins/s: all participants of the setup / time to join them all (one client process per node)');
  return readings;
}
