import type { Ack, SignalMessage } from '@meshmeet/protocol';
import type { ServerContext } from './context.ts';
import { refuse, type HandlerTable } from './dispatch.ts';
import { handleJoin } from './join.ts';
import { createHostHandlers } from './host.ts';
import { announceEnd } from './presence.ts';
import { exitRoom, roomKey } from './session.ts';

const ACK_OK: Ack = Object.freeze({ ok: true }) as Ack;

/** The typed handler of every client event; the dispatcher has validated the payload. */
export function createHandlers(ctx: ServerContext): HandlerTable {
  const stats = ctx.metrics.stats;
  const debug = ctx.log.debugEnabled;
  return {
    join: (session, request, ack) => handleJoin(ctx, session, request, ack),
    ...createHostHandlers(ctx),

    async signal(session, request, ack) {
      const sender = session.member;
      if (!sender) return refuse(ctx.metrics, 'signal', ack, 'NOT_IN_ROOM', 'join a room first');
      const description = request.description;
      const message: SignalMessage =
        description !== undefined ? { from: sender.id, description } : { from: sender.id, candidate: request.candidate ?? null };
      const outcome = await ctx.store.relay(sender, request.to, message);
      if (outcome === 'UNKNOWN_PEER') return refuse(ctx.metrics, 'signal', ack, 'UNKNOWN_PEER', 'no such peer in your room');
      if (outcome === 'NOT_IN_ROOM') return refuse(ctx.metrics, 'signal', ack, 'NOT_IN_ROOM', 'your membership moved to another connection');
      if (outcome === 'held') stats.heldSignals++;
      // An away member's queue is full: the signal is lost as a network would lose it; ICE restarts recover.
      else if (outcome === 'dropped') stats.heldSignalsDropped++;
      if (description === undefined) {
        if (message.candidate === null) stats.endOfCandidates++;
        else stats.candidates++;
      } else {
        if (description.type === 'offer') stats.offers++;
        else stats.answers++;
        if (debug) {
          ctx.log.debug('relayed description', {
            roomId: sender.room,
            peerId: sender.id,
            to: request.to,
            type: description.type,
            sdpBytes: description.sdp.length,
            held: outcome === 'held' || undefined,
          });
        }
      }
      if (ack) ack(ACK_OK);
    },

    async media(session, media, ack) {
      const member = session.member;
      if (!member) return refuse(ctx.metrics, 'media', ack, 'NOT_IN_ROOM', 'join a room first');
      await ctx.store.setMedia(member, media);
      session.socket.to(roomKey(member.room)).emit('media', { id: member.id, mic: media.mic, camera: media.camera, screen: media.screen });
      stats.mediaUpdates++;
      if (ack) ack(ACK_OK);
      ctx.log.debug('media changed', { roomId: member.room, peerId: member.id, ...media });
    },

    async leave(session, _none, ack) {
      const member = session.member;
      if (!member) return refuse(ctx.metrics, 'leave', ack, 'NOT_IN_ROOM', 'not in a room');
      session.member = null;
      exitRoom(session.socket, member.room);
      const ended = await ctx.store.leave(member);
      if (ended) announceEnd(ctx, ended);
      if (ack) ack(ACK_OK);
      ctx.log.info('left', { roomId: member.room, peerId: member.id, socketId: session.socket.id, reason: 'leave' });
    },
  };
}
