import type { Ended } from '@meshmeet/protocol/rooms';
import type { ServerContext } from './context.ts';
import { announceRoomState } from './host.ts';
import { roomKey, type AppSocket, type Member, type Session } from './session.ts';

/**
 * What a socket's end means for its membership (socket.io disconnect reasons):
 * - the client closed it on purpose (`client namespace disconnect`), or the server did (a
 *   flooder's kick, `server namespace disconnect`): a leave, at once;
 * - the server is draining for a restart: nothing; the room survives through resumes;
 * - anything else (`transport close`, `ping timeout`, `transport error`, `parse error`, ...):
 *   the member is away, and keeps its seat for the grace period.
 */
export function handleDisconnect(ctx: ServerContext, session: Session, reason: string): void {
  const member = session.member;
  session.member = null;
  const socketId = session.socket.id;
  // No membership, or a newer socket took it over (half-open TCP): nothing to do.
  if (!member || member.conn !== session.socket) {
    ctx.log.debug('disconnected', { socketId, reason });
    return;
  }
  if (ctx.isDraining()) {
    ctx.log.debug('disconnected while draining', { peerId: member.id, socketId, reason });
    return;
  }
  if (session.kicked || reason === 'client namespace disconnect' || reason === 'server namespace disconnect') {
    const ended = ctx.rooms.leave(member, Date.now());
    if (ended) announceEnd(ctx, ended);
    ctx.log.info('left', { roomId: member.room, peerId: member.id, socketId, reason });
    return;
  }
  goAway(ctx, member, reason, session.lastHeardAt);
  ctx.log.info('went away', { roomId: member.room, peerId: member.id, socketId, reason, graceMs: ctx.rooms.graceMs });
}

function goAway(ctx: ServerContext, member: Member, reason: string, heardAt: number): void {
  const now = Date.now();
  // A ping timeout is noticed up to pingInterval + pingTimeout after the client's last pong: the
  // grace counts from when the server last heard from it (a message or a pong), so that a frozen
  // client leaves the room at the same time after it froze however the ping cycle fell.
  const lastHeardAt = reason === 'ping timeout' ? Math.min(heardAt, now) : now;
  const due = ctx.rooms.goAway(member, lastHeardAt);
  if (member.timer) clearTimeout(member.timer);
  const timer = setTimeout(() => expire(ctx, member.id, due), Math.max(0, due - now));
  timer.unref();
  member.timer = timer;
}

function expire(ctx: ServerContext, id: string, due: number): void {
  const member = ctx.rooms.get(id);
  if (member) member.timer = null;
  // The timer waited until `due`; clocks may disagree by a millisecond, so trust the timer.
  const ended = ctx.rooms.expire(id, Math.max(Date.now(), due));
  if (!ended) return;
  ctx.metrics.stats.graceExpiries++;
  ctx.metrics.stats.heldSignalsDropped += ended.droppedHeld;
  announceEnd(ctx, ended);
  ctx.log.info('grace expired', { roomId: ended.room, peerId: ended.id, droppedHeld: ended.droppedHeld });
}

/** Tells the room that a membership ended. */
export function announceEnd(ctx: ServerContext, ended: Ended): void {
  ctx.io.to(roomKey(ended.room)).emit('peer-left', { id: ended.id });
  if (ended.hostChanged) announceRoomState(ctx, ended.room, null);
}

/**
 * A resume arrived while the membership's old socket still looked alive (half-open TCP). The
 * model already moved the membership to the new socket; the old one is detached from it before
 * it is closed, so its disconnect is no leave and nobody sees a ghost beside the resumed member.
 */
export function takeOver(ctx: ServerContext, old: AppSocket, member: Member): void {
  old.data.session.member = null;
  void old.leave(roomKey(member.room));
  ctx.log.info('resume took over a live connection', { roomId: member.room, peerId: member.id, socketId: old.id });
  old.disconnect(true);
}
