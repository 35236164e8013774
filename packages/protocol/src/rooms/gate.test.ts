import { describe, expect, it } from 'vitest';
import { NO_MEDIA } from '../media.ts';
import { RoomModel, type JoinInput, type ResumeClaim } from './RoomModel.ts';

type Conn = { name: string };
const conn = (name: string): Conn => ({ name });

function model() {
  let n = 0;
  // The passcode record is the passcode itself here: the model only stores and hands it back.
  return new RoomModel<Conn, unknown, string>({ maxPeersPerRoom: 8, graceMs: 100, newId: () => `id${++n}`, verifyPasscode: (stored, given) => stored === given });
}

function input(c: Conn, extra: Partial<JoinInput<Conn>> = {}, resume: ResumeClaim = null): JoinInput<Conn> {
  return { conn: c, current: null, room: 'r', name: c.name, media: NO_MEDIA, revision: 2, caps: [], resume, credentialExpiresAt: 1_000_000, now: 1000, ...extra };
}

function joinOk(rooms: RoomModel<Conn, unknown, string>, i: JoinInput<Conn>) {
  const d = rooms.join(i);
  if (!d.ok) throw new Error(d.code);
  return d;
}

describe('RoomModel: host, passcode, lock, removal', () => {
  it('makes the first joiner host; a host token takes the role over', () => {
    const rooms = model();
    const a = joinOk(rooms, input(conn('A')));
    expect(a.hostChanged).toBe(true);
    const b = joinOk(rooms, input(conn('B')));
    expect(b.hostChanged).toBe(false);
    expect(rooms.roomState('r')).toEqual({ hostId: a.member.id, locked: false, passcode: false });
    const c = joinOk(rooms, input(conn('C'), { host: true }));
    expect(c.hostChanged).toBe(true);
    expect(rooms.isHost(c.member)).toBe(true);
    expect(rooms.isHost(a.member)).toBe(false);
    expect(rooms.roomState('nowhere')).toBeNull();
  });

  it('asks newcomers for the passcode, but not members resuming or host-token holders', () => {
    const rooms = model();
    const a = joinOk(rooms, input(conn('A')));
    const b = joinOk(rooms, input(conn('B')));
    expect(rooms.setPasscode(b.member, 'x')).toBe('FORBIDDEN');
    expect(rooms.roomState('r')?.passcode).toBe(false);
    expect(rooms.setPasscode(a.member, 'open')).toBeNull();
    expect(rooms.join(input(conn('C')))).toEqual({ ok: false, code: 'PASSCODE_REQUIRED' });
    expect(rooms.join(input(conn('C'), { passcode: 'opem' }))).toEqual({ ok: false, code: 'PASSCODE_WRONG' });
    expect(rooms.participants).toBe(2);
    joinOk(rooms, input(conn('C'), { passcode: 'open' }));
    rooms.goAway(b.member, 1000);
    expect(joinOk(rooms, input(conn('B2'), {}, { peerId: b.member.id })).resumed).toBe('kept');
    joinOk(rooms, input(conn('H'), { host: true }));
    expect(rooms.setPasscode(a.member, null)).toBe('FORBIDDEN');
  });

  it('refuses newcomers to a locked room before asking for a passcode; resumes still work', () => {
    const rooms = model();
    const a = joinOk(rooms, input(conn('A')));
    const b = joinOk(rooms, input(conn('B')));
    expect(rooms.setLocked(b.member, true)).toBe('FORBIDDEN');
    expect(rooms.setLocked(a.member, true)).toBeNull();
    rooms.setPasscode(a.member, 'p');
    expect(rooms.join(input(conn('C'), { passcode: 'p' }))).toEqual({ ok: false, code: 'ROOM_LOCKED' });
    // A refused credential is a fresh join, and a fresh join meets the lock.
    expect(rooms.join(input(conn('C'), {}, 'invalid'))).toEqual({ ok: false, code: 'ROOM_LOCKED' });
    rooms.goAway(b.member, 1000);
    expect(joinOk(rooms, input(conn('B2'), {}, { peerId: b.member.id })).resumed).toBe('kept');
    expect(rooms.roomState('r')).toEqual({ hostId: a.member.id, locked: true, passcode: true });
    expect(rooms.setLocked(a.member, false)).toBeNull();
    joinOk(rooms, input(conn('C'), { passcode: 'p' }));
  });

  it('removes a member so that its credential is refused; only the host may, and not itself', () => {
    const rooms = model();
    const a = joinOk(rooms, input(conn('A')));
    const bConn = conn('B');
    const b = joinOk(rooms, input(bConn));
    expect(rooms.remove(b.member, a.member.id, 2000)).toEqual({ ok: false, code: 'FORBIDDEN' });
    expect(rooms.remove(a.member, a.member.id, 2000)).toEqual({ ok: false, code: 'UNKNOWN_PEER' });
    expect(rooms.remove(a.member, 'nobody', 2000)).toEqual({ ok: false, code: 'UNKNOWN_PEER' });
    const removed = rooms.remove(a.member, b.member.id, 2000);
    expect(removed).toEqual({ ok: true, conn: bConn, ended: { id: b.member.id, room: 'r', droppedHeld: 0 } });
    const back = joinOk(rooms, input(conn('B'), { now: 3000 }, { peerId: b.member.id }));
    expect(back.resumed).toBe('refused');
    expect(back.member.id).not.toBe(b.member.id);
  });

  it('hands the host role to the longest-present member, preferring connected ones', () => {
    const rooms = model();
    const a = joinOk(rooms, input(conn('A')));
    const b = joinOk(rooms, input(conn('B')));
    const c = joinOk(rooms, input(conn('C')));
    rooms.goAway(b.member, 1000);
    expect(rooms.leave(a.member, 2000)).toMatchObject({ hostChanged: true });
    expect(rooms.roomState('r')?.hostId).toBe(c.member.id);
    expect(rooms.leave(c.member, 2000)).toMatchObject({ hostChanged: true });
    expect(rooms.roomState('r')?.hostId).toBe(b.member.id);
    expect(rooms.expire(b.member.id, 5000)?.hostChanged).toBeUndefined();
    expect(rooms.size).toBe(0);
    // A new room under the same name starts unlocked, with its first joiner as host.
    const d = joinOk(rooms, input(conn('D')));
    expect(rooms.roomState('r')).toEqual({ hostId: d.member.id, locked: false, passcode: false });
  });

  it('with tokens required, lets in only a join whose credential keeps or restores a membership', () => {
    const rooms = model();
    const a = joinOk(rooms, input(conn('A')));
    rooms.goAway(a.member, 1000);
    expect(rooms.join(input(conn('X'), { requireCredential: true }))).toEqual({ ok: false, code: 'UNAUTHORIZED' });
    expect(rooms.join(input(conn('X'), { requireCredential: true }, 'invalid'))).toEqual({ ok: false, code: 'UNAUTHORIZED' });
    expect(joinOk(rooms, input(conn('A2'), { requireCredential: true }, { peerId: a.member.id })).resumed).toBe('kept');
    expect(joinOk(rooms, input(conn('R'), { requireCredential: true }, { peerId: 'fromBefore' })).resumed).toBe('restored');
  });
});
