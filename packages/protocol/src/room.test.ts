import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits.ts';
import { DisplayNameSchema, JoinRequestSchema, JoinResultSchema, PeerIdSchema, RoomIdSchema } from './room.ts';

describe('RoomIdSchema', () => {
  it.each(['a', 'standup', 'Team_1-b', 'r'.repeat(LIMITS.roomMaxLength)])('accepts %s', (room) => {
    expect(RoomIdSchema.safeParse(room).success).toBe(true);
  });
  it.each(['', ' ', 'a b', 'a/b', 'a.b', 'é', 'room:x', 'r'.repeat(LIMITS.roomMaxLength + 1), 5, null])('refuses %j', (room) => {
    expect(RoomIdSchema.safeParse(room).success).toBe(false);
  });
});

describe('DisplayNameSchema', () => {
  it('trims, then requires 1-64 characters', () => {
    expect(DisplayNameSchema.parse('  Ann  ')).toBe('Ann');
    expect(DisplayNameSchema.parse(` ${'n'.repeat(LIMITS.nameMaxLength)} `)).toHaveLength(LIMITS.nameMaxLength);
    expect(DisplayNameSchema.safeParse('n'.repeat(LIMITS.nameMaxLength + 1)).success).toBe(false);
    expect(DisplayNameSchema.safeParse('   ').success).toBe(false);
    expect(DisplayNameSchema.safeParse('').success).toBe(false);
  });

  it('accepts any language and emoji', () => {
    for (const name of ['Zoë', 'Даша', '李雷', 'محمد', '🦊 Fox', 'O\u2019Brien']) {
      expect(DisplayNameSchema.parse(name)).toBe(name);
    }
  });

  it.each([
    ['a bell', 'Bob\u0007'],
    ['a newline', 'Bob\nAdmin'],
    ['a tab', 'Bob\tX'],
    ['DEL', 'Bob\u007f'],
    ['a C1 control', 'Bob\u0085'],
    ['a right-to-left override', 'Bob\u202Egnp.exe'],
    ['a right-to-left isolate', 'Bob\u2067x'],
    ['a right-to-left mark', 'Bob\u200Fx'],
  ])('refuses a name with %s', (_what, name) => {
    const result = DisplayNameSchema.safeParse(name);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/control characters/);
  });

  it('refuses huge strings before trimming them', () => {
    expect(DisplayNameSchema.safeParse(`${' '.repeat(10_000)}Ann`).success).toBe(false);
  });
});

describe('PeerIdSchema', () => {
  it('accepts socket-id-like strings and refuses anything else', () => {
    expect(PeerIdSchema.safeParse('aB3-_xYz0123456789AB').success).toBe(true);
    for (const bad of ['', 'a b', 'a:b', 'x'.repeat(LIMITS.peerIdMaxLength + 1), 7, {}]) {
      expect(PeerIdSchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe('JoinRequestSchema', () => {
  it('takes room, name and optional media', () => {
    expect(JoinRequestSchema.parse({ room: 'r', name: ' Ann ' })).toEqual({ room: 'r', name: 'Ann' });
    const media = { mic: true, camera: false, screen: false };
    expect(JoinRequestSchema.parse({ room: 'r', name: 'Ann', media })).toEqual({ room: 'r', name: 'Ann', media });
  });

  it.each([
    ['an extra field', { room: 'r', name: 'Ann', admin: true }],
    ['no name', { room: 'r' }],
    ['no room', { name: 'Ann' }],
    ['partial media', { room: 'r', name: 'Ann', media: { mic: true } }],
    ['a prototype key', JSON.parse('{"room":"r","name":"Ann","__proto__":{"admin":true}}')],
    ['an array', [{ room: 'r', name: 'Ann' }]],
  ])('refuses %s', (_what, request) => {
    expect(JoinRequestSchema.safeParse(request).success).toBe(false);
  });
});

describe('JoinResultSchema', () => {
  it('describes success and failure', () => {
    const ok = {
      ok: true,
      self: { id: 'me', name: 'Ann' },
      peers: [{ id: 'p1', name: 'Bob', media: { mic: false, camera: true, screen: false } }],
      iceServers: [{ urls: 'stun:stun.example.org' }, { urls: ['turn:t.example'], username: '1:me', credential: 'c' }],
    };
    expect(JoinResultSchema.parse(ok)).toEqual(ok);
    const failed = { ok: false, error: { code: 'ROOM_FULL', message: 'the room is full' } };
    expect(JoinResultSchema.parse(failed)).toEqual(failed);
    expect(JoinResultSchema.safeParse({ ok: false, error: { code: 'NOPE', message: '' } }).success).toBe(false);
    expect(JoinResultSchema.safeParse({ ok: true, self: { id: 'me', name: 'Ann' }, peers: [] }).success).toBe(false);
  });
});

describe('revision 2 join fields', () => {
  it('accepts a revision and a resume credential', () => {
    const parsed = JoinRequestSchema.parse({ room: 'r', name: 'Ann', v: 2, resume: 'a1.1767225600000.AbC_d-9' });
    expect(parsed.v).toBe(2);
    expect(parsed.resume).toBe('a1.1767225600000.AbC_d-9');
  });
  it.each([
    ['a fractional revision', { v: 2.5 }],
    ['revision 0', { v: 0 }],
    ['an empty credential', { resume: '' }],
    ['a credential with spaces', { resume: 'a b' }],
    ['an oversized credential', { resume: 'x'.repeat(LIMITS.resumeTokenMaxLength + 1) }],
  ])('refuses %s', (_what, extra) => {
    expect(JoinRequestSchema.safeParse({ room: 'r', name: 'Ann', ...extra }).success).toBe(false);
  });
  it('a wave-1 answer still parses, and a revision-2 answer carries the credential', () => {
    const base = { ok: true, self: { id: 'a1', name: 'Ann' }, peers: [], iceServers: [] };
    expect(JoinResultSchema.safeParse(base).success).toBe(true);
    const v2 = JoinResultSchema.parse({ ...base, resume: 'tok', resumeExpiresAt: 1, resumeGraceMs: 10_000, resumed: 'kept' });
    expect(v2.ok && v2.resumed).toBe('kept');
    expect(JoinResultSchema.safeParse({ ...base, resumed: 'maybe' }).success).toBe(false);
  });
  it('a revision-3 answer may carry a positive whole video uplink budget', () => {
    const base = { ok: true, self: { id: 'a1', name: 'Ann' }, peers: [], iceServers: [] };
    const v3 = JoinResultSchema.parse({ ...base, videoUplinkKbps: 2500 });
    expect(v3.ok && v3.videoUplinkKbps).toBe(2500);
    for (const bad of [0, -1, 2.5, '2500']) expect(JoinResultSchema.safeParse({ ...base, videoUplinkKbps: bad }).success).toBe(false);
  });
});
