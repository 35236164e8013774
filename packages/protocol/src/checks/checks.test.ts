import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as main from '../index.ts';
import * as checks from './index.ts';
import type { CheckResult } from './index.ts';

const L = main.LIMITS;
const x = (n: number): string => 'x'.repeat(n);

const MEDIA = { mic: true, camera: false, screen: false };
const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 10.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' };
const DESCRIPTION = { type: 'offer', sdp: 'v=0\r\n' };
const PEER = { id: 'p1', name: 'Ann', media: MEDIA };
const ICE = { urls: ['turn:127.0.0.1:3478'], username: 'u', credential: 'c' };
const ERROR = { code: 'ROOM_FULL', message: 'full' };

/** Values that stand in for any field: right and wrong types, each bound and one past it. */
const pool: unknown[] = [
  undefined, null, true, false, 0, -1, 1, 0.5, 2, 63, 64, 1000, 1001, Number.NaN, Infinity, 2 ** 53, 1_700_000_000_000,
  '', 'a', 'AbC_-09', 'a b', 'é', ' Ann ', '   ', 'a\u0000b', 'a\u202Eb', `${' '.repeat(200)}a`, 'tok.en-_1', 'a.b.c', 'a..', '.b.c', 'a.b.c.d', 'PASSCODE_WRONG', '__proto__',
  'offer', 'answer', 'pranswer', 'kept', 'restored', 'refused', 'ROOM_FULL', 'NOPE', 'stun:x',
  'chat', 'hand', 'react', 'want', 'none', 'low', 'full', 'Full', '🎉', '💩', 'data', 'Data', 'é'.repeat(2049), x(4096), x(4097), ['data'], ['Data'],
  x(64), x(65), x(256), x(257), x(512), x(513), x(1024), x(1025), x(L.sdpMaxLength + 1),
  [], ['a'], [''], ['a', 5], Array<string>(17).fill('u'), [PEER], [ICE], {}, MEDIA, CANDIDATE, DESCRIPTION, PEER, ICE, ERROR,
  { ...MEDIA, extra: 1 }, { candidate: 'c' }, { candidate: 'c', sdpMid: null, sdpMLineIndex: null, usernameFragment: null },
  { candidate: 'c', sdpMLineIndex: 64 }, { type: 'offer' }, JSON.parse('{"candidate":"c","__proto__":{"x":1}}'),
  Object.create({ candidate: 'c' }), Object.create(MEDIA),
];

type Key = string | number;
const clone = (v: unknown): unknown => (Array.isArray(v) ? v.map(clone) : v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype ? Object.fromEntries(Object.entries(v).map(([k, e]) => [k, clone(e)])) : v);

/** Every path to a value inside plain objects and arrays, the root excluded. */
function paths(v: unknown, prefix: Key[] = []): Key[][] {
  if (!v || typeof v !== 'object' || (!Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype)) return [];
  return Object.keys(v).flatMap((k) => {
    const key = Array.isArray(v) ? Number(k) : k;
    return [[...prefix, key], ...paths((v as Record<Key, unknown>)[key], [...prefix, key])];
  });
}

function edit(base: unknown, path: Key[], change: (parent: Record<Key, unknown>, key: Key) => void): unknown {
  const root = clone(base);
  let parent = root as Record<Key, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<Key, unknown>;
  change(parent, path[path.length - 1]!);
  return root;
}

