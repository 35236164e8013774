import type { MediaState } from '../media.ts';
import type { Peer, ResumeOutcome } from '../room.ts';
import type { SignalMessage } from '../signal.ts';
import { isPresent, toPeer, type Membership } from './membership.ts';
import { Tombstones } from './tombstones.ts';
import { admit, nextHost, type RoomGate } from './gate.ts';
import type { Ended, JoinDecision, JoinInput, ModerationRefusal, RoomModelOptions, RoomStateView, Route } from './decisions.ts';

export type { Ended, JoinDecision, JoinInput, JoinRefusal, ModerationRefusal, ResumeClaim, RoomModelOptions, RoomStateView, Route } from './decisions.ts';

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
