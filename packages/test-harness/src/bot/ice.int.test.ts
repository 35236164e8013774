import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { startSignalingProcess, waitUntil, type SignalingProcess } from '@meshmeet/rtc-core/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { Ticker } from '../media/ticker.ts';
import { Bot, type BotOptions, type MediaClocks } from './Bot.ts';

/**
 * Which ICE servers the bots use, seen from outside: the server hands out a STUN server that is a
 * UDP socket of this test on loopback, which counts the STUN Binding requests it receives. Nothing
 * beyond loopback is ever contacted.
 */

const STUN_MAGIC_COOKIE = 0x2112a442;
const isBindingRequest = (packet: Buffer) => packet.length >= 20 && packet.readUInt16BE(0) === 0x0001 && packet.readUInt32BE(4) === STUN_MAGIC_COOKIE;

describe('bots and ICE servers (real server, real wrtc)', () => {
  let server: SignalingProcess | undefined;
  let stun: UdpSocket | undefined;
  let clocks: MediaClocks | undefined;
  const bots: Bot[] = [];

  afterEach(async () => {
    await Promise.all(bots.splice(0).map((b) => b.stop()));
    clocks?.video.stop();
    clocks?.audio.stop();
    await server?.stop();
    server = undefined;
    await new Promise<void>((resolve) => (stun ? stun.close(() => resolve()) : resolve()));
    stun = undefined;
  });

  async function setUp(): Promise<{ bindings: () => number }> {
    let bindings = 0;
    stun = createSocket('udp4');
    stun.on('message', (packet) => {
      if (isBindingRequest(packet)) bindings++;
    });
    await new Promise<void>((resolve) => stun!.bind(0, '127.0.0.1', resolve));
    const port = stun.address().port;
    server = await startSignalingProcess({ ICE_SERVERS: JSON.stringify([{ urls: `stun:127.0.0.1:${port}` }]) });
    clocks = { video: new Ticker(), audio: new Ticker({ maxCatchUp: 5 }) };
    return { bindings: () => bindings };
  }

  function pair(room: string, extra: Partial<BotOptions>): [Bot, Bot] {
    const make = (name: string) => new Bot({ url: server!.url, room, name, video: { width: 160, height: 120, fps: 10 }, audio: false, clocks: clocks!, statsIntervalMs: 500, ...extra });
    const made: [Bot, Bot] = [make('ice a'), make('ice b')];
    bots.push(...made);
    return made;
  }

  const connected = (b: Bot) => b.report().peers.some((p) => p.states.some((s) => s.state === 'connected'));

  it('by default use the ICE servers of the join answer', async () => {
    const { bindings } = await setUp();
    const [a, b] = pair('ice-server', {});
    await a.start();
    await b.start();
    await waitUntil(() => bindings() > 0, 'a STUN Binding request at the server-provided STUN address', 20_000);
    // Host candidates still connect them (the STUN server never answers).
    await waitUntil(() => connected(a) && connected(b), 'both bots connected', 30_000);
  });

  it("with ice: 'none' use no ICE servers and connect over host candidates", async () => {
    const { bindings } = await setUp();
    const [a, b] = pair('ice-none', { ice: 'none' });
    await a.start();
    await b.start();
    await waitUntil(() => connected(a) && connected(b), 'both bots connected', 30_000);
    // Gathering is long over once connected; give a late request time to arrive anyway.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(bindings()).toBe(0);
  });

  it('relayOnly gathers relay candidates only: with no TURN server the link cannot connect', async () => {
    await setUp();
    const [a, b] = pair('ice-relay', { relayOnly: true });
    await a.start();
    await b.start();
    await waitUntil(() => a.report().peers.length === 1 && b.report().peers.length === 1, 'both bots see each other', 20_000);
    // The same pair without relayOnly connects in well under a second here (the test above).
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(connected(a) || connected(b)).toBe(false);
  });
});
