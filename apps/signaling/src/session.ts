import type { Socket } from 'socket.io';
import type { ClientToServerEvents, MediaState, Peer, ServerToClientEvents } from '@meshmeet/protocol';
import type { RateLimitConfig } from './config.ts';
import { TokenBucket } from './rateLimit.ts';
import type { Room } from './rooms.ts';

export interface SocketData {
  session: Session;
}

export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;

/**
 * What the server keeps per connected socket; kept small because one node holds thousands.
 * The peer id is the socket id (random, server-assigned, never reused).
 */
export class Session {
  room: Room | null = null;
  name = '';
  media: MediaState | null = null;
  readonly bucket: TokenBucket;

  constructor(
    readonly id: string,
    readonly socket: AppSocket,
    rateLimit: RateLimitConfig,
    now: number,
  ) {
    this.bucket = new TokenBucket(rateLimit, now);
  }

  enter(room: Room, name: string, media: MediaState): void {
    this.room = room;
    this.name = name;
    this.media = media;
  }

  exit(): void {
    this.room = null;
    this.media = null;
  }

  toPeer(): Peer {
    const media = this.media ?? { mic: false, camera: false, screen: false };
    return { id: this.id, name: this.name, media: { mic: media.mic, camera: media.camera, screen: media.screen } };
  }
}
