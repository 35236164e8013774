import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitRaw, join, joined, joinedV2, metric, next, record, settle, startServer, waitForDisconnect, type Client, type TestServer } from './test-utils.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startServer({ RESUME_GRACE_MS: '300' });
});
afterAll(async () => {
  await t.close();
});

let rooms = 0;
/** A fresh room with a host and one more member, both revision 2. */
async function room(): Promise<{ name: string; host: Client; hostId: string; guest: Client; guestId: string; guestResume: string }> {
  const name = `host-${++rooms}`;
  const host = await t.connect();
  const state = next(host, 'room-state');
  const h = await joinedV2(host, name, 'Host');
  expect(await state).toEqual({ hostId: h.self.id, locked: false, passcode: false });
  const guest = await t.connect();
  const guestState = next(guest, 'room-state');
  const g = await joinedV2(guest, name, 'Guest');
  expect(await guestState).toEqual({ hostId: h.self.id, locked: false, passcode: false });
  return { name, host, hostId: h.self.id, guest, guestId: g.self.id, guestResume: g.resume! };
}

async function until(holds: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !holds(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(holds()).toBe(true);
}

describe('the host', () => {
  it('sets a passcode: newcomers need it (required, wrong, right), members stay; clearing it opens the door', async () => {
    const r = await room();
    const seen = record(r.guest, ['peer-left', 'room-state']);
    expect(await emitRaw(r.host, 'set-passcode', { passcode: 'sesame 42' })).toEqual({ ok: true });
    const c = await t.connect();
    expect(await join(c, r.name, 'C', undefined, { v: 2 })).toMatchObject({ ok: false, error: { code: 'PASSCODE_REQUIRED' } });
    expect(await join(c, r.name, 'C', undefined, { v: 2, passcode: 'sesame 43' })).toMatchObject({ ok: false, error: { code: 'PASSCODE_WRONG' } });
    expect(t.server.rooms.count(r.name)).toBe(2);
    const state = next(c, 'room-state');
    await joined(c, r.name, 'C', { v: 2, passcode: 'sesame 42' });
    expect(await state).toEqual({ hostId: r.hostId, locked: false, passcode: true });
    await settle(r.guest);
    expect(seen).toEqual([{ event: 'room-state', payload: { hostId: r.hostId, locked: false, passcode: true } }]);
    expect(await emitRaw(r.host, 'set-passcode', { passcode: null })).toEqual({ ok: true });
    await joinedV2(await t.connect(), r.name, 'D');
  });

  it('rate-limits passcode guesses per socket', async () => {
    const r = await room();
    await emitRaw(r.host, 'set-passcode', { passcode: 'right' });
    const c = await t.connect();
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) {
      const result = await join(c, r.name, 'C', undefined, { passcode: `wrong${i}` });
      codes.push(result.ok ? 'ok' : result.error.code);
    }
    expect(codes).toEqual([...Array<string>(5).fill('PASSCODE_WRONG'), 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('locks the room: newcomers get ROOM_LOCKED, a member that dropped still resumes; unlock opens it', async () => {
    const r = await room();
    expect(await emitRaw(r.host, 'lock', { locked: true })).toEqual({ ok: true });
    const c = await t.connect();
    expect(await join(c, r.name, 'C')).toMatchObject({ ok: false, error: { code: 'ROOM_LOCKED' } });
    r.guest.io.engine.close();
    await until(() => t.server.rooms.away === 1);
    const back = await t.connect();
    expect(await joinedV2(back, r.name, 'Guest', r.guestResume)).toMatchObject({ resumed: 'kept', self: { id: r.guestId } });
    expect(await emitRaw(r.host, 'lock', { locked: false })).toEqual({ ok: true });
    await joined(c, r.name, 'C');
  });

  it('removes a participant: it is told, the room sees it leave, its credential no longer resumes', async () => {
    const r = await room();
    const left = next(r.host, 'peer-left');
    const removed = next(r.guest, 'removed');
    expect(await emitRaw(r.host, 'remove', { id: r.guestId })).toEqual({ ok: true });
    expect(await removed).toEqual({});
    expect(await left).toEqual({ id: r.guestId });
    expect(t.server.rooms.count(r.name)).toBe(1);
    // The socket is still connected but no longer in the room.
    expect(await emitRaw(r.guest, 'media', { mic: true, camera: false, screen: false })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    const again = await joinedV2(r.guest, r.name, 'Guest', r.guestResume);
    expect(again.resumed).toBe('refused');
    expect(again.self.id).not.toBe(r.guestId);
    // Once the host locks, not even a fresh join gets back in.
    const other = await t.connect();
    const o = await joinedV2(other, r.name, 'Other');
    await emitRaw(r.host, 'remove', { id: o.self.id });
    await emitRaw(r.host, 'lock', { locked: true });
    expect(await join(other, r.name, 'Other', undefined, { v: 2 })).toMatchObject({ ok: false, error: { code: 'ROOM_LOCKED' } });
  });

  it('refuses the controls to everyone else with FORBIDDEN and changes nothing', async () => {
    const r = await room();
    const seen = record(r.host);
    for (const [event, payload] of [['set-passcode', { passcode: 'x' }], ['lock', { locked: true }], ['remove', { id: r.hostId }]] as const) {
      expect(await emitRaw(r.guest, event, payload)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(t.server.rooms.roomState(r.name)).toEqual({ hostId: r.hostId, locked: false, passcode: false });
    expect(t.server.rooms.count(r.name)).toBe(2);
    await settle(r.host);
    expect(seen).toEqual([]);
    // The host may not remove itself or someone who is not there, and bad payloads are INVALID_MESSAGE.
    expect(await emitRaw(r.host, 'remove', { id: r.hostId })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PEER' } });
    expect(await emitRaw(r.host, 'remove', { id: 'nobody' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_PEER' } });
    expect(await emitRaw(r.host, 'lock', { locked: 'yes' })).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    expect(await emitRaw(r.host, 'set-passcode', { passcode: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    const outsider = await t.connect();
    expect(await emitRaw(outsider, 'lock', { locked: true })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(Number(await metric(t, 'meshmeet_rejected_messages_total{reason="FORBIDDEN"}'))).toBeGreaterThanOrEqual(3);
  });

  it('hands the host role to the longest-present member when the host leaves, and when its grace runs out', async () => {
    const r = await room();
    const third = await t.connect();
    const t3 = await joinedV2(third, r.name, 'Third');
    const toGuest = next(third, 'room-state');
    await emitRaw(r.host, 'leave');
    expect(await toGuest).toEqual({ hostId: r.guestId, locked: false, passcode: false });
    // The new host's powers work; the old one is gone.
    expect(await emitRaw(r.guest, 'lock', { locked: true })).toEqual({ ok: true });
    await settle(third); // the lock's room-state is in
    const toThird = next(third, 'room-state', 5_000);
    r.guest.io.engine.close(); // dropped: host for its grace (300 ms), then the role moves on
    const state = await toThird;
    expect(state).toEqual({ hostId: t3.self.id, locked: true, passcode: false });
    await waitForDisconnect(r.guest).catch(() => undefined);
  });
});
