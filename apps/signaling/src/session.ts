import type { Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@meshmeet/protocol';
import type { Membership } from '@meshmeet/protocol/rooms';
import type { RateLimitConfig } from './config.ts';
import { TokenBucket } from './rateLimit.ts';

export interface SocketData {
  session: Session;
}

/** What one node tells the others (socket.io's serverSideEmit, through the Redis adapter). */
export interface InterServerEvents {
  /** The socket, if it is on this node, no longer holds its membership: a resume took it over, or the host removed it. */
  detach(payload: { socketId: string; room: string; why: 'takeover' | 'removed' }): void;
  /** A membership ended: nodes forget its binding (store/redis/bindingCache.ts). */
  ended(payload: { room: string; id: string }): void;
}

export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** A room membership on this server: its connection is a socket, its grace timer a Node timer. */
export type Member = Membership<AppSocket, NodeJS.Timeout>;

/** A room passcode at rest: scrypt of the passcode with a random salt drawn when it was set. */
export interface PasscodeRecord {
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/**
 * What the server keeps per connected socket: its rate-limit bucket and the membership it
 * currently holds, if any. The membership is separate (it outlives the socket while away) and
 * its id is not the socket id.
 */
export class Session {
  member: Member | null = null;
  /** Set before the server disconnects a flooding socket, so that the disconnect is a leave. */
  kicked = false;
  /** When the server last heard from this socket (Date.now()): a message, or a heartbeat's pong. */
  lastHeardAt = Date.now();
  /** A join is being checked (its token verifies asynchronously): a second one waits its turn or is refused. */
  joining = false;
  readonly bucket: TokenBucket;
  /** Passcode guesses: 5 at once, then one per 2 s (a wrong guess costs as much as a right one). */
  readonly passcodeBucket: TokenBucket;

  constructor(
    readonly socket: AppSocket,
    rateLimit: RateLimitConfig,
    now: number,
  ) {
    this.bucket = new TokenBucket(rateLimit, now);
    this.passcodeBucket = new TokenBucket(PASSCODE_RATE, now);
  }
}

const PASSCODE_RATE: RateLimitConfig = { rate: 0.5, burst: 5, floodLimit: Infinity };

/** The socket.io room of a meshmeet room; prefixed so a room can never be named like a socket id. */
export function roomKey(room: string): string {
  return `room:${room}`;
}

/** The socket.io room of the members of `room` that speak `revision` (peer-joined is written per revision). */
export function revisionKey(room: string, revision: number): string {
  return `room:${room}#${revision}`;
}

/** Puts a member's socket in its room's broadcast groups, or takes it out. */
export function enterRoom(socket: AppSocket, room: string, revision: number): void {
  void socket.join([roomKey(room), revisionKey(room, revision)]);
}

export function exitRoom(socket: AppSocket, room: string): void {
  for (const key of [...socket.rooms]) if (key === roomKey(room) || key.startsWith(`${roomKey(room)}#`)) void socket.leave(key);
}
