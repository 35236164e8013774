import type { MediaState, Peer } from '@meshmeet/protocol';
import type { Session } from './session.ts';

/** One room: its members by peer id. */
export class Room {
  readonly members = new Map<string, Session>();
  /** The socket.io room name; prefixed so a room can never be named like a socket id. */
  readonly key: string;

  constructor(readonly id: string) {
    this.key = `room:${id}`;
  }

  /** The roster as the protocol shows it, leaving out `except`. */
  peers(except: Session): Peer[] {
    const peers: Peer[] = [];
    for (const member of this.members.values()) {
      if (member !== except) peers.push(member.toPeer());
    }
    return peers;
  }
}

export type JoinOutcome = { ok: true; room: Room } | { ok: false; reason: 'ROOM_FULL' | 'ALREADY_JOINED' };

/**
 * Every room on this node. Check and insert happen in one synchronous step, so capacity holds
 * under concurrent joins without locks.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private participantCount = 0;

  constructor(private readonly maxPeersPerRoom: number) {}

  get size(): number {
    return this.rooms.size;
  }

  get participants(): number {
    return this.participantCount;
  }

  join(session: Session, roomId: string, name: string, media: MediaState): JoinOutcome {
    if (session.room) return { ok: false, reason: 'ALREADY_JOINED' };
    let room = this.rooms.get(roomId);
    if (room && room.members.size >= this.maxPeersPerRoom) return { ok: false, reason: 'ROOM_FULL' };
    if (!room) {
      room = new Room(roomId);
      this.rooms.set(roomId, room);
    }
    room.members.set(session.id, session);
    session.enter(room, name, media);
    this.participantCount++;
    return { ok: true, room };
  }

  /** Takes the session out of its room; returns the room it left, or null if it was in none. */
  leave(session: Session): Room | null {
    const room = session.room;
    if (!room) return null;
    room.members.delete(session.id);
    session.exit();
    this.participantCount--;
    if (room.members.size === 0) this.rooms.delete(room.id);
    return room;
  }
}