/** The base, every field replaced by every pool value or deleted, unknown keys added, pairs of fields varied together. */
function* variants(base: unknown): Generator<unknown> {
  yield base;
  yield Object.create(base as object);
  const all = paths(base);
  for (const path of all) {
    for (const value of pool) yield edit(base, path, (p, k) => void (p[k] = value));
    yield edit(base, path, (p, k) => void delete p[k]);
  }
  const isObject = (path: Key[]): boolean => {
    const v = path.reduce<unknown>((o, k) => (o as Record<Key, unknown>)[k], base);
    return !!v && typeof v === 'object' && !Array.isArray(v);
  };
  for (const path of [[], ...all].filter(isObject)) {
    yield edit(base, [...path, 'extra'], (p, k) => void (p[k] = 1));
    yield edit(base, [...path, 'from'], (p, k) => void (p[k] = 'p2'));
  }
  const top = all.filter((p) => p.length === 1);
  for (const [i, a] of top.entries()) {
    for (const b of top.slice(i + 1)) {
      for (const va of pool.slice(0, 20)) for (const vb of pool.slice(40)) yield edit(edit(base, a, (p, k) => void (p[k] = va)), b, (p, k) => void (p[k] = vb));
    }
  }
}

function* inputs(bases: unknown[]): Generator<unknown> {
  yield* pool;
  for (const base of bases) yield* variants(base);
}

/** Both sides must accept the same payloads and, when they do, produce the same value. */
function agree(schema: z.ZodType, check: (v: unknown) => CheckResult<unknown>, bases: unknown[]): { total: number; accepted: number } {
  let total = 0;
  let accepted = 0;
  for (const input of inputs(bases)) {
    total++;
    const expected = schema.safeParse(input);
    const actual = check(input);
    if (actual.success !== expected.success) {
      throw new Error(`disagree on ${JSON.stringify(input)?.slice(0, 300)}: zod ${expected.success}, checks ${actual.success} ${actual.success ? '' : actual.error.message}`);
    }
    if (actual.success) {
      accepted++;
      expect(actual.data).toStrictEqual(expected.data);
    }
  }
  return { total, accepted };
}

const cases: [string, z.ZodType, (v: unknown) => CheckResult<unknown>, unknown[]][] = [
  ['JoinRequest', main.JoinRequestSchema, checks.checkJoinRequest, [{ room: 'r', name: 'Ann' }, { room: 'r', name: ' Ann ', media: MEDIA, v: 2, resume: 'a.b-c_d' }]],
  ['JoinResult', main.JoinResultSchema, checks.parseJoinResult, [
    { ok: true, self: { id: 'me', name: 'Me' }, peers: [PEER], iceServers: [ICE, { urls: 'stun:127.0.0.1' }] },
    { ok: true, self: { id: 'me', name: 'Me' }, peers: [], iceServers: [], resume: 'tok', resumeExpiresAt: 1_700_000_000_000, resumeGraceMs: 30_000, resumed: 'kept' },
    { ok: true, self: { id: 'me', name: 'Me' }, peers: [], iceServers: [], resume: 'tok', resumeGraceMs: 30_000, videoUplinkKbps: 2500 },
    { ok: false, error: ERROR },
  ]],
  ['SignalRequest', main.SignalRequestSchema, checks.checkSignalRequest, [{ to: 'b', description: DESCRIPTION }, { to: 'b', candidate: CANDIDATE }, { to: 'b', from: 'a', candidate: null }]],
  ['MediaState', main.MediaStateSchema, checks.checkMediaState, [MEDIA]],
  ['Ack', main.AckSchema, checks.parseAck, [{ ok: true }, { ok: false, error: ERROR }]],
  ['RoomId', main.RoomIdSchema, checks.checkRoomId, []],
  ['DisplayName', main.DisplayNameSchema, checks.checkDisplayName, []],
  ['peer-joined', main.serverEventSchemas['peer-joined'], (v) => checks.parseServerEvent('peer-joined', v), [PEER]],
  ['peer-left', main.serverEventSchemas['peer-left'], (v) => checks.parseServerEvent('peer-left', v), [{ id: 'p1' }]],
  ['signal', main.serverEventSchemas.signal, (v) => checks.parseServerEvent('signal', v), [{ from: 'a', description: DESCRIPTION }, { from: 'a', candidate: CANDIDATE }, { from: 'a', candidate: null }]],
  ['media', main.serverEventSchemas.media, (v) => checks.parseServerEvent('media', v), [{ ...MEDIA, id: 'p1' }]],
  ['peer-joined with caps', main.PeerSchema, (v) => checks.parseServerEvent('peer-joined', v), [{ ...PEER, caps: ['data', 'x-1'] }]],
  ['JoinRequest with caps', main.JoinRequestSchema, checks.checkJoinRequest, [{ room: 'r', name: 'Ann', v: 2, caps: ['data'] }]],
  ['JoinRequest with token and passcode', main.JoinRequestSchema, checks.checkJoinRequest, [
    { room: 'r', name: 'Ann', v: 2, token: 'eyJh.eyJi.c2ln', passcode: 'open sesame' },
    { room: 'r', name: 'Ann', token: 'a.b.', passcode: 'é🎉' },
  ]],
  ['SetPasscode', main.SetPasscodeSchema, checks.checkSetPasscode, [{ passcode: '1234' }, { passcode: null }]],
  ['Lock', main.LockSchema, checks.checkLock, [{ locked: true }, { locked: false }]],
  ['Remove', main.RemoveSchema, checks.checkRemove, [{ id: 'p1' }]],
  ['room-state', main.serverEventSchemas['room-state'], (v) => checks.parseServerEvent('room-state', v), [
    { hostId: 'p1', locked: true, passcode: false },
    { hostId: null, locked: false, passcode: true },
  ]],
  ['removed', main.serverEventSchemas.removed, (v) => checks.parseServerEvent('removed', v), [{}, { id: 'p1' }, { reason: 'host' }]],
  ['ChatText', main.ChatTextSchema, checks.checkChatText, []],
  ['LinkMessage', main.LinkMessageSchema, checks.parseLinkMessage, [
    { t: 'chat', id: 'm1', text: 'hi', sentAt: 1_700_000_000_000 },
    { t: 'chat', id: 'm2', text: ' <b>x</b> ', sentAt: 0, from: 'p1' },
    { t: 'hand', raisedAt: 5 },
    { t: 'hand', raisedAt: null },
    { t: 'react', emoji: '🎉' },
    { t: 'want', video: 'none' },
    { t: 'want', video: 'low' },
    { t: 'want', video: 'full' },
  ]],
];

