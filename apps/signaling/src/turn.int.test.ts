import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { emitRaw, join, joined, joinedV2, peerId, settle, startServer, type Client, type TestServer } from './test-utils.ts';

let t: TestServer;
afterEach(async () => {
  await t.close();
});

describe('TURN credentials', () => {
  it('adds a TURN entry whose credential is the HMAC-SHA1 of the username under the shared secret', async () => {
    const secret = 'correct horse battery staple';
    t = await startServer({
      TURN_URLS: 'turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349',
      TURN_SECRET: secret,
      TURN_TTL: '600',
      ICE_SERVERS: '[{"urls":"stun:stun.example.org:3478"}]',
    });
    const alice = await t.connect();
    const before = Math.floor(Date.now() / 1000);
    const result = await joined(alice, 'turn', 'Alice');
    const after = Math.floor(Date.now() / 1000);

    expect(result.iceServers).toHaveLength(2);
    expect(result.iceServers[0]).toEqual({ urls: 'stun:stun.example.org:3478' });
    const turn = result.iceServers[1]!;
    expect(turn.urls).toEqual(['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349']);

    const [expiry, peer] = turn.username!.split(':');
    expect(peer).toBe(peerId(alice));
    expect(Number(expiry)).toBeGreaterThanOrEqual(before + 600);
    expect(Number(expiry)).toBeLessThanOrEqual(after + 600);
    const expected = createHmac('sha1', secret).update(turn.username!).digest('base64');
    expect(turn.credential).toBe(expected);
  });

  it('gives each participant its own username', async () => {
    t = await startServer({ TURN_URLS: 'turn:turn.example.org', TURN_SECRET: 'another-secret' });
    const [a, b] = await Promise.all([t.connect(), t.connect()]);
    const ra = await joined(a, 'turn', 'A');
    const rb = await joined(b, 'turn', 'B');
    expect(ra.iceServers[0]!.username).toMatch(new RegExp(`^\\d+:${peerId(a)}$`));
    expect(rb.iceServers[0]!.username).toMatch(new RegExp(`^\\d+:${peerId(b)}$`));
  });

  it('hands out no ICE servers at all with ICE_SERVERS=[] and no TURN', async () => {
    t = await startServer({ ICE_SERVERS: '[]' });
    const a = await t.connect();
    expect((await joined(a, 'none', 'A')).iceServers).toEqual([]);
  });

  it('issues credentials only in the answer of a successful join: once per join or resume, never on request', async () => {
    t = await startServer({ TURN_URLS: 'turn:turn.example.org', TURN_SECRET: 'once-per-join', MAX_PEERS_PER_ROOM: '2' });
    // Every engine.io packet that reaches the client, acks included, with a TURN credential in it.
    const issued = (client: Client) => {
      const seen: string[] = [];
      client.io.engine.on('packet', (packet: { data?: unknown }) => {
        if (typeof packet.data === 'string' && packet.data.includes('"credential"')) seen.push(packet.data);
      });
      return seen;
    };
    const alice = await t.connect();
    const aliceGot = issued(alice);
    const first = await joinedV2(alice, 'once', 'Alice');
    expect(aliceGot).toHaveLength(1);

    // Everything else a member can send, again and again, mints nothing.
    for (let i = 0; i < 5; i++) {
      const again = await join(alice, 'once', 'Alice');
      expect(again).toMatchObject({ ok: false, error: { code: 'ALREADY_JOINED' } });
      expect(again).not.toHaveProperty('iceServers');
      for (const event of ['ice-servers', 'iceServers', 'turn', 'get-ice-servers', 'credentials']) {
        expect(await emitRaw(alice, event, { room: 'once' })).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
      }
      expect(await alice.emitWithAck('media', { mic: true, camera: i % 2 === 0, screen: false })).toEqual({ ok: true });
    }
    // Others joining, and a refused join (the room is full), hand out nothing to anyone else.
    const bob = await t.connect();
    const bobGot = issued(bob);
    await joined(bob, 'once', 'Bob');
    const carol = await t.connect();
    const carolGot = issued(carol);
    expect(await join(carol, 'once', 'Carol')).toMatchObject({ ok: false, error: { code: 'ROOM_FULL' } });
    await settle(alice);
    expect(aliceGot).toHaveLength(1);
    expect(bobGot).toHaveLength(1);
    expect(carolGot).toEqual([]);
    // No HTTP endpoint hands them out either.
    for (const path of ['/ice-servers', '/api/ice-servers', '/turn', '/credentials']) expect((await fetch(`${t.url}${path}`)).status).toBe(404);

    // A new join after a leave, and a resume, are joins: one new credential each.
    expect(await alice.emitWithAck('leave')).toEqual({ ok: true });
    const second = await joinedV2(alice, 'once', 'Alice');
    expect(aliceGot).toHaveLength(2);
    expect(second.iceServers[0]!.username).not.toBe(first.iceServers[0]!.username);
    alice.io.engine.close();
    const back = await t.connect();
    const backGot = issued(back);
    const resumed = await joinedV2(back, 'once', 'Alice', second.resume);
    expect(resumed.resumed).toBe('kept');
    expect(backGot).toHaveLength(1);
    expect(resumed.iceServers[0]!.username).toMatch(new RegExp(`^\\d+:${second.self.id}$`));
  });
});
