import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { redisSkipReason, startRedis } from '@meshmeet/rtc-core/test-utils/redis';
import { spawnServer, type SpawnedServer } from '../server/spawnServer.ts';
import { balancerSkipReason, checkShippedHaproxyConfig, startBalancer, type BalancerKind } from './balancers.ts';
import { ParticipantProcess, type ParticipantEvent } from './ParticipantProcess.ts';

// Two signaling nodes on one real redis-server behind the real balancer, configured by the file
// the README gives operators. Bots (each its own process) in one room, some through the
// balancer, one straight on the other node: video flows across nodes. The node that holds the
// balanced bots is SIGKILLed mid-call; they reconnect through the balancer, land on the other
// node and resume there: same ids, no flow stalls over 1 s, and the bot that was on the
// surviving node all along notices nothing at all.

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const MAX_GAP_MS = 1000;

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** This node's own socket.io connections (not the room's members, which every node sees). */
async function socketsOn(node: SpawnedServer): Promise<number> {
  const text = await fetch(`${node.url}/metrics`).then((r) => r.text(), () => '');
  return Number(/^meshmeet_sockets_connected (\d+)/m.exec(text)?.[1] ?? -1);
}

async function participant(url: string, name: string): Promise<ParticipantProcess> {
  const p = await ParticipantProcess.start({ url, room: 'across', name });
  cleanups.push(() => p.stop());
  return p;
}

const since = (p: ParticipantProcess, mark: number, type: string): ParticipantEvent[] => p.events.slice(mark).filter((e) => e.type === type);

async function nodeLostBehind(kind: BalancerKind): Promise<void> {
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  const shared = { REDIS_URL: redis.url, SESSION_SECRET: randomBytes(32).toString('base64url'), TRUST_PROXY: 'loopback' };
  const nodes: SpawnedServer[] = [];
  for (const id of ['node-1', 'node-2']) {
    const node = await spawnServer({ env: { ...shared, NODE_ID: id } });
    cleanups.push(() => node.stop());
    nodes.push(node);
  }
  const balancer = await startBalancer(kind, [nodes[0]!.url.replace('http://', ''), nodes[1]!.url.replace('http://', '')]);
  cleanups.push(() => balancer.stop());

  // Every test client has the address 127.0.0.1, so the balancer's stickiness puts all of them
  // on one node: the one bot that must be elsewhere connects to the other node directly.
  const balanced = [await participant(balancer.url, 'bot 1'), await participant(balancer.url, 'bot 2')];
  const counts = await Promise.all(nodes.map(socketsOn));
  const held = counts.indexOf(2);
  expect(counts.sort(), 'both balanced bots on one node').toEqual([0, 2]);
  const [doomed, survivor] = [nodes[held]!, nodes[1 - held]!];
  const direct = await participant(survivor.url, 'bot 3');
  const everyone = [...balanced, direct];
  await waitUntil(async () => {
    const reports = await Promise.all(everyone.map((p) => p.report()));
    return reports.every((r) => r.peers.length === 2 && r.peers.every((f) => f.frames > 10));
  }, 'video flows between the bots on both nodes', 30_000);

  const ids = everyone.map((p) => p.selfId);
  const marks = everyone.map((p) => p.events.length);
  for (const p of everyone) p.send('mark');
  const killedAt = Date.now();
  await doomed.kill('SIGKILL');
  const resumed = await Promise.all(
    balanced.map((p, i) => p.waitFor((e) => e.type === 'signaling' && e.state === 'connected', 20_000, 'resumed through the balancer', marks[i])),
  );
  await waitUntil(async () => (await socketsOn(survivor)) === 3, 'the surviving node holds all three', 10_000);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const reports = await Promise.all(everyone.map((p) => p.report()));
  console.log(
    `[${kind}] node SIGKILLed: its bots resumed on the other ${resumed.map((e) => e.wall - killedAt).join(', ')} ms after the kill; ` +
      `max frame gap per flow ${reports.flatMap((r) => r.peers.map((f) => f.maxGapMs)).join(', ')} ms`,
  );
  for (const [i, report] of reports.entries()) {
    expect(report.selfId).toBe(ids[i]);
    expect(report.participants.sort()).toEqual(ids.filter((id) => id !== ids[i]).sort());
    for (const flow of report.peers) expect(flow.maxGapMs, `flow ${flow.peerId} -> ${ids[i]}`).toBeLessThan(MAX_GAP_MS);
    expect(since(everyone[i]!, marks[i]!, 'participantLeft')).toEqual([]);
    expect(since(everyone[i]!, marks[i]!, 'participantJoined')).toEqual([]);
    expect(since(everyone[i]!, marks[i]!, 'selfIdChanged')).toEqual([]);
  }
  // The bot on the surviving node: not even its signaling connection moved.
  expect(since(direct, marks[2]!, 'signaling')).toEqual([]);
}

for (const kind of ['nginx', 'haproxy'] as const) {
  const skip = redisSkipReason ?? balancerSkipReason(kind);
  if (skip) console.warn(`balancers.int.test (${kind}): skipped: ${skip}`);
  describe.skipIf(skip !== null)(`two nodes on Redis behind ${kind} (deploy/${kind === 'nginx' ? 'nginx-multinode.conf' : 'haproxy.cfg'})`, () => {
    if (kind === 'haproxy') it('loads as shipped, TLS included', () => expect(checkShippedHaproxyConfig).not.toThrow());
    it('a node SIGKILLed mid-call: its bots resume on the other with their ids, no flow stalls over 1 s, the other node\'s bot notices nothing', () => nodeLostBehind(kind));
  });
}
