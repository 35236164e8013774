import { ackError, PROTOCOL_REVISION, type JoinResult } from '@meshmeet/protocol';
import { checkCredential, issueCredential, readJoin, toPeer, type JoinRefusal } from '@meshmeet/protocol/rooms';
import type { JoinGrant } from './auth.ts';
import type { ServerContext } from './context.ts';
import { refuse, type AckFn } from './dispatch.ts';
import { iceServersFor } from './iceServers.ts';
import { takeOver } from './presence.ts';
import { enterRoom, revisionKey, roomKey, type Member, type Session } from './session.ts';
import { StoreUnavailableError, type StoreJoin } from './store/RoomStore.ts';
import type { Parsed } from './validate.ts';

const REFUSALS: Record<JoinRefusal, string> = {
  ROOM_FULL: 'the room is full',
  ALREADY_JOINED: 'already in a room; leave first',
  UNAUTHORIZED: 'this server lets in only joins with a valid token for this room',
  ROOM_LOCKED: 'the host locked the room',
  PASSCODE_REQUIRED: 'this room needs a passcode',
  PASSCODE_WRONG: 'wrong passcode',
};

/**
 * join: a fresh membership, or (revision 2, with a credential) the one the credential names:
 * kept, restored or refused as the protocol's Resume section says. Revision-1 clients get
 * exactly the wave-1 answer. With AUTH_SECRET the token is verified first (asynchronously);
 * a join without one gets in only by resuming a membership.
 */
export function handleJoin(ctx: ServerContext, session: Session, request: Parsed<'join'>, ack: AckFn | undefined): void | Promise<void> {
  if (!ack) return;
  if (session.joining) return refuse(ctx.metrics, 'join', ack, 'ALREADY_JOINED', 'a join is already being checked');
  if (!ctx.auth || request.token === undefined) return admitJoin(ctx, session, request, ack, null);
  session.joining = true;
  ctx
    .auth(request.token, request.room)
    .then((check) => {
      session.joining = false;
      // The socket may have gone while the token was checked: nothing to join for.
      if (!session.socket.connected) return;
      if (!check.ok) {
        ctx.log.info('join token refused', { roomId: request.room, socketId: session.socket.id, reason: check.reason, resume: request.resume !== undefined });
        // A client resuming sends its token again, which may have expired meanwhile: then its
        // credential decides (it gets in only by keeping or restoring its membership).
        if (request.resume !== undefined) return admitJoin(ctx, session, request, ack, null);
        return refuse(ctx.metrics, 'join', ack, 'UNAUTHORIZED', 'the join token is invalid, expired or for another room');
      }
      admitJoin(ctx, session, request, ack, check.grant);
    })
    .catch((error: unknown) => {
      session.joining = false;
      ctx.log.error('join failed', { roomId: request.room, socketId: session.socket.id, error });
      ack(ackError('INTERNAL', 'internal error'));
    });
}

