import type { MediaState, Peer, ResumeOutcome, SignalMessage } from '@meshmeet/protocol';
import type { Ended, JoinInput, JoinRefusal, ModerationRefusal, RoomStateView } from '@meshmeet/protocol/rooms';
import type { AppSocket, Member, PasscodeRecord } from '../session.ts';

/**
 * Where rooms live: in this process (MemoryRoomStore, one node) or in Redis (RedisRoomStore, any
 * number of nodes). Both make every decision atomically, as `@meshmeet/protocol/rooms` states
 * the rules; the handlers only perform the effects (answers, broadcasts). Every call may fail
 * (Redis unreachable): the handlers answer UNAVAILABLE then, and nothing changed.
 */
export interface RoomStore {
  readonly graceMs: number;
  /** Whether the store answers now (Redis reachable and responsive); /readyz says 503 when not. */
  ready(): boolean;
  /** `passcode` is verified here (against the stored record), not by the caller. */
  join(input: JoinInput<AppSocket>): Promise<StoreJoin>;
  /** A deliberate end: gone now, credential refused from now on. */
  leave(member: Member): Promise<Ended | null>;
  /** The connection dropped: away for the grace period, counted from `lastHeardAt`; ends later by itself. */
  goAway(member: Member, lastHeardAt: number): Promise<void>;
  /** Delivers (or holds for an away target) a signal from `sender` to `to`. */
  relay(sender: Member, to: string, message: SignalMessage): Promise<RelayOutcome>;
  setMedia(member: Member, media: MediaState): Promise<void>;
  roomState(room: string): Promise<RoomStateView | null>;
  isHost(member: Member): Promise<boolean>;
  setPasscode(actor: Member, record: PasscodeRecord | null): Promise<ModerationRefusal | null>;
  setLocked(actor: Member, locked: boolean): Promise<ModerationRefusal | null>;
  /** Host only: ends another member's membership; says which socket (if any, on any node) held it. */
  remove(actor: Member, id: string): Promise<{ ok: false; code: ModerationRefusal } | { ok: true; ended: Ended; socketId: string | null }>;
  /** Memberships of one room (for logs). */
  count(room: string): Promise<number>;
  /** A drain: forgets this node's members without telling anyone (they resume elsewhere or after the restart). */
  clear(): void;
  /** Gauges for /metrics, as this node sees them. */
  readonly gauges: { rooms(): number; participants(): number; away(): number };
  close(): Promise<void>;
}

export type StoreJoin =
  | { ok: false; code: JoinRefusal }
  | {
      ok: true;
      member: Member;
      resumed: ResumeOutcome | null;
      /** The roster, in the joiner's revision. */
      peers: Peer[];
      /** The socket (on any node) that still held this membership (half-open TCP): to detach and close. */
      takeover: string | null;
      held: SignalMessage[];
      hostChanged: boolean;
      roomState: RoomStateView;
      /** Memberships of the room after the join. */
      members: number;
    };

/** NOT_IN_ROOM: the sender's membership moved to another socket or ended meanwhile. */
export type RelayOutcome = 'delivered' | 'held' | 'dropped' | 'UNKNOWN_PEER' | 'NOT_IN_ROOM';

/** What the store tells the server about changes it did not make in answer to this node's own request. */
export interface StoreEvents {
  /** A membership ended on its own (grace over, its node died): tell the room. */
  ended(ended: Ended, why: 'grace' | 'node'): void;
}

/** Redis is not reachable (or too slow): the request was not carried out. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the room store is unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}
