import { describe, expect, it } from 'vitest';
import type { SignalMessage } from '@meshmeet/protocol';
import { silentLogger } from '../../logger.ts';
import type { AppServer } from '../../server.ts';
import { fastPayload, notePayload, parseChannel, type ChannelSignal } from './channelPayload.ts';
import { FastRelay } from './fastRelay.ts';

/** Node b's FastRelay with one socket (s1) holding peer p1 of room x, a Redis that records PUBLISHes, and reroutes it releases by hand. */
function nodeB(receivers = 1) {
  const delivered: SignalMessage[] = [];
  const socket = { data: { session: { member: null as unknown } }, emit: (_event: string, m: SignalMessage) => delivered.push(m) };
  socket.data.session.member = { id: 'p1', room: 'x', conn: socket };
  const io = { sockets: { sockets: new Map([['s1', socket]]) } } as unknown as AppServer;
  const published: Array<[string, string]> = [];
  const rerouted: Array<{ signal: ChannelSignal; release(): void }> = [];
  const relay = new FastRelay({
    nodeId: 'node-b',
    prefix: 'mm:',
    io,
    log: silentLogger,
    publish: async (channel, payload) => (published.push([channel, payload]), receivers),
    reroute: (signal) => new Promise<void>((release) => rerouted.push({ signal, release })),
  });
  return { relay, socket, delivered, published, rerouted };
}

const text = (from: string, n: number) => JSON.stringify({ from, candidate: { candidate: `c${n}`, sdpMid: '0', sdpMLineIndex: 0 } });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('FastRelay, sender side', () => {
  it('sends straight to the node of a binding learned from a route reply, and asks Redis when it has none', async () => {
    const { relay, published } = nodeB();
    expect(await relay.send('x', 'node-b|s9', 'p2', '{}')).toBe(false);
    relay.learned('x', 'p2', ['SENT', 'node-c|s2']);
    expect(await relay.send('x', 'node-b|s9', 'p2', '{}')).toBe(true);
    expect(published).toEqual([['mm:sig:node-c', fastPayload('node-b|s9', 's2', 'p2', 'x', '{}')]]);
    expect(await relay.send('y', 'node-b|s9', 'p2', '{}')).toBe(false);
  });

  it('forgets a binding whose node nobody reads (the route script then holds the signal)', async () => {
    const { relay } = nodeB(0);
    relay.learned('x', 'p2', ['SENT', 'node-c|s2']);
    expect(await relay.send('x', 'node-b|s9', 'p2', '{}')).toBe(false);
    expect(relay.cache.binding('x', 'p2')).toBeUndefined();
  });

  it('after a stale note, holds relays to that target until the old node answers the fence', async () => {
    const { relay, published } = nodeB();
    relay.learned('x', 'p2', ['SENT', 'node-c|s2']);
    relay.arrived(notePayload('stale', 'node-c', 'x', 'p2'));
    expect(published).toEqual([['mm:sig:node-c', notePayload('fence', 'node-b', 'x', 'p2')]]);
    let answered = false;
    const sent = relay.send('x', 'node-b|s9', 'p2', '{}').then((straight) => ((answered = true), straight));
    await tick();
    expect(answered).toBe(false);
    relay.arrived(notePayload('fenced', 'node-c', 'x', 'p2'));
    expect(await sent).toBe(false);
    expect(published).toHaveLength(1);
  });
});

describe('FastRelay, target side', () => {
  it('delivers a signal sent straight when its own state agrees: that socket holds that member of that room', () => {
    const { relay, delivered, rerouted } = nodeB();
    relay.arrived(fastPayload('node-a|s0', 's1', 'p1', 'x', text('p0', 1)));
    expect(delivered).toEqual([JSON.parse(text('p0', 1))]);
    expect(rerouted).toEqual([]);
  });

  it('reroutes a signal whose target is not here, tells the sender\'s node, and keeps later ones for that target behind it', async () => {
    const { relay, socket, delivered, published, rerouted } = nodeB();
    const member = socket.data.session.member;
    socket.data.session.member = null; // p1 left (or moved) while node a still had its binding
    relay.arrived(fastPayload('node-a|s0', 's1', 'p1', 'x', text('p0', 1)));
    expect(rerouted.map((r) => r.signal)).toEqual([parseChannel(fastPayload('node-a|s0', 's1', 'p1', 'x', text('p0', 1)))]);
    expect(published).toEqual([['mm:sig:node-a', notePayload('stale', 'node-b', 'x', 'p1')]]);
    socket.data.session.member = member; // back on this socket before the next one arrives
    relay.arrived(fastPayload('node-a|s0', 's1', 'p1', 'x', text('p0', 2)));
    relay.arrived(notePayload('fence', 'node-a', 'x', 'p1'));
    await tick();
    expect(delivered).toEqual([]);
    expect(published).toHaveLength(1);
    rerouted[0]!.release();
    await tick();
    expect(delivered).toEqual([JSON.parse(text('p0', 2))]);
    expect(published.at(-1)).toEqual(['mm:sig:node-a', notePayload('fenced', 'node-b', 'x', 'p1')]);
  });

  it('leaves to the route script a sender it knows ended, a target in another room, a sender it knows bound elsewhere', async () => {
    const { relay, delivered, rerouted } = nodeB();
    relay.cache.ended('x', 'p0');
    relay.cache.learn('x', 'p4', 'node-c|s4');
    relay.arrived(fastPayload('node-a|s0', 's1', 'p1', 'x', text('p0', 1)));
    relay.arrived(fastPayload('node-a|s3', 's1', 'p1', 'y', text('p3', 1)));
    relay.arrived(fastPayload('node-a|s4', 's1', 'p1', 'x', text('p4', 1)));
    for (let i = 0; i < 3; i++) {
      await tick();
      rerouted[i]?.release();
    }
    expect(rerouted.map((r) => r.signal.room)).toEqual(['x', 'y', 'x']);
    expect(delivered).toEqual([]);
    // The belief about p4 goes: Redis said where it is.
    expect(relay.cache.binding('x', 'p4')).toBeUndefined();
  });
});
