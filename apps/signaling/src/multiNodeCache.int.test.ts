import { afterEach, describe, expect, it } from 'vitest';
import { redisSkipReason } from '@meshmeet/rtc-core/test-utils/redis';
import type { SignalingProcess } from '@meshmeet/rtc-core/test-utils/spawn';
import type { SignalMessage } from '@meshmeet/protocol';
import { cleanUp, connect, nodes, redisServer } from './nodeProcesses.ts';
import { joinedV2, next, record, settle, waitForDisconnect, type Client } from './test-utils.ts';

// The sender node's cache of its rooms' bindings (store/redis/fastRelay.ts), with real node
// processes on a real redis-server: signals that go straight to the node the cache names, and
// what happens when the cache is wrong.

afterEach(cleanUp);

const unknown = { ok: false, error: { code: 'UNKNOWN_PEER', message: 'no such peer in your room' } };
const offer = (n: number) => ({ type: 'offer' as const, sdp: `v=${n}\r\n` });

/** Redis commands of one kind a node ran: `publish` (a signal straight from its cache, or a note), `relay` (the route script). */
async function ran(node: SignalingProcess, op: 'publish' | 'relay'): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  return Number(new RegExp(`^meshmeet_redis_command_seconds_count\\{op="${op}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
}

/** Sends `count` offers at once (no waiting between them) and returns the acks. */
function burst(from: Client, to: string, count: number, first = 0) {
  return Promise.all(Array.from({ length: count }, (_, i) => from.timeout(10_000).emitWithAck('signal', { to, description: offer(first + i) })));
}

function collect(client: Client): SignalMessage[] {
  const got: SignalMessage[] = [];
  client.on('signal', (m) => got.push(m));
  return got;
}

describe.skipIf(redisSkipReason !== null)('signals between nodes from the binding cache', () => {
  it('keeps a burst in order across the cache fill: the first goes through the route script, the rest straight', async () => {
    const [a, b] = await nodes(await redisServer());
    const bob = await connect(a);
    const alice = await connect(b);
    const bo = await joinedV2(bob, 'x', 'Bob');
    const al = await joinedV2(alice, 'x', 'Alice');
    const got = collect(alice);
    const before = await ran(a, 'publish');
    expect(await burst(bob, al.self.id, 50)).toEqual(Array(50).fill({ ok: true }));
    await expect.poll(() => got.length).toBe(50);
    expect(got).toEqual(Array.from({ length: 50 }, (_, n) => ({ from: bo.self.id, description: offer(n) })));
    expect((await ran(a, 'publish')) - before).toBeGreaterThanOrEqual(45);
  });

  it('delivers in order to a target that resumed on a third node after its binding was cached', async () => {
    const [a, b, c] = await nodes(await redisServer(), {}, ['node-a', 'node-b', 'node-c']);
    const bob = await connect(a);
    const alice = await connect(b);
    const bo = await joinedV2(bob, 'x', 'Bob');
    const al = await joinedV2(alice, 'x', 'Alice');
    const first = next(alice, 'signal');
    expect(await burst(bob, al.self.id, 2)).toEqual([{ ok: true }, { ok: true }]);
    await first;
    expect(await ran(a, 'publish')).toBeGreaterThan(0);
    expect(await ran(b, 'relay')).toBe(0);
    // Alice's connection drops and she resumes on node c: nobody is told, node a's cache still says b.
    const gone = waitForDisconnect(alice);
    alice.io.engine.close();
    await gone;
    const again = await connect(c);
    const got = collect(again);
    expect((await joinedV2(again, 'x', 'Alice', al.resume)).self.id).toBe(al.self.id);
    const seenOnOldSocket = record(alice, ['signal']);
    expect(await burst(bob, al.self.id, 40)).toEqual(Array(40).fill({ ok: true }));
    // And after the cache was corrected (by the stale note), straight to c.
    expect(await burst(bob, al.self.id, 10, 40)).toEqual(Array(10).fill({ ok: true }));
    await expect.poll(() => got.length).toBe(50);
    expect(got).toEqual(Array.from({ length: 50 }, (_, n) => ({ from: bo.self.id, description: offer(n) })));
    expect(seenOnOldSocket).toEqual([]);
    // Node b found Alice gone and passed what came its way through the route script.
    expect(await ran(b, 'relay')).toBeGreaterThan(0);
  });

  it('answers UNKNOWN_PEER for a cached target that left, as one node does, and delivers nothing to anyone', async () => {
    const [a, b] = await nodes(await redisServer());
    const bob = await connect(a);
    const alice = await connect(b);
    const carol = await connect(b);
    await joinedV2(bob, 'x', 'Bob');
    const al = await joinedV2(alice, 'x', 'Alice');
    await joinedV2(carol, 'x', 'Carol');
    expect(await burst(bob, al.self.id, 3)).toEqual(Array(3).fill({ ok: true }));
    await settle(alice);
    const seen = [record(alice, ['signal']), record(carol, ['signal'])];
    const left = next(bob, 'peer-left');
    await alice.emitWithAck('leave');
    expect(await left).toEqual({ id: al.self.id });
    expect(await bob.emitWithAck('signal', { to: al.self.id, candidate: null })).toEqual(unknown);
    // Alice joins afresh on the same socket (a new id): her old id still reaches nobody.
    expect((await joinedV2(alice, 'x', 'Alice')).self.id).not.toBe(al.self.id);
    expect(await bob.emitWithAck('signal', { to: al.self.id, candidate: null })).toEqual(unknown);
    await settle(alice);
    await settle(carol);
    expect(seen).toEqual([[], []]);
  });

  it('never hands a signal for an ended id to the socket that now holds another membership, even before the sender\'s node heard of the end', async () => {
    const [a, b] = await nodes(await redisServer());
    const bob = await connect(a);
    const alice = await connect(b);
    await joinedV2(bob, 'x', 'Bob');
    const al = await joinedV2(alice, 'x', 'Alice');
    expect(await burst(bob, al.self.id, 3)).toEqual(Array(3).fill({ ok: true }));
    await settle(alice);
    const seen = record(alice, ['signal']);
    // Leave and join again at once, then signal the old id at once: node a may still hold its binding.
    alice.emit('leave');
    await joinedV2(alice, 'x', 'Alice');
    const acks = await burst(bob, al.self.id, 10);
    for (const ack of acks) expect([{ ok: true }, unknown]).toContainEqual(ack);
    await expect.poll(() => bob.emitWithAck('signal', { to: al.self.id, candidate: null })).toEqual(unknown);
    await settle(alice);
    expect(seen).toEqual([]);
  });
});
