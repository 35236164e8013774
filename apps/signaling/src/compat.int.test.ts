import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ErrorPayloadSchema, IceServerSchema, PeerIdSchema, PeerSchema } from '@meshmeet/protocol';
import { emitRaw, join, joined, joinedV2, next, record, settle, startServer, type TestServer } from './test-utils.ts';

/** The wave-1 JoinResult as a strict wave-1 client has it: no field of a later revision may appear. */
const Wave1JoinResult = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    self: z.strictObject({ id: PeerIdSchema, name: z.string() }),
    peers: z.array(PeerSchema),
    iceServers: z.array(IceServerSchema),
  }),
  z.strictObject({ ok: z.literal(false), error: ErrorPayloadSchema }),
]);

let t: TestServer;
beforeEach(async () => {
  t = await startServer();
});
afterEach(async () => {
  await t.close();
});

describe('a wave-1 client beside revision-2 clients', () => {
  it('gets exactly the wave-1 answer, even when it sends a resume field, and relays both ways with a v2 client', async () => {
    const [old, modern] = [await t.connect(), await t.connect()];
    const w = await join(old, 'mixed', 'Old');
    expect(Wave1JoinResult.safeParse(w).success).toBe(true);
    const seenByOld = next(old, 'peer-joined');
    const m = await joinedV2(modern, 'mixed', 'Modern');
    expect(m.resume).toEqual(expect.any(String));
    if (!w.ok) throw new Error('join failed');
    expect(m.peers.map((p) => p.id)).toEqual([w.self.id]);
    expect(PeerSchema.safeParse(await seenByOld).success).toBe(true);

    const toModern = next(modern, 'signal');
    expect(await old.emitWithAck('signal', { to: m.self.id, candidate: null })).toEqual({ ok: true });
    expect(await toModern).toEqual({ from: w.self.id, candidate: null });
    const toOld = next(old, 'signal');
    expect(await modern.emitWithAck('signal', { to: w.self.id, description: { type: 'offer', sdp: 'v=0\r\n' } })).toEqual({ ok: true });
    expect(await toOld).toEqual({ from: m.self.id, description: { type: 'offer', sdp: 'v=0\r\n' } });

    // A resume without `v` is a wave-1 join: ignored, and answered in the wave-1 shape.
    const another = await join(await t.connect(), 'mixed', 'Old2', undefined, { resume: m.resume });
    expect(Wave1JoinResult.safeParse(another).success).toBe(true);
    expect(another.ok && another.self.id).not.toBe(m.self.id);
  });
});

describe('the video uplink budget (revision 3)', () => {
  it('reaches revision-3 clients only: a strict revision-2 answer never carries it', async () => {
    const v2 = await joined(await t.connect(), 'budget', 'Two', { v: 2 });
    expect(v2).not.toHaveProperty('videoUplinkKbps');
    expect(v2.resume).toEqual(expect.any(String));
    const v1 = await join(await t.connect(), 'budget', 'One');
    expect(Wave1JoinResult.safeParse(v1).success).toBe(true);
    const v3 = await joined(await t.connect(), 'budget', 'Three', { v: 3 });
    expect(v3.videoUplinkKbps).toBe(2500);
    // A client from the future is answered in the newest revision the server knows.
    expect((await joined(await t.connect(), 'budget', 'Nine', { v: 9 })).videoUplinkKbps).toBe(2500);
  });

  it('is left out when the server sets no budget', async () => {
    const none = await startServer({ VIDEO_UPLINK_KBPS: '0' });
    try {
      expect(await joined(await none.connect(), 'budget', 'Three', { v: 3 })).not.toHaveProperty('videoUplinkKbps');
    } finally {
      await none.close();
    }
  });
});

describe('bad revision-2 fields', () => {
  it.each([
    ['a revision of 0', { v: 0 }],
    ['a fractional revision', { v: 2.5 }],
    ['a revision as a string', { v: '2' }],
    ['an empty credential', { v: 2, resume: '' }],
    ['a credential with a space', { v: 2, resume: 'a b' }],
    ['a credential too long', { v: 2, resume: 'a'.repeat(257) }],
    ['a credential that is a number', { v: 2, resume: 5 }],
  ])('answers %s with INVALID_MESSAGE and changes nothing', async (_label, extra) => {
    const bystander = await t.connect();
    await joinedV2(bystander, 'strict', 'Bystander');
    const seen = record(bystander);
    const client = await t.connect();
    const result = await emitRaw(client, 'join', { room: 'strict', name: 'X', ...extra });
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_MESSAGE', message: expect.any(String) } });
    await settle(bystander);
    expect(seen).toEqual([]);
    expect(t.server.rooms.participants).toBe(1);
  });
});
