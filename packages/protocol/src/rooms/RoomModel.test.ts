import { describe, expect, it } from 'vitest';
import { NO_MEDIA } from '../media.ts';
import { RoomModel, type JoinInput, type ResumeClaim } from './RoomModel.ts';

type Conn = { name: string };
const conn = (name: string): Conn => ({ name });

function model(options: { max?: number; graceMs?: number; maxHeld?: number } = {}) {
  let n = 0;
  return new RoomModel<Conn>({ maxPeersPerRoom: options.max ?? 8, graceMs: options.graceMs ?? 10_000, maxHeld: options.maxHeld, newId: () => `id${++n}` });
}

function input(c: Conn, resume: ResumeClaim = null, room = 'r', now = 1000): JoinInput<Conn> {
  return { conn: c, current: null, room, name: c.name, media: NO_MEDIA, revision: 2, caps: [], resume, credentialExpiresAt: now + 86_400_000, now };
}

function joinOk(rooms: RoomModel<Conn>, i: JoinInput<Conn>) {
  const d = rooms.join(i);
  if (!d.ok) throw new Error(d.code);
  return d;
}

describe('RoomModel', () => {
  it('joins with fresh ids, lists the others, and refuses past capacity', () => {
    const rooms = model({ max: 2 });
    const a = joinOk(rooms, input(conn('A')));
    const b = joinOk(rooms, input(conn('B')));
    expect(a.resumed).toBeNull();
    expect(b.peers.map((p) => p.id)).toEqual([a.member.id]);
    expect(rooms.join(input(conn('C')))).toEqual({ ok: false, code: 'ROOM_FULL' });
    expect(rooms.join({ ...input(conn('A2')), current: a.member })).toEqual({ ok: false, code: 'ALREADY_JOINED' });
    expect(rooms.participants).toBe(2);
  });

  it('keeps an away member: same object, held signals handed over in order, everyone listed', () => {
    const rooms = model({ maxHeld: 2 });
    const a = joinOk(rooms, input(conn('A')));
    const b = joinOk(rooms, input(conn('B')));
    expect(rooms.goAway(a.member, 5000)).toBe(15_000);
    expect(rooms.away).toBe(1);
    // A newcomer does not see the away member, and it still holds its seat.
    const c = joinOk(rooms, input(conn('C')));
    expect(c.peers.map((p) => p.id)).toEqual([b.member.id]);
    const route = rooms.route(b.member, a.member.id);
    expect(route.kind).toBe('hold');
    if (route.kind !== 'hold') return;
    expect(rooms.hold(route.member, { from: b.member.id, candidate: null })).toBe(true);
    expect(rooms.hold(route.member, { from: c.member.id, candidate: null })).toBe(true);
    expect(rooms.hold(route.member, { from: c.member.id, candidate: null })).toBe(false);
    const back = conn('A again');
    const kept = joinOk(rooms, input(back, { peerId: a.member.id }));
    expect(kept.resumed).toBe('kept');
    expect(kept.member).toBe(a.member);
    expect(kept.member.conn).toBe(back);
    expect(kept.held.map((m) => m.from)).toEqual([b.member.id, c.member.id]);
    expect(kept.peers.map((p) => p.id)).toEqual([b.member.id, c.member.id]);
    expect(rooms.away).toBe(0);
    expect(rooms.route(b.member, a.member.id)).toEqual({ kind: 'deliver', conn: back });
  });

  it('takes a membership over from a connection it still holds (half-open)', () => {
    const rooms = model();
    const old = conn('A');
    const a = joinOk(rooms, input(old));
    const kept = joinOk(rooms, input(conn('A2'), { peerId: a.member.id }));
    expect(kept).toMatchObject({ resumed: 'kept', takeover: old });
    expect(rooms.participants).toBe(1);
  });

  it('restores an unknown id within capacity, lists only present members', () => {
    const rooms = model({ max: 2 });
    const b = joinOk(rooms, input(conn('B')));
    const restored = joinOk(rooms, input(conn('A'), { peerId: 'fromBefore' }));
    expect(restored).toMatchObject({ resumed: 'restored', member: { id: 'fromBefore' } });
    expect(restored.peers.map((p) => p.id)).toEqual([b.member.id]);
    expect(rooms.join(input(conn('X'), { peerId: 'another' }))).toEqual({ ok: false, code: 'ROOM_FULL' });
  });

  it('refuses invalid claims, tombstoned ids and ids of another room with a fresh id', () => {
    const rooms = model();
    expect(joinOk(rooms, input(conn('A'), 'invalid'))).toMatchObject({ resumed: 'refused', member: { id: 'id1' } });
    const b = joinOk(rooms, input(conn('B')));
    expect(rooms.leave(b.member, 2000)).toEqual({ id: b.member.id, room: 'r', droppedHeld: 0 });
    expect(joinOk(rooms, input(conn('B'), { peerId: b.member.id }))).toMatchObject({ resumed: 'refused' });
    const other = joinOk(rooms, input(conn('O'), null, 'other'));
    const cross = joinOk(rooms, input(conn('O2'), { peerId: other.member.id }, 'r'));
    expect(cross.resumed).toBe('refused');
    expect(cross.member.id).not.toBe(other.member.id);
  });

  it('expires an away member only once its grace is over, dropping what it held', () => {
    const rooms = model({ graceMs: 100 });
    const a = joinOk(rooms, input(conn('A')));
    const b = joinOk(rooms, input(conn('B')));
    rooms.goAway(a.member, 1000);
    rooms.hold(a.member, { from: b.member.id, candidate: null });
    expect(rooms.expire(a.member.id, 1099)).toBeNull();
    expect(rooms.expire(a.member.id, 1100)).toEqual({ id: a.member.id, room: 'r', droppedHeld: 1, hostChanged: true });
    expect(rooms.expire(a.member.id, 1200)).toBeNull();
    expect(rooms.away).toBe(0);
    expect(joinOk(rooms, input(conn('A'), { peerId: a.member.id })).resumed).toBe('refused');
  });

  it('ignores a stale grace timer after a resume', () => {
    const rooms = model({ graceMs: 100 });
    const a = joinOk(rooms, input(conn('A')));
    rooms.goAway(a.member, 1000);
    joinOk(rooms, input(conn('A2'), { peerId: a.member.id }));
    expect(rooms.expire(a.member.id, 5000)).toBeNull();
    expect(rooms.participants).toBe(1);
  });

  it('routes only within the room and never to oneself', () => {
    const rooms = model();
    const a = joinOk(rooms, input(conn('A')));
    const e = joinOk(rooms, input(conn('E'), null, 'elsewhere'));
    expect(rooms.route(a.member, a.member.id)).toEqual({ kind: 'refuse', code: 'UNKNOWN_PEER' });
    expect(rooms.route(a.member, e.member.id)).toEqual({ kind: 'refuse', code: 'UNKNOWN_PEER' });
    expect(rooms.route(a.member, '__proto__')).toEqual({ kind: 'refuse', code: 'UNKNOWN_PEER' });
  });

  it('forgets everything on clear, tombstones included', () => {
    const rooms = model();
    const a = joinOk(rooms, input(conn('A')));
    rooms.leave(a.member, 2000);
    joinOk(rooms, input(conn('B')));
    expect(rooms.clear()).toHaveLength(1);
    expect(rooms.size).toBe(0);
    expect(joinOk(rooms, input(conn('A'), { peerId: a.member.id })).resumed).toBe('restored');
  });
});
