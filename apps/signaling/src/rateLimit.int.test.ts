import { afterEach, describe, expect, it } from 'vitest';
import type { Ack, SignalMessage } from '@meshmeet/protocol';
import { joined, peerId, sendRaw, settle, startServer, waitForDisconnect, type Client, type TestServer } from './test-utils.ts';

const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };

let t: TestServer;
afterEach(async () => {
  await t.close();
});

async function pairIn(room: string): Promise<[Client, Client]> {
  const a = await t.connect();
  const b = await t.connect();
  await joined(a, room, `${room}-a`);
  await joined(b, room, `${room}-b`);
  return [a, b];
}

describe('rate limit', () => {
  it('answers messages past the burst with RATE_LIMITED and relays none of them', async () => {
    // A slow refill so that the test does not depend on how fast this machine sends.
    t = await startServer({ RATE_LIMIT_BURST: '20', RATE_LIMIT_PER_SECOND: '1' });
    const [alice, bob] = await pairIn('limited');
    const received: SignalMessage[] = [];
    bob.on('signal', (m) => received.push(m));
    // The two joins cost one token each already.
    const acks = await Promise.all(
      Array.from({ length: 30 }, () => alice.timeout(10_000).emitWithAck('signal', { to: peerId(bob), candidate: CANDIDATE })),
    );
    const ok = acks.filter((a) => a.ok).length;
    const limited = acks.filter((a: Ack) => !a.ok && a.error.code === 'RATE_LIMITED').length;
    expect(ok + limited).toBe(30);
    expect(ok).toBeGreaterThanOrEqual(19);
    expect(limited).toBeGreaterThan(0);
    // The first ones pass, the rest are refused: the limiter does not punish early messages.
    expect(acks.slice(0, 19).every((a) => a.ok)).toBe(true);
    await settle(bob);
    expect(received).toHaveLength(ok);
    expect(alice.connected).toBe(true);
  });

  it('disconnects a socket that floods 10,000 messages while other rooms keep relaying', async () => {
    t = await startServer({ RATE_LIMIT_BURST: '200', RATE_LIMIT_PER_SECOND: '50' });
    const [flooder, victim] = await pairIn('flooded');
    const [sender, receiver] = await pairIn('calm');
    const victimGot: SignalMessage[] = [];
    victim.on('signal', (m) => victimGot.push(m));
    const receiverGot: SignalMessage[] = [];
    receiver.on('signal', (m) => receiverGot.push(m));

    const kicked = waitForDisconnect(flooder, 30_000);
    for (let i = 0; i < 10_000; i++) sendRaw(flooder, 'signal', { to: peerId(victim), candidate: CANDIDATE });

    // Meanwhile a relay in another room, each message acknowledged and delivered.
    for (let i = 0; i < 20; i++) {
      expect(await sender.timeout(20_000).emitWithAck('signal', { to: peerId(receiver), candidate: { ...CANDIDATE, sdpMid: String(i) } })).toEqual({ ok: true });
    }
    expect(await kicked).toBe('io server disconnect');
    await settle(receiver);
    expect(receiverGot.map((m) => m.candidate?.sdpMid)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    // The victim received at most the burst plus what the refill allowed, never the flood.
    await settle(victim);
    expect(victimGot.length).toBeGreaterThan(0);
    expect(victimGot.length).toBeLessThan(2_000);
    // The flooder left its room like any disconnect.
    expect(t.server.rooms.participants).toBe(3);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/^meshmeet_flooding_disconnects_total 1$/m);
    expect(metrics).toMatch(/^meshmeet_rejected_messages_total\{reason="RATE_LIMITED"\} [1-9]\d*$/m);
  });

  it('lets a realistic ICE trickle burst through with the default limits', async () => {
    t = await startServer();
    const [alice, bob] = await pairIn('trickle');
    const got: SignalMessage[] = [];
    bob.on('signal', (m) => got.push(m));
    // A newcomer to a full room of 8 offers to 7 peers, each with ~40 candidates and an end mark.
    const sends: Promise<Ack>[] = [];
    for (let peer = 0; peer < 7; peer++) {
      sends.push(alice.timeout(10_000).emitWithAck('signal', { to: peerId(bob), description: { type: 'offer', sdp: 'v=0\r\n' } }));
      for (let c = 0; c < 40; c++) sends.push(alice.timeout(10_000).emitWithAck('signal', { to: peerId(bob), candidate: CANDIDATE }));
      sends.push(alice.timeout(10_000).emitWithAck('signal', { to: peerId(bob), candidate: null }));
    }
    const acks = await Promise.all(sends);
    expect(acks.filter((a) => !a.ok)).toEqual([]);
    await settle(bob);
    expect(got).toHaveLength(sends.length);
  });
});
