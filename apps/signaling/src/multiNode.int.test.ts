import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisSkipReason, startRedis, type RedisProcess } from '@meshmeet/rtc-core/test-utils/redis';
import { join, joined, joinedV2, next, peerId, randomSecret, record, settle, startServer, waitForDisconnect, type Client, type TestServer } from './test-utils.ts';

// The room rules across nodes: two servers in this process, each with its own Redis connections
// and socket.io adapter, sharing one real redis-server (each test under its own key prefix).

if (redisSkipReason) console.warn(`multiNode.int.test: skipped: ${redisSkipReason}`);

let redis: RedisProcess;
let prefixes = 0;
const opened: TestServer[] = [];

beforeAll(async () => {
  if (!redisSkipReason) redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});

/** Two nodes of one deployment: same Redis and prefix, same session secret. */
async function nodes(count = 2, env: Record<string, string> = {}): Promise<TestServer[]> {
  const shared = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `t${++prefixes}:`, SESSION_SECRET: randomSecret(), ...env };
  const started: TestServer[] = [];
  for (let i = 0; i < count; i++) {
    const t = await startServer({ ...shared, NODE_ID: `node-${String.fromCharCode(97 + i)}` });
    opened.push(t);
    started.push(t);
  }
  // The streams adapter reads from "now" once its first XREAD is in: give it that round trip.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return started;
}

