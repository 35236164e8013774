import type { Ended } from '@meshmeet/protocol/rooms';
import type { ServerContext } from './context.ts';
import { exitRoom, roomKey, type Member, type Session } from './session.ts';

/**
 * What a socket's end means for its membership (socket.io disconnect reasons):
 * - the client closed it on purpose (`client namespace disconnect`), or the server did (a
 *   flooder's kick, `server namespace disconnect`): a leave, at once;
 * - the server is draining for a restart: nothing; the room survives through resumes;
 * - anything else (`transport close`, `ping timeout`, `transport error`, `parse error`, ...):
 *   the member is away, and keeps its seat for the grace period.
 */
export async function handleDisconnect(ctx: ServerContext, session: Session, reason: string): Promise<void> {
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
    const ended = await ctx.store.leave(member);
    if (ended) announceEnd(ctx, ended);
    ctx.log.info('left', { roomId: member.room, peerId: member.id, socketId, reason });
    return;
  }
  // A ping timeout is noticed up to pingInterval + pingTimeout after the client's last pong: the
  // grace counts from when the server last heard from it (a message or a pong), so that a frozen
  // client leaves the room at the same time after it froze however the ping cycle fell.
  const now = Date.now();
  await ctx.store.goAway(member, reason === 'ping timeout' ? Math.min(session.lastHeardAt, now) : now);
  ctx.log.info('went away', { roomId: member.room, peerId: member.id, socketId, reason, graceMs: ctx.store.graceMs });
}

/** Tells the room that a membership ended. */
export function announceEnd(ctx: ServerContext, ended: Ended): void {
  ctx.io.to(roomKey(ended.room)).emit('peer-left', { id: ended.id });
  if (ended.hostChanged) void announceRoomState(ctx, ended.room);
}

/** A membership ended by itself: its grace ran out (its socket dropped, or its node died). */
export function onEnded(ctx: ServerContext, ended: Ended): void {
  ctx.metrics.stats.graceExpiries++;
  ctx.metrics.stats.heldSignalsDropped += ended.droppedHeld;
  announceEnd(ctx, ended);
  ctx.log.info('grace expired', { roomId: ended.room, peerId: ended.id, droppedHeld: ended.droppedHeld });
}

/** Sends the room's host, lock and passcode flag to the whole room. */
export async function announceRoomState(ctx: ServerContext, room: string): Promise<void> {
  try {
    const state = await ctx.store.roomState(room);
    if (state) ctx.io.to(roomKey(room)).emit('room-state', state);
  } catch (error) {
    ctx.log.warn('could not announce the room state', { roomId: room, error: (error as Error).message });
  }
}

/**
 * A resume arrived while the membership's old socket still looked alive (half-open TCP). The
 * store already moved the membership to the new socket; the old one is detached from it before
 * it is closed, so its disconnect is no leave and nobody sees a ghost beside the resumed member.
 * The old socket may be on another node: that node does the same when told.
 */
export function takeOver(ctx: ServerContext, oldSocketId: string, member: Member): void {
  ctx.log.info('resume took over a live connection', { roomId: member.room, peerId: member.id, socketId: oldSocketId });
  if (!detachLocal(ctx, oldSocketId, member.room, 'takeover')) ctx.io.serverSideEmit('detach', { socketId: oldSocketId, room: member.room, why: 'takeover' });
}

/** Detaches a socket of this node from its membership; false when the socket is not here. */
export function detachLocal(ctx: ServerContext, socketId: string, room: string, why: 'takeover' | 'removed'): boolean {
  const socket = ctx.io.sockets.sockets.get(socketId);
  if (!socket) return false;
  socket.data.session.member = null;
  exitRoom(socket, room);
  if (why === 'removed') {
    // Told, then detached: its socket stays connected and may join again (fresh) if the door allows.
    socket.emit('removed', {});
  } else {
    socket.disconnect(true);
  }
  return true;
}
