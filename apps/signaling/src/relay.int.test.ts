import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emitRaw, joined, next, peerId, record, settle, startServer, type Client, type TestServer } from './test-utils.ts';

const OFFER = { type: 'offer' as const, sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' };
const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };

let t: TestServer;
let alice: Client;
let bob: Client;
let carol: Client;
beforeEach(async () => {
  t = await startServer();
  [alice, bob, carol] = await Promise.all([t.connect(), t.connect(), t.connect()]);
  await joined(alice, 'team', 'Alice');
  await joined(bob, 'team', 'Bob');
  await joined(carol, 'team', 'Carol');
});
afterEach(async () => {
  await t.close();
});

describe('signal relay', () => {
  it('delivers a description to the addressed member only, from the sender', async () => {
    const seenByCarol = record(carol, ['signal']);
    const seenByAlice = record(alice, ['signal']);
    const got = next(bob, 'signal');
    expect(await alice.emitWithAck('signal', { to: peerId(bob), description: OFFER })).toEqual({ ok: true });
    expect(await got).toEqual({ from: peerId(alice), description: OFFER });
    await settle(carol);
    await settle(alice);
    expect(seenByCarol).toEqual([]);
    expect(seenByAlice).toEqual([]);
  });

  it('delivers candidates and end-of-candidates, also without an ack', async () => {
    const got: unknown[] = [];
    bob.on('signal', (m) => got.push(m));
    alice.emit('signal', { to: peerId(bob), candidate: CANDIDATE });
    alice.emit('signal', { to: peerId(bob), candidate: null });
    await expect.poll(() => got.length).toBe(2);
    expect(got).toEqual([
      { from: peerId(alice), candidate: CANDIDATE },
      { from: peerId(alice), candidate: null },
    ]);
  });

  it('replaces a spoofed from with the sender', async () => {
    const got = next(bob, 'signal');
    const result = await emitRaw(alice, 'signal', { to: peerId(bob), from: peerId(carol), candidate: CANDIDATE });
    expect(result).toEqual({ ok: true });
    // Bob sees the server's view of the sender, never the claimed one.
    expect(await got).toEqual({ from: peerId(alice), candidate: CANDIDATE });
  });

  it('refuses a target in another room and delivers nothing', async () => {
    const eve = await t.connect();
    await joined(eve, 'elsewhere', 'Eve');
    const seenByEve = record(eve);
    const result = await alice.emitWithAck('signal', { to: peerId(eve), description: OFFER });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PEER' } });
    const back = await eve.emitWithAck('signal', { to: peerId(alice), description: OFFER });
    expect(back).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PEER' } });
    await settle(eve);
    expect(seenByEve).toEqual([]);
  });

  it('relays for clients on the long-polling transport too', async () => {
    const [dan, erin] = await Promise.all([t.connect({ transports: ['polling'] }), t.connect({ transports: ['polling'] })]);
    await joined(dan, 'polling', 'Dan');
    await joined(erin, 'polling', 'Erin');
    const got = next(erin, 'signal');
    expect(await dan.emitWithAck('signal', { to: peerId(erin), description: OFFER })).toEqual({ ok: true });
    expect(await got).toEqual({ from: peerId(dan), description: OFFER });
  });

  it('refuses a signal from a socket that joined no room', async () => {
    const stranger = await t.connect();
    const seenByBob = record(bob);
    const result = await stranger.emitWithAck('signal', { to: peerId(bob), candidate: CANDIDATE });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    await settle(bob);
    expect(seenByBob).toEqual([]);
  });
});
