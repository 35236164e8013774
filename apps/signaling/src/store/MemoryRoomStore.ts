import type { MediaState, SignalMessage } from '@meshmeet/protocol';
import { RoomModel, type Ended, type JoinInput, type ModerationRefusal, type RoomStateView } from '@meshmeet/protocol/rooms';
import type { AppSocket, Member, PasscodeRecord } from '../session.ts';
import type { RelayOutcome, RoomStore, StoreEvents, StoreJoin } from './RoomStore.ts';

export type Rooms = RoomModel<AppSocket, NodeJS.Timeout, PasscodeRecord>;

/**
 * One node's rooms, in this process: the protocol's RoomModel plus a grace timer per away member.
 * Everything answers synchronously (the promises are already settled), so a single node behaves
 * exactly as before multi-node mode existed.
 */
export class MemoryRoomStore implements RoomStore {
  readonly gauges = {
    rooms: () => this.model.size,
    participants: () => this.model.participants,
    away: () => this.model.away,
  };

  constructor(
    readonly model: Rooms,
    private readonly events: StoreEvents,
  ) {}

  ready(): boolean {
    return true;
  }

  get graceMs(): number {
    return this.model.graceMs;
  }

  async join(input: JoinInput<AppSocket>): Promise<StoreJoin> {
    const decision = this.model.join(input);
    if (!decision.ok) return decision;
    const member = decision.member;
    if (member.timer) {
      clearTimeout(member.timer);
      member.timer = null;
    }
    // Read once, after the join, so the answer and the announcement agree.
    const roomState = this.model.roomState(member.room) ?? { hostId: null, locked: false, passcode: false };
    return {
      ok: true,
      member,
      resumed: decision.resumed,
      peers: decision.peers,
      takeover: decision.takeover?.id ?? null,
      held: decision.held,
      hostChanged: decision.hostChanged,
      roomState,
      members: this.model.count(member.room),
    };
  }

  async leave(member: Member): Promise<Ended | null> {
    if (member.timer) clearTimeout(member.timer);
    return this.model.leave(member, Date.now());
  }

  async goAway(member: Member, lastHeardAt: number): Promise<void> {
    const due = this.model.goAway(member, lastHeardAt);
    if (member.timer) clearTimeout(member.timer);
    const timer = setTimeout(() => this.#expire(member.id, due), Math.max(0, due - Date.now()));
    timer.unref();
    member.timer = timer;
  }

  #expire(id: string, due: number): void {
    const member = this.model.get(id);
    if (member) member.timer = null;
    // The timer waited until `due`; clocks may disagree by a millisecond, so trust the timer.
    const ended = this.model.expire(id, Math.max(Date.now(), due));
    if (ended) this.events.ended(ended, 'grace');
  }

  async relay(sender: Member, to: string, message: SignalMessage): Promise<RelayOutcome> {
    const route = this.model.route(sender, to);
    if (route.kind === 'refuse') return route.code;
    if (route.kind === 'deliver') {
      route.conn.emit('signal', message);
      return 'delivered';
    }
    return this.model.hold(route.member, message) ? 'held' : 'dropped';
  }

  async setMedia(member: Member, media: MediaState): Promise<void> {
    this.model.setMedia(member, media);
  }

  async roomState(room: string): Promise<RoomStateView | null> {
    return this.model.roomState(room);
  }

  async isHost(member: Member): Promise<boolean> {
    return this.model.isHost(member);
  }

  async setPasscode(actor: Member, record: PasscodeRecord | null): Promise<ModerationRefusal | null> {
    return this.model.setPasscode(actor, record);
  }

  async setLocked(actor: Member, locked: boolean): Promise<ModerationRefusal | null> {
    return this.model.setLocked(actor, locked);
  }

  async remove(actor: Member, id: string): Promise<{ ok: false; code: ModerationRefusal } | { ok: true; ended: Ended; socketId: string | null }> {
    const target = this.model.get(id);
    if (target?.timer) clearTimeout(target.timer);
    const result = this.model.remove(actor, id, Date.now());
    if (!result.ok) return result;
    return { ok: true, ended: result.ended, socketId: result.conn?.id ?? null };
  }

  async count(room: string): Promise<number> {
    return this.model.count(room);
  }

  clear(): void {
    for (const member of this.model.clear()) if (member.timer) clearTimeout(member.timer);
  }

  async close(): Promise<void> {
    this.clear();
  }
}

