import { describe, expect, it } from 'vitest';
import type { JoinSuccess } from '@meshmeet/protocol';
import type { SignalingState } from '../src/index.ts';
import type { SignalingEvents } from '../src/SignalingChannel.ts';
import { MemorySignalingServer, type MemorySignalingChannel } from './memorySignaling.ts';

function recorder(channel: MemorySignalingChannel) {
  const seen: { event: keyof SignalingEvents; payload: unknown }[] = [];
  for (const event of ['peer-joined', 'peer-left', 'signal', 'media', 'state'] as const) {
    channel.on(event, ((payload: unknown) => seen.push({ event, payload })) as never);
  }
  return seen;
}
const tick = () => new Promise((resolve) => setImmediate(resolve));
async function joinedV2(channel: MemorySignalingChannel, name: string, resume?: string): Promise<JoinSuccess> {
  const result = await channel.join({ room: 'r', name, v: 2, ...(resume ? { resume } : {}) });
  if (!result.ok) throw new Error(result.error.code);
  return result;
}

describe('MemorySignalingServer', () => {
  it('answers wave-1 joins in the wave-1 shape', async () => {
    const server = new MemorySignalingServer();
    const result = await server.connect().join({ room: 'r', name: 'A' });
    expect(result).toEqual({ ok: true, self: { id: 'p0001', name: 'A' }, peers: [], iceServers: [] });
  });

  it('keeps a dropped member for the grace period, holds signals for it, and announces it on resume', async () => {
    const server = new MemorySignalingServer();
    const [a, b] = [server.connect(), server.connect()];
    const ra = await joinedV2(a, 'A');
    const rb = await joinedV2(b, 'B');
    const seenByA = recorder(a);
    const seenByB = recorder(b);
    a.disconnectTransport();
    b.signal({ to: ra.self.id, candidate: null });
    await tick();
    expect(seenByB).toEqual([]);
    a.reconnectTransport();
    const back = await joinedV2(a, 'A', ra.resume);
    expect(back).toMatchObject({ resumed: 'kept', self: { id: ra.self.id }, peers: [{ id: rb.self.id }], resumeGraceMs: 10_000 });
    await tick();
    await tick();
    expect(seenByA).toEqual([
      { event: 'state', payload: 'reconnecting' },
      { event: 'state', payload: 'connected' },
      { event: 'signal', payload: { from: rb.self.id, candidate: null } },
    ]);
    expect(seenByB.map((e) => e.event)).toEqual(['peer-joined']);
    expect(server.relayed.candidates).toBe(1);
  });

  it('ends a member whose grace ran out: peer-left, then its credential is refused', async () => {
    const server = new MemorySignalingServer({ graceMs: 20 });
    const [a, b] = [server.connect(), server.connect()];
    const ra = await joinedV2(a, 'A');
    await joinedV2(b, 'B');
    const left = new Promise((resolve) => b.on('peer-left', resolve));
    a.disconnectTransport();
    expect(await left).toEqual({ id: ra.self.id });
    a.reconnectTransport();
    const again = await joinedV2(a, 'A', ra.resume);
    expect(again.resumed).toBe('refused');
    expect(again.self.id).not.toBe(ra.self.id);
  });

  it('counts an away member towards capacity', async () => {
    const server = new MemorySignalingServer({ maxPeersPerRoom: 2 });
    const [a, b, c] = [server.connect(), server.connect(), server.connect()];
    await joinedV2(a, 'A');
    await joinedV2(b, 'B');
    b.disconnectTransport();
    expect(await c.join({ room: 'r', name: 'C' })).toMatchObject({ ok: false, error: { code: 'ROOM_FULL' } });
  });

  it('restart() forgets the rooms, drops and reconnects every channel, and restores members by credential', async () => {
    const server = new MemorySignalingServer();
    const [a, b] = [server.connect(), server.connect()];
    const ra = await joinedV2(a, 'A');
    const rb = await joinedV2(b, 'B');
    const states: SignalingState[] = [];
    a.on('state', (s) => states.push(s));
    server.restart();
    await tick();
    expect(states).toEqual(['reconnecting', 'connected']);
    expect(await joinedV2(a, 'A', ra.resume)).toMatchObject({ resumed: 'restored', self: { id: ra.self.id }, peers: [] });
    expect(await joinedV2(b, 'B', rb.resume)).toMatchObject({ resumed: 'restored', peers: [{ id: ra.self.id }] });
    // New members never reuse an id from before the restart.
    expect((await joinedV2(server.connect(), 'C')).self.id).toBe('p0003');
  });

  it('close() is a leave: the others hear of it at once', async () => {
    const server = new MemorySignalingServer();
    const [a, b] = [server.connect(), server.connect()];
    const ra = await joinedV2(a, 'A');
    await joinedV2(b, 'B');
    const left = new Promise((resolve) => b.on('peer-left', resolve));
    a.close();
    expect(await left).toEqual({ id: ra.self.id });
  });
});
