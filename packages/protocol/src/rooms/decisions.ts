// The inputs and decisions of RoomModel: what a caller hands it and what it answers.
import type { MediaState } from '../media.ts';
import type { Peer, ResumeOutcome } from '../room.ts';
import type { SignalMessage } from '../signal.ts';
import type { GateRefusal } from './gate.ts';
import type { Membership } from './membership.ts';

export interface RoomModelOptions<P = unknown> {
  maxPeersPerRoom: number;
  /** How long an away membership waits for a resume (ms). */
  graceMs: number;
  /** A fresh, unguessable peer id (the server: 16 random bytes, base64url). */
  newId(): string;
  /** Signals held per away member; later ones are dropped (default 64). */
  maxHeld?: number;
  /** Tombstones remembered at most (default 100 000). */
  maxTombstones?: number;
  /** Whether `given` is the passcode of record `stored` (constant time); without it no passcode matches. */
  verifyPasscode?(stored: P, given: string): boolean;
}

/**
 * What the join presented as a resume: nothing, a credential the caller checked and found valid
 * for this room (its peer id), or one it refused (malformed, forged, expired, another room).
 */
export type ResumeClaim = null | 'invalid' | { peerId: string };

export interface JoinInput<C> {
  conn: C;
  /** The connection's current membership, if any (a connection is in one room at a time). */
  current: Membership<C> | null;
  room: string;
  name: string;
  media: MediaState;
  revision: number;
  /** Capabilities the join announced (revision 2; [] otherwise). */
  caps: readonly string[];
  resume: ResumeClaim;
  /** Expiry of the credential the caller will issue with the answer. */
  credentialExpiresAt: number;
  now: number;
  /** The passcode the join presented, if any. */
  passcode?: string;
  /** The join carried a `host` token: it becomes the host, and the lock and passcode do not apply. */
  host?: boolean;
  /**
   * The server checks tokens and this join carried none: only a resume credential that keeps
   * or restores a membership lets it in; anything else is UNAUTHORIZED.
   */
  requireCredential?: boolean;
}

export type JoinRefusal = 'ROOM_FULL' | 'ALREADY_JOINED' | 'UNAUTHORIZED' | GateRefusal;

export type JoinDecision<C, T> =
  | { ok: false; code: JoinRefusal }
  | {
      ok: true;
      member: Membership<C, T>;
      /** null when the join presented no credential. */
      resumed: ResumeOutcome | null;
      /** The roster for the answer. */
      peers: Peer[];
      /** A connection that still held this membership (half-open TCP): detached, for the caller to close. */
      takeover: C | null;
      /** Held signals to deliver right after the answer, in order. */
      held: SignalMessage[];
      /** The join changed the room's host (a new room, or a host token): tell everyone. */
      hostChanged: boolean;
    };

export type Route<C, T> =
  | { kind: 'deliver'; conn: C }
  | { kind: 'hold'; member: Membership<C, T> }
  | { kind: 'refuse'; code: 'UNKNOWN_PEER' };

/** A membership that ended: who, where, and how many held signals went with it. */
export interface Ended {
  id: string;
  room: string;
  droppedHeld: number;
  /** The ended member was the host; the room (if anyone is left) has a new one: tell everyone. */
  hostChanged?: true;
}

/** What a host's control answers: done, or why not. */
export type ModerationRefusal = 'FORBIDDEN' | 'UNKNOWN_PEER';

/** The room's public state, as `room-state` carries it. */
export interface RoomStateView {
  hostId: string | null;
  locked: boolean;
  passcode: boolean;
}