describe('the zod-free checks agree with the zod schemas', () => {
  let totals = 0;
  afterAll(() => expect(totals).toBeGreaterThan(30_000));
  for (const [name, schema, check, bases] of cases) {
    it(name, () => {
      const { total, accepted } = agree(schema, check, bases);
      expect(total).toBeGreaterThan(bases.length ? 100 : pool.length - 1);
      totals += total;
      expect(accepted).toBeGreaterThan(0);
    }, 60_000);
  }
});

describe('the checks entry', () => {
  it('hands out the same values as the main entry', () => {
    expect(checks.MEDIA_SOURCES).toBe(main.MEDIA_SOURCES);
    expect(checks.NO_MEDIA).toBe(main.NO_MEDIA);
    expect(checks.TRANSCEIVER_KINDS).toBe(main.TRANSCEIVER_KINDS);
    expect(checks.LIMITS).toBe(main.LIMITS);
    expect(checks.VIDEO_WANTS).toBe(main.VIDEO_WANTS);
    expect(checks.PROTOCOL_REVISION).toBe(main.PROTOCOL_REVISION);
    expect(checks.ERROR_CODES).toEqual(main.ErrorCodeSchema.options);
    expect(checks.SERVER_EVENTS).toEqual(main.SERVER_EVENTS);
  });

  it('names the bad field, and refuses unknown events without throwing', () => {
    const bad = checks.checkJoinRequest({ room: 'r', name: '   ' });
    expect(bad.success || bad.error.message).toBe('name: name must not be empty');
    const nested = checks.parseJoinResult({ ok: true, self: { id: 'me', name: 'Me' }, peers: [{ ...PEER, id: 'a b' }], iceServers: [] });
    expect(nested.success || nested.error.issues[0]?.path).toEqual(['peers', 0, 'id']);
    const unknown = checks.parseServerEvent('nope' as 'media', {});
    expect(unknown.success).toBe(false);
  });
});