describe.skipIf(redisSkipReason !== null)('one room across nodes', () => {
  it('relays between members on different nodes, with from set by the server', async () => {
    const [a, b] = await nodes();
    const alice = await a!.connect();
    const bob = await b!.connect();
    const al = await joined(alice, 'x', 'Alice');
    const bo = await joined(bob, 'x', 'Bob');
    expect(bo.peers.map((p) => p.id)).toEqual([al.self.id]);
    const got = next(alice, 'signal');
    const candidate = { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    expect(await bob.emitWithAck('signal', { to: al.self.id, candidate })).toEqual({ ok: true });
    expect(await got).toEqual({ from: bo.self.id, candidate });
    const answer = next(bob, 'signal');
    await alice.emitWithAck('signal', { to: bo.self.id, description: { type: 'offer', sdp: 'v=0\r\n' } });
    expect(await answer).toEqual({ from: al.self.id, description: { type: 'offer', sdp: 'v=0\r\n' } });
  });

  it('refuses a target in another room or unknown, on any node, and delivers nothing', async () => {
    const [a, b] = await nodes();
    const alice = await a!.connect();
    const bob = await b!.connect();
    const carol = await a!.connect();
    await joined(alice, 'x', 'Alice');
    await joined(bob, 'x', 'Bob');
    const c = await joined(carol, 'elsewhere', 'Carol');
    const seenByCarol = record(carol, ['signal']);
    const unknown = { ok: false, error: { code: 'UNKNOWN_PEER', message: 'no such peer in your room' } };
    expect(await bob.emitWithAck('signal', { to: c.self.id, candidate: null })).toEqual(unknown);
    expect(await bob.emitWithAck('signal', { to: 'nobody-at-all', candidate: null })).toEqual(unknown);
    expect(await bob.emitWithAck('signal', { to: peerId(bob), candidate: null })).toEqual(unknown);
    expect(await bob.emitWithAck('signal', { to: 'x', candidate: null })).toEqual(unknown);
    await settle(carol);
    expect(seenByCarol).toEqual([]);
  });

  it('lists everyone in a late joiner\'s roster and tells members on every node', async () => {
    const [a, b] = await nodes();
    const alice = await a!.connect();
    const bob = await b!.connect();
    const carol = await a!.connect();
    await joined(alice, 'x', 'Alice');
    await joined(bob, 'x', 'Bob');
    await alice.emitWithAck('media', { mic: true, camera: false, screen: false });
    const toAlice = next(alice, 'peer-joined');
    const toBob = next(bob, 'peer-joined');
    const late = await joinedV2(carol, 'x', 'Carol');
    expect(late.peers.map((p) => p.name).sort()).toEqual(['Alice', 'Bob']);
    expect(late.peers.find((p) => p.name === 'Alice')?.media).toEqual({ mic: true, camera: false, screen: false });
    // Each in its own revision: the wave-1 members get no caps.
    expect(await toAlice).toEqual({ id: late.self.id, name: 'Carol', media: { mic: false, camera: false, screen: false } });
    expect(await toBob).toEqual({ id: late.self.id, name: 'Carol', media: { mic: false, camera: false, screen: false } });
    const left = next(bob, 'peer-left');
    await carol.emitWithAck('leave');
    expect(await left).toEqual({ id: late.self.id });
  });

  it('lets exactly the cap in when three times as many join at once through two nodes', async () => {
    const cap = 6;
    const [a, b] = await nodes(2, { MAX_PEERS_PER_ROOM: String(cap) });
    const clients: Client[] = [];
    for (let i = 0; i < 3 * cap; i++) clients.push(await (i % 2 === 0 ? a! : b!).connect());
    const results = await Promise.all(clients.map((client, i) => join(client, 'crowd', `p${i}`)));
    const admitted = results.filter((r) => r.ok);
    expect(admitted).toHaveLength(cap);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(Array(2 * cap).fill('ROOM_FULL'));
    // Both nodes took part, and the room holds the cap: one more is refused on either node.
    const late = await b!.connect();
    expect(await join(late, 'crowd', 'late')).toMatchObject({ ok: false, error: { code: 'ROOM_FULL' } });
    // The joins ran one after another in Redis: each admitted one saw everyone admitted before it.
    expect(admitted.map((r) => (r.ok ? r.peers.length : -1)).sort((x, y) => x - y)).toEqual([...Array(cap).keys()]);
  });

  it('resumes on another node with the same id; the room sees no leave', async () => {
    const [a, b] = await nodes();
    const alice = await a!.connect();
    const bob = await b!.connect();
    const al = await joinedV2(alice, 'x', 'Alice');
    await joinedV2(bob, 'x', 'Bob');
    const seenByBob = record(bob, ['peer-left']);
    const gone = waitForDisconnect(alice);
    alice.io.engine.close();
    await gone;
    const again = await b!.connect();
    const resumed = await joinedV2(again, 'x', 'Alice', al.resume);
    expect(resumed.self.id).toBe(al.self.id);
    expect(resumed.resumed).toBe('kept');
    expect(resumed.peers.map((p) => p.name)).toEqual(['Bob']);
    await settle(bob);
    expect(seenByBob).toEqual([]);
  });

  it('holds signals for a member away from another node and delivers them after its resume', async () => {
    const [a, b] = await nodes();
    const alice = await a!.connect();
    const bob = await b!.connect();
    const al = await joinedV2(alice, 'x', 'Alice');
    const bo = await joinedV2(bob, 'x', 'Bob');
    const gone = waitForDisconnect(alice);
    alice.io.engine.close();
    await gone;
    // Node A marks it away when it notices the drop; the sweep's count shows it on every node.
    await expect.poll(() => b!.server.store.gauges.away(), { timeout: 5_000 }).toBe(1);
    for (const n of [1, 2, 3]) await bob.emitWithAck('signal', { to: al.self.id, description: { type: 'offer', sdp: `v=${n}\r\n` } });
    const again = await b!.connect();
    const got: unknown[] = [];
    again.on('signal', (m) => got.push(m));
    await joinedV2(again, 'x', 'Alice', al.resume);
    await settle(again);
    expect(got).toEqual([1, 2, 3].map((n) => ({ from: bo.self.id, description: { type: 'offer', sdp: `v=${n}\r\n` } })));
  });

  it('takes over a live connection on another node without a ghost', async () => {
    const [a, b] = await nodes();
    const alice = await a!.connect();
    const bob = await b!.connect();
    const al = await joinedV2(alice, 'x', 'Alice');
    await joinedV2(bob, 'x', 'Bob');
    const seenByBob = record(bob, ['peer-left']);
    const closed = waitForDisconnect(alice);
    const again = await b!.connect();
    const resumed = await joinedV2(again, 'x', 'Alice', al.resume);
    expect(resumed.resumed).toBe('kept');
    expect(await closed).toBe('io server disconnect');
    const got = next(again, 'signal');
    await bob.emitWithAck('signal', { to: al.self.id, candidate: null });
    expect((await got).from).toBe(peerId(bob));
    await settle(bob);
    expect(seenByBob).toEqual([]);
  });

  it('applies the host\'s passcode, lock and remove on every node', async () => {
    const [a, b] = await nodes();
    const host = await a!.connect();
    const h = await joinedV2(host, 'x', 'Host');
    expect(await host.emitWithAck('set-passcode', { passcode: 'open sesame' })).toEqual({ ok: true });
    const guest = await b!.connect();
    expect(await join(guest, 'x', 'Guest', undefined, { v: 2 })).toMatchObject({ ok: false, error: { code: 'PASSCODE_REQUIRED' } });
    expect(await join(guest, 'x', 'Guest', undefined, { v: 2, passcode: 'wrong' })).toMatchObject({ ok: false, error: { code: 'PASSCODE_WRONG' } });
    const g = await joined(guest, 'x', 'Guest', { v: 2, passcode: 'open sesame' });
    expect(g.peers.map((p) => p.id)).toEqual([h.self.id]);
    expect(await host.emitWithAck('lock', { locked: true })).toEqual({ ok: true });
    const other = await b!.connect();
    expect(await join(other, 'x', 'Other', undefined, { v: 2, passcode: 'open sesame' })).toMatchObject({ ok: false, error: { code: 'ROOM_LOCKED' } });
    expect(await guest.emitWithAck('lock', { locked: false })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const removed = next(guest, 'removed');
    const left = next(host, 'peer-left');
    expect(await host.emitWithAck('remove', { id: g.self.id })).toEqual({ ok: true });
    await removed;
    expect(await left).toEqual({ id: g.self.id });
    // Detached on its own node: it may try again (and meets the lock).
    expect(await join(guest, 'x', 'Guest', undefined, { v: 2, passcode: 'open sesame' })).toMatchObject({ ok: false, error: { code: 'ROOM_LOCKED' } });
  });

  it('hands the host role to the longest-present member when the host leaves', async () => {
    const [a, b] = await nodes();
    const first = await a!.connect();
    const second = await b!.connect();
    const third = await a!.connect();
    await joinedV2(first, 'x', 'First');
    const s = await joinedV2(second, 'x', 'Second');
    await joinedV2(third, 'x', 'Third');
    const state = next(third, 'room-state');
    await first.emitWithAck('leave');
    expect(await state).toEqual({ hostId: s.self.id, locked: false, passcode: false });
  });
});
