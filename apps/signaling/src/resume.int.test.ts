import { afterEach, describe, expect, it } from 'vitest';
import { issueCredential } from '@meshmeet/protocol/rooms';
import { hmacSigner } from './credentials.ts';
import { startTcpProxy, type TcpProxy } from './tcpProxy.ts';
import { join, joinedV2, metric, next, randomSecret, record, settle, startServer, waitForDisconnect, type Client, type TestServer } from './test-utils.ts';

const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMLineIndex: 0 };

const started: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of started.splice(0).reverse()) await s.close();
});
async function server(env: Record<string, string> = {}): Promise<TestServer> {
  const t = await startServer(env);
  started.push(t);
  return t;
}
async function proxyTo(t: TestServer): Promise<TcpProxy> {
  const proxy = await startTcpProxy(Number(new URL(t.url).port));
  started.push(proxy);
  return proxy;
}

/** A joins through a proxy (so its connection can be cut), B directly; both revision 2. */
async function pair(t: TestServer, room = 'r') {
  const proxy = await proxyTo(t);
  const alice = await t.connect({ url: proxy.url });
  const bob = await t.connect();
  const a = await joinedV2(alice, room, 'Alice');
  const b = await joinedV2(bob, room, 'Bob');
  return { proxy, alice, bob, a, b };
}

/** Cuts A's connection and waits until the server holds A as away. */
async function drop(t: TestServer, proxy: TcpProxy, client: Client): Promise<void> {
  const gone = waitForDisconnect(client);
  proxy.cut();
  await gone;
  await expect.poll(() => t.server.rooms.away).toBe(1);
}

