/**
 * P3 across nodes (issue 10): P3's candidate-sized messages in rooms of 4, but through two server
 * processes (node-a, node-b) sharing rooms through one redis-server, each room half on each node
 * and every message addressed to a roommate on the other node, so each one goes sender node ->
 * route script -> the other node's channel. The two setups differ in the socket.io adapter, which
 * carries only broadcasts (and idles). Beside it, in the same run, the single-node server without Redis. CPU
 * per relayed message counts node-a + node-b + redis-server (all the work a message costs).
 */
import { randomBytes } from 'node:crypto';
import { startRedis, redisSkipReason, type RedisProcess } from '@meshmeet/rtc-core/test-utils/redis';
import { spawnServer, type SpawnedServer } from '../src/server/spawnServer.ts';
import { fmt, load, printTable, processCpuSeconds, scrapeMetric, sleep } from './lib.ts';
import { closedLoop, measure, openLoop, type P3Phase } from './p3-relay.ts';
import { RelayClients } from './relayClients.ts';

export interface P3nOptions {
  sockets: number;
  rates: number[];
  windows: number[];
  phaseMs: number;
  /** Socket.io adapters to measure across nodes (REDIS_ADAPTER; broadcasts only): streams is the default. */
  adapters: Array<'streams' | 'pubsub'>;
}

interface Phase extends Omit<P3Phase, 'server'> {
  setup: string;
  /** redis-server's share of cpuUsPerMessage (which counts the nodes and redis-server). */
  redisUsPerMessage: number;
}

/** One way of serving the rooms: one node alone, or two nodes behind their own redis-server. */
interface Setup {
  name: string;
  nodes: SpawnedServer[];
  redis: RedisProcess | null;
}

async function twoNodes(adapter: 'streams' | 'pubsub'): Promise<Setup> {
  // A redis-server per adapter, so that one setup's streams or channels never reach the other's nodes.
  const redis = await startRedis();
  const env = { REDIS_URL: redis.url, REDIS_ADAPTER: adapter, SESSION_SECRET: randomBytes(32).toString('base64url') };
  const nodes = [await spawnServer({ env: { ...env, NODE_ID: 'node-a' } }), await spawnServer({ env: { ...env, NODE_ID: 'node-b' } })];
  return { name: `2 nodes, ${adapter}`, nodes, redis };
}

const rejectedTotal = async (setup: Setup): Promise<number> => {
  const counts = await Promise.all(setup.nodes.map((n) => scrapeMetric(n.url, 'meshmeet_rejected_messages_total')));
  return counts.reduce((a, b) => a + (Number.isNaN(b) ? 0 : b), 0);
};

export async function p3n(options: P3nOptions): Promise<Phase[] | { skipped: string }> {
  if (redisSkipReason) {
    console.log(`\nP3 across nodes: skipped, ${redisSkipReason}`);
    return { skipped: redisSkipReason };
  }
  console.log(
    `\nP3 across nodes: ${options.sockets} sockets in rooms of 4 (2 on each node, every message to a roommate on the other node; single node: to any roommate, as P3), ${options.phaseMs / 1000} s per phase, fresh sockets per phase, setups rotating per scheme; load ${load()}`,
  );
  const phases: Phase[] = [];
  const schemes = [...options.rates.map((rate) => ({ name: `open ${rate}/s`, start: (c: RelayClients) => openLoop(c, rate) })), ...options.windows.map((w) => ({ name: `closed w=${w}`, start: (c: RelayClients) => closedLoop(c, w) }))];
  // Every setup stays up for the whole run and each scheme runs on all of them back to back, so
  // a ratio compares measurements seconds apart on this noisy machine.
  const setups: Setup[] = [{ name: '1 node', nodes: [await spawnServer()], redis: null }];
  // CPU with the sockets connected and no messages (heartbeats, pings, the adapter's polling):
  // a fixed cost per second that weighs most in the per-message figure at low rates.
  const idle: Array<[string, string, string]> = [];
  try {
    for (const adapter of options.adapters) setups.push(await twoNodes(adapter));
    for (const [i, scheme] of schemes.entries()) {
      // Which setup goes first rotates, so none always meets another's after-effects.
      const order = setups.map((_, k) => setups[(k + i) % setups.length]!);
      for (const setup of order) {
        const clients = await RelayClients.create(
          setup.nodes.map((n) => n.url),
          options.sockets,
          `p3n-${setup.name.replace(/\W+/g, '')}-${i}`,
        );
        try {
          const pids = [...setup.nodes.map((n) => n.pid), ...(setup.redis ? [setup.redis.pid] : [])];
          await measure(pids, clients, 500, openLoop(clients, 500)); // warm-up, not recorded
          if (i === 0) {
            const nodes0 = setup.nodes.reduce((sum, n) => sum + processCpuSeconds(n.pid), 0);
            const redisIdle0 = setup.redis ? processCpuSeconds(setup.redis.pid) : 0;
            await sleep(3000);
            const nodesMs = ((setup.nodes.reduce((sum, n) => sum + processCpuSeconds(n.pid), 0) - nodes0) * 1000) / 3;
            idle.push([setup.name, fmt(nodesMs, 1), setup.redis ? fmt(((processCpuSeconds(setup.redis.pid) - redisIdle0) * 1000) / 3, 1) : '']);
          }
          const rejected0 = await rejectedTotal(setup);
          const redis0 = setup.redis ? processCpuSeconds(setup.redis.pid) : 0;
          const r = await measure(pids, clients, options.phaseMs, scheme.start(clients));
          const redisCpu = setup.redis ? processCpuSeconds(setup.redis.pid) - redis0 : 0;
          const rejected = (await rejectedTotal(setup)) - rejected0;
          const cutOff = clients.participants.filter((p) => !p.connected).length;
          phases.push({ setup: setup.name, scheme: scheme.name, ...r, redisUsPerMessage: r.delivered ? (redisCpu * 1e6) / r.delivered : Number.NaN, rejected, cutOff, load: load() });
        } finally {
          clients.close();
        }
        await sleep(300);
      }
    }
  } finally {
    await Promise.all(setups.flatMap((s) => s.nodes.map((n) => n.stop())));
    await Promise.all(setups.map((s) => s.redis?.stop()));
  }
  printTable(
    ['scheme', 'setup', 'sent', 'delivered/s', 'lost', 'rejected', 'cut off', 'p50 ms', 'p99 ms', 'CPU us/msg (all)', 'of it redis', 'rate vs 1 node', 'CPU vs 1 node', 'load'],
    phases.map((p) => {
      const single = phases.find((b) => b.setup === '1 node' && b.scheme === p.scheme);
      const vs = (a: number, b: number | undefined): string => (p.setup === '1 node' || b === undefined ? '' : fmt(a / b, 2));
      return [p.scheme, p.setup, p.sent, fmt(p.deliveredRate, 0), p.sent - p.delivered, p.rejected, p.cutOff, fmt(p.p50, 2), fmt(p.p99, 2), fmt(p.cpuUsPerMessage, 1), p.setup === '1 node' ? '' : fmt(p.redisUsPerMessage, 1), vs(p.deliveredRate, single?.deliveredRate), vs(p.cpuUsPerMessage, single?.cpuUsPerMessage), p.load];
    }),
  );
  printTable(['setup', `idle CPU ms/s, nodes (${options.sockets} sockets)`, 'idle CPU ms/s, redis'], idle);
  console.log('goals (issue 10): p99 <= 10 ms at 2,500 msg/s across nodes; CPU per relayed message (both nodes + redis-server) <= 2.5x one node. lost = sent but not delivered within 1 s after the phase');
  return phases;
}
