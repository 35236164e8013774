import type { JoinResult } from '@meshmeet/protocol';
import { checkCredential, issueCredential, readJoin, toPeer, type ResumeClaim } from '@meshmeet/protocol/rooms';
import type { ServerContext } from './context.ts';
import { refuse, type AckFn } from './dispatch.ts';
import { iceServersFor } from './iceServers.ts';
import { takeOver } from './presence.ts';
import { roomKey, type Member, type Session } from './session.ts';
import type { Parsed } from './validate.ts';

/**
 * join: a fresh membership, or (revision 2, with a credential) the one the credential names:
 * kept, restored or refused as the protocol's Resume section says. Revision-1 clients get
 * exactly the wave-1 answer.
 */
export function handleJoin(ctx: ServerContext, session: Session, request: Parsed<'join'>, ack: AckFn | undefined): void {
  if (!ack) return;
  if (ctx.isDraining()) return refuse(ctx.metrics, 'join', ack, 'INTERNAL', 'server is shutting down');
  const now = Date.now();
  const socket = session.socket;
  const { input, revision, expiresAt } = readJoin(request, socket, session.member, {
    now,
    ttlMs: ctx.config.resume.ttlSeconds * 1000,
    verify: (token) => verify(ctx, token, request.room, now),
  });
  const decision = ctx.rooms.join(input);
  if (!decision.ok) {
    const message = decision.code === 'ROOM_FULL' ? 'the room is full' : 'already in a room; leave first';
    return refuse(ctx.metrics, 'join', ack, decision.code, message);
  }
  const member = decision.member;
  if (decision.takeover) takeOver(ctx, decision.takeover, member);
  if (member.timer) {
    clearTimeout(member.timer);
    member.timer = null;
  }
  session.member = member;
  const key = roomKey(member.room);
  void socket.join(key);

  const answer: JoinResult = {
    ok: true,
    self: { id: member.id, name: member.name },
    peers: decision.peers,
    iceServers: iceServersFor(ctx.config, ctx.iceServers, member.id, now),
  };
  if (revision >= 2) {
    answer.resume = issueCredential(ctx.signer, member.room, member.id, expiresAt);
    answer.resumeExpiresAt = expiresAt;
    answer.resumeGraceMs = ctx.rooms.graceMs;
    if (decision.resumed) answer.resumed = decision.resumed;
  }
  // The room hears of it before the joiner's answer is written, as in wave 1; each member in its
  // own revision (a wave-1 client's strict schema would drop a Peer with capabilities).
  for (const other of ctx.rooms.present(member.room, member)) other.conn?.emit('peer-joined', toPeer(member, other.revision));
  ack(answer);
  // Right after the answer, on the same ordered connection: what arrived while it was away.
  for (const message of decision.held) socket.emit('signal', message);

  const stats = ctx.metrics.stats;
  stats.joinsOk++;
  if (decision.resumed) stats.resumes[decision.resumed]++;
  logJoined(ctx, member, session, decision.resumed, decision.held.length);
}

function verify(ctx: ServerContext, token: string, room: string, now: number): ResumeClaim {
  const check = checkCredential(ctx.signer, token, room, now);
  if (check.ok) return { peerId: check.peerId };
  // The reason is for operators; the client only learns 'refused'. Never the credential itself.
  ctx.log.info('resume credential refused', { roomId: room, reason: check.reason });
  return 'invalid';
}

function logJoined(ctx: ServerContext, member: Member, session: Session, resumed: string | null, held: number): void {
  ctx.log.info('joined', {
    roomId: member.room,
    peerId: member.id,
    socketId: session.socket.id,
    revision: member.revision,
    resumed: resumed ?? undefined,
    heldDelivered: held > 0 ? held : undefined,
    members: ctx.rooms.count(member.room),
  });
}
