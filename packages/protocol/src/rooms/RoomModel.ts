import type { MediaState } from '../media.ts';
import type { Peer, ResumeOutcome } from '../room.ts';
import type { SignalMessage } from '../signal.ts';
import { isPresent, toPeer, type Membership } from './membership.ts';
import { Tombstones } from './tombstones.ts';
import { admit, nextHost, type GateRefusal, type RoomGate } from './gate.ts';

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

/**
 * The rooms of one server, as pure decisions over in-memory state: no sockets, no timers, no
 * clock (callers pass `now`). Every method either changes nothing and says why, or makes the
 * whole change at once, so capacity holds under concurrent joins without locks. The caller
 * performs the effects (answers, broadcasts to the present members, timers).
 */
export class RoomModel<C, T = unknown, P = unknown> {
  readonly #members = new Map<string, Membership<C, T>>();
  readonly #rooms = new Map<string, Map<string, Membership<C, T>>>();
  readonly #gates = new Map<string, RoomGate<P>>();
  readonly #tombstones: Tombstones;
  readonly #maxHeld: number;
  #away = 0;

  constructor(private readonly options: RoomModelOptions<P>) {
    this.#maxHeld = options.maxHeld ?? 64;
    this.#tombstones = new Tombstones(options.maxTombstones ?? 100_000);
  }

  get graceMs(): number {
    return this.options.graceMs;
  }
  /** Rooms with at least one membership (present or away). */
  get size(): number {
    return this.#rooms.size;
  }
  /** Memberships, away ones included (they still hold their seat). */
  get participants(): number {
    return this.#members.size;
  }
  get away(): number {
    return this.#away;
  }

  /** Memberships of one room, away ones included. */
  count(room: string): number {
    return this.#rooms.get(room)?.size ?? 0;
  }

  get(id: string): Membership<C, T> | undefined {
    return this.#members.get(id);
  }

  /** The members of `room` other than `except` that have a connection (broadcast targets). */
  *present(room: string, except?: Membership<C, T>): IterableIterator<Membership<C, T>> {
    const members = this.#rooms.get(room);
    if (!members) return;
    for (const m of members.values()) if (m !== except && m.conn !== null) yield m;
  }

  join(input: JoinInput<C>): JoinDecision<C, T> {
    if (input.current) return { ok: false, code: 'ALREADY_JOINED' };
    const claim = input.resume;
    if (claim !== null && claim !== 'invalid' && !this.#tombstones.has(claim.peerId, input.now)) {
      const existing = this.#members.get(claim.peerId);
      // A member (kept) or one whose membership this server forgot (restored) was let in
      // before: the lock and passcode are for newcomers.
      if (existing && existing.room === input.room) return this.#keep(existing, input);
      if (!existing) return this.#create(input, claim.peerId, 'restored');
    }
    if (input.requireCredential) return { ok: false, code: 'UNAUTHORIZED' };
    if (!input.host) {
      const refusal = admit(this.#gates.get(input.room), input.passcode, this.options.verifyPasscode ?? (() => false));
      if (refusal) return { ok: false, code: refusal };
    }
    return this.#create(input, this.options.newId(), claim === null ? null : 'refused');
  }

  #keep(m: Membership<C, T>, input: JoinInput<C>): JoinDecision<C, T> {
    const takeover = m.conn;
    if (m.conn === null) this.#away--;
    m.conn = input.conn;
    m.awaySince = null;
    m.graceEndsAt = null;
    m.name = input.name;
    m.media = input.media;
    m.revision = input.revision;
    m.caps = input.caps;
    m.credentialExpiresAt = Math.max(m.credentialExpiresAt, input.credentialExpiresAt);
    const held = m.held;
    m.held = [];
    const hostChanged = input.host === true && this.#makeHost(m);
    // Authoritative: everyone, the away ones too (the resumer knew them; signals to them are held).
    const peers: Peer[] = [];
    for (const other of this.#rooms.get(m.room)?.values() ?? []) if (other !== m) peers.push(toPeer(other, input.revision));
    return { ok: true, member: m, resumed: 'kept', peers, takeover, held, hostChanged };
  }

  #create(input: JoinInput<C>, id: string, resumed: ResumeOutcome | null): JoinDecision<C, T> {
    let room = this.#rooms.get(input.room);
    if (room && room.size >= this.options.maxPeersPerRoom) return { ok: false, code: 'ROOM_FULL' };
    // Newcomers could not reach an away member, so it is not listed; it announces itself on resume.
    const peers: Peer[] = [];
    for (const other of room?.values() ?? []) if (isPresent(other)) peers.push(toPeer(other, input.revision));
    const m: Membership<C, T> = {
      id,
      room: input.room,
      name: input.name,
      media: input.media,
      revision: input.revision,
      caps: input.caps,
      conn: input.conn,
      awaySince: null,
      graceEndsAt: null,
      timer: null,
      held: [],
      credentialExpiresAt: input.credentialExpiresAt,
    };
    if (!room) {
      room = new Map();
      this.#rooms.set(input.room, room);
      // Whoever creates a room hosts it.
      this.#gates.set(input.room, { hostId: null, locked: false, passcode: null });
    }
    room.set(id, m);
    this.#members.set(id, m);
    const gate = this.#gates.get(input.room);
    const hostChanged = (input.host === true || gate?.hostId === null) && this.#makeHost(m);
    return { ok: true, member: m, resumed, peers, takeover: null, held: [], hostChanged };
  }