async function admitJoin(ctx: ServerContext, session: Session, request: Parsed<'join'>, ack: AckFn, grant: JoinGrant | null): Promise<void> {
  if (ctx.isDraining()) return refuse(ctx.metrics, 'join', ack, 'INTERNAL', 'server is shutting down');
  if (request.passcode !== undefined && session.passcodeBucket.take(performance.now()) !== 'ok') {
    return refuse(ctx.metrics, 'join', ack, 'RATE_LIMITED', 'too many passcode attempts; wait a moment');
  }
  const now = Date.now();
  const socket = session.socket;
  // A credential that restores a membership proves an earlier token until the credential's own expiry.
  let restoredUntil = Infinity;
  const { input, revision, expiresAt } = readJoin(request, socket, session.member, {
    now,
    ttlMs: ctx.config.resume.ttlSeconds * 1000,
    verify: (token) => {
      const claim = verify(ctx, token, request.room, now);
      if (claim !== 'invalid') restoredUntil = claim.expiresAt;
      return claim === 'invalid' ? claim : { peerId: claim.peerId };
    },
  });
  if (grant) {
    if (grant.name !== undefined) input.name = grant.name;
    input.host = grant.host;
    input.credentialExpiresAt = Math.min(input.credentialExpiresAt, grant.expiresAt);
  } else if (ctx.auth) {
    input.requireCredential = true;
  }
  session.joining = true;
  let decision: StoreJoin;
  try {
    decision = await ctx.store.join(input);
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    ctx.log.warn('join refused: the room store is unreachable', { roomId: request.room, socketId: socket.id });
    return refuse(ctx.metrics, 'join', ack, 'UNAVAILABLE', 'the server cannot reach its room store just now; try again shortly');
  } finally {
    session.joining = false;
  }
  if (!decision.ok) return refuse(ctx.metrics, 'join', ack, decision.code, REFUSALS[decision.code]);
  const member = decision.member;
  if (!socket.connected) {
    // The socket went while the store decided: the membership waits for a resume like any other.
    ctx.log.info('went away while joining', { roomId: member.room, peerId: member.id, socketId: socket.id });
    await ctx.store.goAway(member, Date.now());
    return;
  }
  if (grant) member.authExpiresAt = grant.expiresAt;
  else if (ctx.auth && decision.resumed === 'restored') member.authExpiresAt = restoredUntil;
  // Resume and TURN credentials never outlive the token that let the member in.
  const notAfter = member.authExpiresAt ?? Infinity;
  if (decision.takeover !== null && decision.takeover !== socket.id) takeOver(ctx, decision.takeover, member);
  session.member = member;
  enterRoom(socket, member.room, member.revision);

  const answer: JoinResult = {
    ok: true,
    self: { id: member.id, name: member.name },
    peers: decision.peers,
    iceServers: iceServersFor(ctx.config, ctx.iceServers, member.id, now, notAfter),
  };
  if (revision >= 2) {
    const credentialExpiresAt = Math.min(expiresAt, notAfter);
    answer.resume = issueCredential(ctx.signer, member.room, member.id, credentialExpiresAt);
    answer.resumeExpiresAt = credentialExpiresAt;
    answer.resumeGraceMs = ctx.store.graceMs;
    if (decision.resumed) answer.resumed = decision.resumed;
  }
  // Strict revision-2 clients would refuse an answer with a field they do not know.
  if (revision >= 3 && ctx.config.videoUplinkKbps !== null) answer.videoUplinkKbps = ctx.config.videoUplinkKbps;
  // The room hears of it before the joiner's answer is written, as in wave 1; each member in its
  // own revision (a wave-1 client's strict schema would drop a Peer with capabilities).
  for (let r = 1; r <= PROTOCOL_REVISION; r++) ctx.io.to(revisionKey(member.room, r)).except(socket.id).emit('peer-joined', toPeer(member, r));
  ack(answer);
  // Right after the answer, on the same ordered connection: what arrived while it was away, and
  // who hosts the room (to everyone when this join changed it).
  for (const message of decision.held) socket.emit('signal', message);
  if (decision.hostChanged) ctx.io.to(roomKey(member.room)).emit('room-state', decision.roomState);
  else socket.emit('room-state', decision.roomState);

  const stats = ctx.metrics.stats;
  stats.joinsOk++;
  if (decision.resumed) stats.resumes[decision.resumed]++;
  logJoined(ctx, member, session, decision.resumed, decision.held.length, decision.members);
}

function verify(ctx: ServerContext, token: string, room: string, now: number): 'invalid' | { peerId: string; expiresAt: number } {
  const check = checkCredential(ctx.signer, token, room, now);
  if (check.ok) return { peerId: check.peerId, expiresAt: check.expiresAt };
  // The reason is for operators; the client only learns 'refused'. Never the credential itself.
  ctx.log.info('resume credential refused', { roomId: room, reason: check.reason });
  return 'invalid';
}

function logJoined(ctx: ServerContext, member: Member, session: Session, resumed: string | null, held: number, members: number): void {
  ctx.log.info('joined', {
    roomId: member.room,
    peerId: member.id,
    socketId: session.socket.id,
    revision: member.revision,
    resumed: resumed ?? undefined,
    heldDelivered: held > 0 ? held : undefined,
    members,
  });
}