describe('resume: kept', () => {
  it('keeps the id of a member whose connection dropped, tells nobody, and announces it on resume', async () => {
    const t = await server();
    const { proxy, alice, bob, a, b } = await pair(t);
    expect(a).toMatchObject({ resumeGraceMs: 14_000, resumeExpiresAt: expect.any(Number), resume: expect.stringMatching(/^[A-Za-z0-9_.-]{1,256}$/) });
    expect(a.resumed).toBeUndefined();
    const seenByBob = record(bob);
    await drop(t, proxy, alice);
    await settle(bob);
    expect(seenByBob).toEqual([]);

    const announced = next(bob, 'peer-joined');
    const again = await t.connect();
    const back = await joinedV2(again, 'r', 'Alice', a.resume);
    expect(back).toMatchObject({ resumed: 'kept', self: { id: a.self.id }, peers: [{ id: b.self.id }], resumeGraceMs: 14_000 });
    expect(back.resume).not.toBe(a.resume);
    expect(await announced).toMatchObject({ id: a.self.id, name: 'Alice' });
    expect(t.server.rooms.away).toBe(0);
    expect(await metric(t, 'meshmeet_resumes_total{outcome="kept"}')).toBe('1');
    // Relay works both ways with the kept id.
    const got = next(again, 'signal');
    expect(await bob.emitWithAck('signal', { to: a.self.id, candidate: CANDIDATE })).toEqual({ ok: true });
    expect(await got).toEqual({ from: b.self.id, candidate: CANDIDATE });
  });

  it('holds signals for an away member and delivers them in order right after its answer; 64 at most', async () => {
    const t = await server();
    const { proxy, alice, bob, a } = await pair(t);
    await drop(t, proxy, alice);
    for (let i = 0; i < 70; i++) {
      expect(await bob.emitWithAck('signal', { to: a.self.id, candidate: { ...CANDIDATE, sdpMid: String(i) } })).toEqual({ ok: true });
    }
    const again = await t.connect();
    const got: string[] = [];
    again.on('signal', (m) => got.push(m.candidate?.sdpMid ?? 'end'));
    let beforeAnswer = -1;
    // A callback ack (not a promise) runs as the answer is decoded, before any later packet.
    const answered = new Promise<void>((resolve) =>
      again.emit('join', { room: 'r', name: 'Alice', v: 2, resume: a.resume }, (result) => {
        beforeAnswer = got.length;
        expect(result).toMatchObject({ ok: true, resumed: 'kept' });
        resolve();
      }),
    );
    await answered;
    await expect.poll(() => got.length).toBe(64);
    expect(beforeAnswer).toBe(0);
    expect(got).toEqual(Array.from({ length: 64 }, (_, i) => String(i)));
    expect(await metric(t, 'meshmeet_held_signals_total{result="held"}')).toBe('64');
    expect(await metric(t, 'meshmeet_held_signals_total{result="dropped"}')).toBe('6');
  });

  it('does not list an away member to a newcomer; the newcomer hears of it when it resumes', async () => {
    const t = await server();
    const { proxy, alice, bob, a, b } = await pair(t);
    await drop(t, proxy, alice);
    const carol = await t.connect();
    const c = await joinedV2(carol, 'r', 'Carol');
    expect(c.peers.map((p) => p.id)).toEqual([b.self.id]);
    const [seenByBob, seenByCarol] = [next(bob, 'peer-joined'), next(carol, 'peer-joined')];
    const back = await joinedV2(await t.connect(), 'r', 'Alice', a.resume);
    expect(back.resumed).toBe('kept');
    expect(back.peers.map((p) => p.id).sort()).toEqual([b.self.id, c.self.id].sort());
    expect((await seenByBob).id).toBe(a.self.id);
    expect((await seenByCarol).id).toBe(a.self.id);
  });

  it('a resume while the old socket is still open takes over: the old one is closed, nobody sees a leave', async () => {
    const t = await server();
    const [alice, bob] = [await t.connect(), await t.connect()];
    const a = await joinedV2(alice, 'r', 'Alice');
    const b = await joinedV2(bob, 'r', 'Bob');
    const seenByBob = record(bob);
    const ghostGone = waitForDisconnect(alice);
    const again = await t.connect();
    const back = await joinedV2(again, 'r', 'Alice', a.resume);
    expect(back).toMatchObject({ resumed: 'kept', self: { id: a.self.id }, peers: [{ id: b.self.id }] });
    expect(await ghostGone).toBe('io server disconnect');
    const got = next(again, 'signal');
    await bob.emitWithAck('signal', { to: a.self.id, candidate: null });
    expect(await got).toEqual({ from: b.self.id, candidate: null });
    await settle(bob);
    expect(seenByBob.map((e) => e.event)).toEqual(['peer-joined']);
    expect(t.server.rooms.participants).toBe(2);
  });
});

