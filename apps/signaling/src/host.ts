import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { ServerContext } from './context.ts';
import { refuse, type AckFn, type HandlerTable } from './dispatch.ts';
import { announceEnd, announceRoomState, detachLocal } from './presence.ts';
import type { PasscodeRecord, Session } from './session.ts';

// scrypt with N=4096 (a quarter of the default) costs a few ms of one core per hash, synchronously:
// a passcode lives in memory only for a call's length, and guesses are rate-limited per socket.
const KEY_LENGTH = 32;
const SCRYPT = { N: 4096, r: 8, p: 1 };

export function hashPasscode(passcode: string): PasscodeRecord {
  const salt = randomBytes(16);
  return { salt, hash: scryptSync(passcode, salt, KEY_LENGTH, SCRYPT) };
}

export function verifyPasscode(record: PasscodeRecord, given: string): boolean {
  return timingSafeEqual(scryptSync(given, record.salt, KEY_LENGTH, SCRYPT), record.hash);
}

const OK = Object.freeze({ ok: true as const });

type HostHandlers = Pick<HandlerTable, 'set-passcode' | 'lock' | 'remove'>;

/** The host's controls. Anyone else gets FORBIDDEN and nothing changes. */
export function createHostHandlers(ctx: ServerContext): HostHandlers {
  const denied = (event: 'set-passcode' | 'lock' | 'remove', ack: AckFn | undefined, session: Session) => {
    ctx.log.info('host control refused', { event, roomId: session.member?.room, peerId: session.member?.id });
    refuse(ctx.metrics, event, ack, 'FORBIDDEN', 'only the host can do that');
  };
  return {
    async 'set-passcode'(session, request, ack) {
      const member = session.member;
      if (!member) return refuse(ctx.metrics, 'set-passcode', ack, 'NOT_IN_ROOM', 'join a room first');
      if (!(await ctx.store.isHost(member))) return denied('set-passcode', ack, session);
      // Hashed only for the host: scrypt costs a few ms of this node's one thread.
      if (await ctx.store.setPasscode(member, request.passcode === null ? null : hashPasscode(request.passcode))) return denied('set-passcode', ack, session);
      await announceRoomState(ctx, member.room);
      if (ack) ack(OK);
      ctx.log.info('passcode changed', { roomId: member.room, peerId: member.id, set: request.passcode !== null });
    },

    async lock(session, request, ack) {
      const member = session.member;
      if (!member) return refuse(ctx.metrics, 'lock', ack, 'NOT_IN_ROOM', 'join a room first');
      if (await ctx.store.setLocked(member, request.locked)) return denied('lock', ack, session);
      await announceRoomState(ctx, member.room);
      if (ack) ack(OK);
      ctx.log.info(request.locked ? 'room locked' : 'room unlocked', { roomId: member.room, peerId: member.id });
    },

    async remove(session, request, ack) {
      const member = session.member;
      if (!member) return refuse(ctx.metrics, 'remove', ack, 'NOT_IN_ROOM', 'join a room first');
      const result = await ctx.store.remove(member, request.id);
      if (!result.ok) {
        if (result.code === 'FORBIDDEN') return denied('remove', ack, session);
        return refuse(ctx.metrics, 'remove', ack, result.code, 'no such peer in your room');
      }
      const socketId = result.socketId;
      if (socketId !== null && !detachLocal(ctx, socketId, member.room, 'removed')) {
        ctx.io.serverSideEmit('detach', { socketId, room: member.room, why: 'removed' });
      }
      announceEnd(ctx, result.ended);
      if (ack) ack(OK);
      ctx.log.info('removed by the host', { roomId: member.room, peerId: result.ended.id, by: member.id });
    },
  };
}