  /** A deliberate end (leave, a client's own disconnect, a kick): gone now, credential refused. */
  leave(m: Membership<C, T>, now: number): Ended | null {
    return this.#end(m, now);
  }

  /** The connection dropped: keep the seat for the grace period. Returns when the grace ends. */
  goAway(m: Membership<C, T>, lastHeardAt: number): number {
    if (this.#members.get(m.id) !== m) return lastHeardAt;
    if (m.conn !== null) this.#away++;
    m.conn = null;
    m.awaySince = lastHeardAt;
    m.graceEndsAt = lastHeardAt + this.options.graceMs;
    return m.graceEndsAt;
  }

  /** The grace timer fired: ends the membership if it is still away and its grace is over. */
  expire(id: string, now: number): Ended | null {
    const m = this.#members.get(id);
    if (!m || m.conn !== null || m.graceEndsAt === null || m.graceEndsAt > now) return null;
    return this.#end(m, now);
  }

  #end(m: Membership<C, T>, now: number): Ended | null {
    const room = this.#rooms.get(m.room);
    if (this.#members.get(m.id) !== m || !room) return null;
    this.#members.delete(m.id);
    room.delete(m.id);
    const gate = this.#gates.get(m.room);
    let hostChanged = false;
    if (room.size === 0) {
      this.#rooms.delete(m.room);
      this.#gates.delete(m.room);
    } else if (gate && gate.hostId === m.id) {
      gate.hostId = nextHost(room.values(), m);
      hostChanged = true;
    }
    if (m.conn === null) this.#away--;
    this.#tombstones.add(m.id, m.credentialExpiresAt, now);
    const droppedHeld = m.held.length;
    m.held = [];
    m.conn = null;
    const ended: Ended = { id: m.id, room: m.room, droppedHeld };
    if (hostChanged) ended.hostChanged = true;
    return ended;
  }

  #makeHost(m: Membership<C, T>): boolean {
    const gate = this.#gates.get(m.room);
    if (!gate || gate.hostId === m.id) return false;
    gate.hostId = m.id;
    return true;
  }

  /** The room's host, lock and passcode flag; null for a room that does not exist. */
  roomState(room: string): RoomStateView | null {
    const gate = this.#gates.get(room);
    return gate ? { hostId: gate.hostId, locked: gate.locked, passcode: gate.passcode !== null } : null;
  }

  isHost(m: Membership<C, T>): boolean {
    return this.#members.get(m.id) === m && this.#gates.get(m.room)?.hostId === m.id;
  }

  /** Host only: sets (a record) or clears (null) the passcode newcomers must give. Members stay. */
  setPasscode(actor: Membership<C, T>, record: P | null): ModerationRefusal | null {
    const gate = this.#gates.get(actor.room);
    if (!gate || !this.isHost(actor)) return 'FORBIDDEN';
    gate.passcode = record;
    return null;
  }

  /** Host only: locks (newcomers refused; members may still resume) or unlocks the room. */
  setLocked(actor: Membership<C, T>, locked: boolean): ModerationRefusal | null {
    const gate = this.#gates.get(actor.room);
    if (!gate || !this.isHost(actor)) return 'FORBIDDEN';
    gate.locked = locked;
    return null;
  }

  /**
   * Host only: ends another member's membership as a leave would, so its credential is refused
   * from now on (the tombstone lives as long as the credential). Returns its connection (null
   * while away) for the caller to tell and detach.
   */
  remove(actor: Membership<C, T>, id: string, now: number): { ok: false; code: ModerationRefusal } | { ok: true; conn: C | null; ended: Ended } {
    if (!this.isHost(actor)) return { ok: false, code: 'FORBIDDEN' };
    const target = id === actor.id ? undefined : this.#rooms.get(actor.room)?.get(id);
    if (!target) return { ok: false, code: 'UNKNOWN_PEER' };
    const conn = target.conn;
    const ended = this.#end(target, now);
    return ended ? { ok: true, conn, ended } : { ok: false, code: 'UNKNOWN_PEER' };
  }

  /** Who may signal whom: only another member of the sender's own room. */
  route(sender: Membership<C, T>, to: string): Route<C, T> {
    const target = to === sender.id ? undefined : this.#rooms.get(sender.room)?.get(to);
    if (!target) return { kind: 'refuse', code: 'UNKNOWN_PEER' };
    return target.conn !== null ? { kind: 'deliver', conn: target.conn } : { kind: 'hold', member: target };
  }

  /** Holds a signal for an away member; false when its queue is full and the signal is dropped. */
  hold(m: Membership<C, T>, message: SignalMessage): boolean {
    if (m.held.length >= this.#maxHeld) return false;
    m.held.push(message);
    return true;
  }

  setMedia(m: Membership<C, T>, media: MediaState): void {
    m.media = media;
  }

  /** Forgets everything (a restart, a drain): nobody is told and nothing is tombstoned. */
  clear(): Membership<C, T>[] {
    const all = [...this.#members.values()];
    this.#members.clear();
    this.#rooms.clear();
    this.#gates.clear();
    this.#tombstones.clear();
    this.#away = 0;
    return all;
  }
}