describe('resume: refused', () => {
  it('after the grace period: the room saw the old id leave, held signals are dropped, the resume gets a fresh id', async () => {
    const t = await server({ RESUME_GRACE_MS: '300' });
    const { proxy, alice, bob, a, b } = await pair(t);
    const left = next(bob, 'peer-left');
    await drop(t, proxy, alice);
    expect(await bob.emitWithAck('signal', { to: a.self.id, candidate: null })).toEqual({ ok: true });
    expect(await left).toEqual({ id: a.self.id });
    expect(t.server.rooms.away).toBe(0);
    expect(await metric(t, 'meshmeet_grace_expiries_total')).toBe('1');
    expect(await metric(t, 'meshmeet_held_signals_total{result="dropped"}')).toBe('1');
    const again = await t.connect();
    const seen = record(again, ['signal']);
    const fresh = await joinedV2(again, 'r', 'Alice', a.resume);
    expect(fresh.resumed).toBe('refused');
    expect(fresh.self.id).not.toBe(a.self.id);
    expect(fresh.peers.map((p) => p.id)).toEqual([b.self.id]);
    await settle(again);
    expect(seen).toEqual([]);
    expect(await metric(t, 'meshmeet_resumes_total{outcome="refused"}')).toBe('1');
  });

  it('after a leave, and after a deliberate disconnect (peer-left at once)', async () => {
    const t = await server();
    const [alice, bob] = [await t.connect(), await t.connect()];
    const a = await joinedV2(alice, 'r', 'Alice');
    await joinedV2(bob, 'r', 'Bob');
    const left = next(bob, 'peer-left');
    await alice.emitWithAck('leave');
    expect(await left).toEqual({ id: a.self.id });
    const rejoined = await joinedV2(alice, 'r', 'Alice', a.resume);
    expect(rejoined.resumed).toBe('refused');
    expect(rejoined.self.id).not.toBe(a.self.id);

    const gone = next(bob, 'peer-left');
    alice.disconnect();
    expect(await gone).toEqual({ id: rejoined.self.id });
    expect(t.server.rooms.away).toBe(0);
    expect((await joinedV2(await t.connect(), 'r', 'Alice', rejoined.resume)).resumed).toBe('refused');
  });

  it('tampered, expired, for another room, or signed with another secret; the original membership is untouched', async () => {
    const secret = randomSecret();
    const t = await server({ SESSION_SECRET: secret });
    const alice = await t.connect();
    const a = await joinedV2(alice, 'r', 'Alice');
    const [id, expiry, mac] = a.resume!.split('.') as [string, string, string];
    const flipped = `${id}.${expiry}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
    const expired = issueCredential(hmacSigner(secret), 'r', id, Date.now() - 1);
    const bogus = [flipped, `${id}.${Number(expiry) + 1}.${mac}`, expired, 'not-a-credential'];
    for (const credential of bogus) {
      const result = await joinedV2(await t.connect(), 'r', 'Mallory', credential);
      expect(result.resumed).toBe('refused');
      expect(result.self.id).not.toBe(a.self.id);
    }
    const elsewhere = await joinedV2(await t.connect(), 'other-room', 'Alice', a.resume);
    expect(elsewhere).toMatchObject({ resumed: 'refused' });
    const other = await server();
    expect((await joinedV2(await other.connect(), 'r', 'Alice', a.resume)).resumed).toBe('refused');
    // None of it disturbed Alice.
    expect(alice.connected).toBe(true);
    expect(t.server.rooms.get(a.self.id)?.conn?.id).toBe(alice.id);
  });
});

describe('resume: restored', () => {
  it('re-creates a membership another node (same secret) issued, within the room capacity', async () => {
    const secret = randomSecret();
    const first = await server({ SESSION_SECRET: secret });
    const a = await joinedV2(await first.connect(), 'r', 'Alice');
    const b = await joinedV2(await first.connect(), 'r', 'Bob');
    const second = await server({ SESSION_SECRET: secret, MAX_PEERS_PER_ROOM: '2' });
    const carol = await second.connect();
    const c = await joinedV2(carol, 'r', 'Carol');
    const announced = next(carol, 'peer-joined');
    const restored = await joinedV2(await second.connect(), 'r', 'Alice', a.resume);
    expect(restored).toMatchObject({ resumed: 'restored', self: { id: a.self.id, name: 'Alice' }, peers: [{ id: c.self.id }] });
    expect((await announced).id).toBe(a.self.id);
    const full = await join(await second.connect(), 'r', 'Bob', undefined, { v: 2, resume: b.resume });
    expect(full).toMatchObject({ ok: false, error: { code: 'ROOM_FULL' } });
    expect(second.server.rooms.participants).toBe(2);
    expect(await metric(second, 'meshmeet_resumes_total{outcome="restored"}')).toBe('1');
  });
});

describe('drain', () => {
  it('disconnects everyone without telling anyone that someone left', async () => {
    const t = await server();
    const [alice, bob] = [await t.connect(), await t.connect()];
    await joinedV2(alice, 'r', 'Alice');
    await joinedV2(bob, 'r', 'Bob');
    const seenByBob = record(bob);
    const gone = [waitForDisconnect(alice), waitForDisconnect(bob)];
    await t.server.drain();
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
    expect(seenByBob).toEqual([]);
    expect(t.server.rooms.participants).toBe(0);
  });
});
