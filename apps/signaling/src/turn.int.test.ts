import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { joined, peerId, startServer, type TestServer } from './test-utils.ts';

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
});
