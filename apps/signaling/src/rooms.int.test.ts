import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join, joined, next, peerId, record, settle, startServer, waitForDisconnect, type TestServer } from './test-utils.ts';

let t: TestServer;
beforeEach(async () => {
  t = await startServer({ MAX_PEERS_PER_ROOM: '3' });
});
afterEach(async () => {
  await t.close();
});

describe('rooms', () => {
  it('answers a join with self, the roster of the others and the ICE servers', async () => {
    const alice = await t.connect();
    const bob = await t.connect();
    const a = await joined(alice, 'standup', 'Alice');
    // An opaque membership id (16 random bytes, base64url), not the socket id.
    expect(a.self).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), name: 'Alice' });
    expect(a.self.id).not.toBe(alice.id);
    expect(a.peers).toEqual([]);
    expect(a.iceServers).toEqual([]);

    const seenByAlice = next(alice, 'peer-joined');
    const b = await join(bob, 'standup', '  Bob  ', { mic: true, camera: false, screen: false });
    expect(b).toEqual({
      ok: true,
      self: { id: peerId(bob), name: 'Bob' },
      peers: [{ id: peerId(alice), name: 'Alice', media: { mic: false, camera: false, screen: false } }],
      iceServers: [],
    });
    expect(await seenByAlice).toEqual({ id: peerId(bob), name: 'Bob', media: { mic: true, camera: false, screen: false } });
  });

  it('tells the others when someone leaves or disconnects, and forgets them', async () => {
    const [alice, bob, carol] = await Promise.all([t.connect(), t.connect(), t.connect()]);
    await joined(alice, 'r1', 'Alice');
    await joined(bob, 'r1', 'Bob');
    await joined(carol, 'r1', 'Carol');

    const left = next(alice, 'peer-left');
    expect(await bob.emitWithAck('leave')).toEqual({ ok: true });
    expect(await left).toEqual({ id: peerId(bob) });

    const gone = next(alice, 'peer-left');
    const carolId = peerId(carol);
    carol.disconnect();
    expect(await gone).toEqual({ id: carolId });

    const dave = await t.connect();
    const d = await joined(dave, 'r1', 'Dave');
    expect(d.peers.map((p) => p.id)).toEqual([peerId(alice)]);
    expect(t.server.rooms.participants).toBe(2);
  });

  it('removes an empty room', async () => {
    const alice = await t.connect();
    await joined(alice, 'lonely', 'Alice');
    expect(t.server.rooms.size).toBe(1);
    alice.disconnect();
    await expect.poll(() => t.server.rooms.size).toBe(0);
  });

  it('refuses the participant past the cap with ROOM_FULL and the members see nothing', async () => {
    const members = await Promise.all([t.connect(), t.connect(), t.connect()]);
    for (const [i, m] of members.entries()) await joined(m, 'full', `M${i}`);
    const seen = members.map((m) => record(m));
    const late = await t.connect();
    const result = await join(late, 'full', 'Late');
    expect(result).toEqual({ ok: false, error: { code: 'ROOM_FULL', message: expect.any(String) } });
    for (const m of members) await settle(m);
    expect(seen.flat()).toEqual([]);
    expect(t.server.rooms.participants).toBe(3);
  });

  it('holds the cap when many join at once', async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, () => t.connect()));
    const results = await Promise.all(clients.map((c, i) => join(c, 'rush', `P${i}`)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok && r.error.code === 'ROOM_FULL')).toHaveLength(7);
  });

  it('keeps a socket in one room at a time', async () => {
    const alice = await t.connect();
    await joined(alice, 'one', 'Alice');
    const again = await join(alice, 'two', 'Alice');
    expect(again).toMatchObject({ ok: false, error: { code: 'ALREADY_JOINED' } });
    expect(await alice.emitWithAck('leave')).toEqual({ ok: true });
    expect((await join(alice, 'two', 'Alice')).ok).toBe(true);
    expect(await alice.emitWithAck('leave')).toEqual({ ok: true });
    expect(await alice.emitWithAck('leave')).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });

  it('broadcasts media changes to the others in the room only', async () => {
    const [alice, bob, eve] = await Promise.all([t.connect(), t.connect(), t.connect()]);
    await joined(alice, 'm', 'Alice');
    await joined(bob, 'm', 'Bob');
    await joined(eve, 'other', 'Eve');
    const seenByEve = record(eve);
    const seenByAlice = record(alice, ['media']);
    const update = next(bob, 'media');
    expect(await alice.emitWithAck('media', { mic: true, camera: true, screen: false })).toEqual({ ok: true });
    expect(await update).toEqual({ id: peerId(alice), mic: true, camera: true, screen: false });
    const carol = await t.connect();
    const c = await joined(carol, 'm', 'Carol');
    expect(c.peers.find((p) => p.id === peerId(alice))?.media).toEqual({ mic: true, camera: true, screen: false });
    await settle(eve);
    await settle(alice);
    expect(seenByEve).toEqual([]);
    expect(seenByAlice).toEqual([]);
  });

  it('answers INTERNAL when a handler fails, and keeps serving', async () => {
    const alice = await t.connect();
    const original = t.server.rooms.join.bind(t.server.rooms);
    // A stand-in for a bug deep in a handler.
    t.server.rooms.join = () => {
      throw new Error('registry broke');
    };
    expect(await join(alice, 'broken', 'Alice')).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
    t.server.rooms.join = original;
    expect((await join(alice, 'broken', 'Alice')).ok).toBe(true);
  });

  it('disconnects everyone when the server drains, and refuses new sockets', async () => {
    const alice = await t.connect();
    await joined(alice, 'bye', 'Alice');
    const gone = waitForDisconnect(alice);
    await t.server.drain();
    expect(await gone).toBe('io server disconnect');
    await expect(t.connect()).rejects.toThrow();
  });
});
