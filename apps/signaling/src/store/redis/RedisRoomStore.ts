import type { MediaState, ResumeOutcome, SignalMessage } from '@meshmeet/protocol';
import type { Ended, JoinInput, JoinRefusal, ModerationRefusal, RoomStateView } from '@meshmeet/protocol/rooms';
import type { Logger } from '../../logger.ts';
import type { AppServer } from '../../server.ts';
import type { AppSocket, Member, PasscodeRecord } from '../../session.ts';
import { StoreUnavailableError, type RelayOutcome, type RoomStore, type StoreEvents, type StoreJoin } from '../RoomStore.ts';
import { decodePasscode, encodePasscode, memberBody, peerFromBody } from './memberRecord.ts';
import type { RedisConnection } from './RedisConnection.ts';
import type { ChannelSignal } from './channelPayload.ts';
import { FastRelay } from './fastRelay.ts';
import { ROUTE, type RouteReply } from './routeScript.ts';
import { AWAY, DRAIN, HOST, JOIN, LEAVE, MEDIA, RESTORE, SWEEP } from './scripts.ts';

export interface RedisRoomStoreOptions {
  conn: RedisConnection;
  io: AppServer;
  nodeId: string;
  prefix: string;
  graceMs: number;
  maxPeersPerRoom: number;
  newId(): string;
  verifyPasscode(record: PasscodeRecord, given: string): boolean;
  events: StoreEvents;
  log: Logger;
  maxHeld?: number;
  /** How often this node beats and sweeps (ms). */
  sweepMs?: number;
  /** A node silent this long is dead: its members become away (ms). */
  deadAfterMs?: number;
  /**
   * Grace of a dead node's members, from its last beat (ms; capped by graceMs). Shorter than the
   * resume grace so that they are gone within 15 s of the death even when sweeps run late; their
   * clients reconnect through the balancer within a few seconds.
   */
  deadNodeGraceMs?: number;
  /** This node's signal channel: registers the handler of what other nodes route here. */
  onSignal(handler: (payload: string) => void): void;
  /** Whether this node's channel is subscribed (ready() waits for it). */
  channelReady(): boolean;
}

type EndedReply = [string, string, number, number];

/**
 * The rooms of every node, in Redis (see scripts.ts for the keys and the rules). This node keeps
 * only its own connected members, to answer for their sockets; every decision is a script.
 */
export class RedisRoomStore implements RoomStore {
  readonly #o: Required<RedisRoomStoreOptions>;
  readonly #local = new Map<string, Member>();
  /** Members whose end or departure could not be written (Redis was away); written on reconnection. */
  readonly #unrecorded = new Map<string, { member: Member; leaving: boolean }>();
  /** Joins whose answer never came (Redis timed out): they may have happened, for a client that was refused. */
  #doubtful: Array<{ room: string; binding: string; freshId: string; claim: string | null }> = [];
  /** Each sender's signals go out in the order they came, whatever Redis round trips they need. */
  readonly #relayTail = new WeakMap<Member, Promise<unknown>>();
  /** Signals to members on other nodes straight from a cache of their bindings, checked where they land. */
  readonly #fast: FastRelay;
  #away = 0;
  #sweeping = false;
  #sweptAt = -Infinity;
  #timer: NodeJS.Timeout | null = null;
  /** After a reconnection the other nodes get this long to beat again before anyone is reaped. */
  #reapAfter = 0;
  readonly gauges = {
    rooms: () => new Set([...this.#local.values()].map((m) => m.room)).size,
    participants: () => this.#local.size,
    away: () => this.#away,
  };

  constructor(options: RedisRoomStoreOptions) {
    this.#o = { maxHeld: 64, sweepMs: 500, deadAfterMs: 3_000, deadNodeGraceMs: 11_000, ...options };
    this.#timer = setInterval(() => void this.#sweep(), this.#o.sweepMs);
    this.#timer.unref();
    this.#fast = new FastRelay({
      nodeId: options.nodeId,
      prefix: options.prefix,
      io: options.io,
      log: options.log,
      publish: (channel, payload) => options.conn.command('publish', (c) => c.publish(channel, payload)),
      reroute: (signal, message) => this.#reroute(signal, message),
    });
    options.onSignal((payload) => this.#fast.arrived(payload));
    // Before the room's peer-left, on the same adapter stream: a sender never sees a leave and then signals into the old binding.
    options.io.on('ended', ({ room, id }) => this.#fast.cache.ended(room, id));
    let first = true;
    options.conn.onReady(() => {
      this.#reapAfter = Date.now() + 2 * this.#o.deadAfterMs;
      if (!first) void this.#restore();
      first = false;
    });
  }

  /** Redis answers: connected, and this node's last sweep (every 500 ms) went through within 2 s. */
  ready(): boolean {
    return this.#o.conn.ready && this.#o.channelReady() && performance.now() - this.#sweptAt < 4 * this.#o.sweepMs;
  }

  get graceMs(): number {
    return this.#o.graceMs;
  }

  #binding(m: Member): string {
    return `${this.#o.nodeId}|${m.conn?.id ?? ''}`;
  }

  #script(op: string, source: string, args: Array<string | number>): Promise<unknown> {
    return this.#o.conn.script(op, source, [this.#o.prefix, ...args]);
  }

  async join(input: JoinInput<AppSocket>): Promise<StoreJoin> {
    if (input.current) return { ok: false, code: 'ALREADY_JOINED' };
    const claim = input.resume === null ? '' : input.resume === 'invalid' ? '-' : input.resume.peerId;
    const draft: Member = {
      id: '',
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
    let checkedVersion = '';
    let verdict = '0';
    // At most twice: the second run carries the passcode verdict for the gate version it was checked against.
    for (let attempt = 0; attempt < 3; attempt++) {
      const freshId = this.#o.newId();
      let reply: unknown[];
      try {
        reply = (await this.#script('join', JOIN, [
          input.room, this.#o.nodeId, input.conn.id, claim, freshId, memberBody(draft), input.credentialExpiresAt,
          input.requireCredential ? 1 : 0, input.host ? 1 : 0, input.passcode !== undefined ? 1 : 0, checkedVersion, verdict, this.#o.maxPeersPerRoom,
        ])) as unknown[];
      } catch (error) {
        // A timed-out script may still run once Redis wakes up: undo it then (see #recordUnrecorded).
        this.#doubtful.push({ room: input.room, binding: `${this.#o.nodeId}|${input.conn.id}`, freshId, claim: claim.length > 1 ? claim : null });
        throw error;
      }
      if (reply[0] === 'REFUSED') return { ok: false, code: reply[1] as JoinRefusal };
      if (reply[0] === 'VERIFY') {
        checkedVersion = String(reply[2]);
        verdict = input.passcode !== undefined && this.#o.verifyPasscode(decodePasscode(String(reply[1])), input.passcode) ? '1' : '0';
        continue;
      }
      const [, id, resumed, takeover, hostChanged, members, state, held, roster] = reply as [string, string, string, string, number, number, [string, string, string], string[], string[]];
      const member: Member = { ...draft, id };
      this.#local.set(id, member);
      const peers = [];
      for (let i = 0; i < roster.length; i += 2) peers.push(peerFromBody(roster[i]!, roster[i + 1]!, input.revision));
      return {
        ok: true,
        member,
        resumed: resumed === '' ? null : (resumed as ResumeOutcome),
        peers,
        takeover: takeover === '' ? null : takeover,
        held: held.map((text) => JSON.parse(text) as SignalMessage),
        hostChanged: hostChanged === 1,
        roomState: toRoomState(state),
        members,
      };
    }
    throw new StoreUnavailableError(new Error('the room gate kept changing during the join'));
  }

  async leave(member: Member): Promise<Ended | null> {
    this.#forget(member);
    try {
      return this.#tell(toEnded((await this.#script('leave', LEAVE, [member.room, member.id, this.#binding(member)])) as EndedReply | null));
    } catch (error) {
      this.#unrecorded.set(member.id, { member, leaving: true });
      throw error;
    }
  }

  async goAway(member: Member, lastHeardAt: number): Promise<void> {
    this.#forget(member);
    try {
      await this.#markAway(member, lastHeardAt);
    } catch (error) {
      this.#unrecorded.set(member.id, { member, leaving: false });
      throw error;
    }
  }

  /** -1: Redis does not know the member (it lost it); 0: another socket holds it now. */
  async #markAway(member: Member, lastHeardAt: number): Promise<number> {
    return Number(await this.#script('away', AWAY, [member.room, member.id, this.#binding(member), Math.max(0, Date.now() - lastHeardAt), this.#o.graceMs]));
  }

  /**
   * Ends and departures that happened while Redis was unreachable, written now. A member Redis
   * lost meanwhile (a restart without persistence) is gone: the room is told, so nobody keeps a
   * ghost; if it comes back, its credential restores it as a newcomer would be announced.
   */
  async #recordUnrecorded(): Promise<void> {
    for (const join of this.#doubtful.splice(0)) {
      // A fresh id was never told to anyone: end it. A resumed one waits, away, for the client's next try.
      const ended = toEnded((await this.#script('leave', LEAVE, [join.room, join.freshId, join.binding])) as EndedReply | null);
      if (ended) this.#o.events.ended(this.#tell(ended), 'grace');
      const socketId = join.binding.slice(join.binding.indexOf('|') + 1);
      if (join.claim && this.#local.get(join.claim)?.conn?.id !== socketId) {
        await this.#script('away', AWAY, [join.room, join.claim, join.binding, 0, this.#o.graceMs]);
      }
    }
    for (const [id, { member, leaving }] of this.#unrecorded) {
      this.#unrecorded.delete(id);
      const outcome = leaving ? await this.leave(member).then((ended) => ended ?? -1) : await this.#markAway(member, Date.now());
      if (outcome === -1) this.#o.events.ended(this.#tell({ id, room: member.room, droppedHeld: 0 }), 'grace');
      else if (typeof outcome !== 'number') this.#o.events.ended(outcome, 'grace');
    }
  }

  /** A membership ended: this node's cache and the other nodes' hear it before anyone is told. */
  #tell<T extends Ended | null>(ended: T): T {
    if (!ended) return ended;
    this.#fast.cache.ended(ended.room, ended.id);
    this.#o.io.serverSideEmit('ended', { room: ended.room, id: ended.id });
    return ended;
  }

  #forget(member: Member): void {
    if (this.#local.get(member.id) === member) this.#local.delete(member.id);
  }

  relay(sender: Member, to: string, message: SignalMessage): Promise<RelayOutcome> {
    const previous = this.#relayTail.get(sender);
    const run = previous ? previous.then(() => this.#relay(sender, to, message)) : this.#relay(sender, to, message);
    const tail = run.catch(() => undefined);
    this.#relayTail.set(sender, tail);
    return run;
  }

  async #relay(sender: Member, to: string, message: SignalMessage): Promise<RelayOutcome> {
    if (to === sender.id) return 'UNKNOWN_PEER';
    const text = JSON.stringify(message);
    const binding = this.#binding(sender);
    // The cache only for a sender this node holds now (and has not heard ended, say removed by the
    // host on another node): this node's own state vouches for the sender where the signal lands.
    const current = this.#local.get(sender.id) === sender && sender.conn?.connected === true && !this.#fast.cache.hasEnded(sender.room, sender.id);
    let reply: RouteReply;
    try {
      if (current && (await this.#fast.send(sender.room, binding, to, text))) return 'delivered';
      reply = await this.#route(sender.room, to, sender.id, binding, '', text);
    } catch (error) {
      // Redis is away: two members on this very node can still reach each other.
      const local = this.#local.get(to);
      if (local?.room !== sender.room || !local.conn) throw error;
      local.conn.emit('signal', message);
      return 'delivered';
    }
    this.#fast.learned(sender.room, to, reply);
    return this.#taken(reply, sender.room, to, message, text);
  }

  #route(room: string, to: string, sender: string, senderBinding: string, gone: string, text: string): Promise<RouteReply> {
    return this.#script('relay', ROUTE, [room, to, sender, senderBinding, gone, this.#o.nodeId, this.#o.maxHeld, this.#o.graceMs, text]) as Promise<RouteReply>;
  }

  /** What the route script did, and the local delivery it left to this node. */
  async #taken(reply: RouteReply, room: string, to: string, message: SignalMessage, text: string, again = true): Promise<RelayOutcome> {
    switch (reply[0]) {
      case 'NOT_IN_ROOM':
        return 'NOT_IN_ROOM';
      case 'UNKNOWN':
        return 'UNKNOWN_PEER';
      case 'FULL':
        return 'dropped';
      case 'HELD':
        return 'held';
      case 'SENT':
        return 'delivered';
      case 'LOCAL': {
        const socket = this.#o.io.sockets.sockets.get(reply[1]);
        if (socket) {
          socket.emit('signal', message);
          return 'delivered';
        }
        // Its socket has just gone and Redis does not know yet: held for its resume, not lost.
        if (!again) return 'dropped';
        return this.#taken(await this.#route(room, to, '', '', `${this.#o.nodeId}|${reply[1]}`, text), room, to, message, text, false);
      }
    }
  }

  /** A signal for a socket of this node that its own state could not take: Redis decides (see fastRelay.ts). */
  async #reroute(signal: ChannelSignal, message: SignalMessage): Promise<void> {
    const gone = `${this.#o.nodeId}|${signal.socketId}`;
    const [sender, senderBinding] = signal.via === '' ? ['', ''] : [message.from, signal.via];
    try {
      const reply = await this.#route(signal.room, signal.to, sender, senderBinding, gone, signal.text);
      await this.#taken(reply, signal.room, signal.to, message, signal.text, false);
    } catch (error) {
      this.#o.log.debug('a routed signal could not be held', { room: signal.room, to: signal.to, error: (error as Error).message });
    }
  }

  async setMedia(member: Member, media: MediaState): Promise<void> {
    member.media = media;
    await this.#script('media', MEDIA, [member.room, member.id, this.#binding(member), memberBody(member)]);
  }

  async roomState(room: string): Promise<RoomStateView | null> {
    const [host, locked, pc] = await this.#o.conn.command('room-state', (c) => c.hmget(`${this.#o.prefix}g:${room}`, 'host', 'locked', 'pc'));
    return host === null || host === undefined ? null : toRoomState([host, locked ?? '0', pc ? '1' : '0']);
  }

  async isHost(member: Member): Promise<boolean> {
    return (await this.#o.conn.command('room-state', (c) => c.hget(`${this.#o.prefix}g:${member.room}`, 'host'))) === member.id;
  }

  async setPasscode(actor: Member, record: PasscodeRecord | null): Promise<ModerationRefusal | null> {
    return this.#control(actor, 'pc', record === null ? '' : encodePasscode(record));
  }

  async setLocked(actor: Member, locked: boolean): Promise<ModerationRefusal | null> {
    return this.#control(actor, 'locked', locked ? '1' : '0');
  }

  async #control(actor: Member, what: 'pc' | 'locked', value: string): Promise<ModerationRefusal | null> {
    const reply = (await this.#script('host', HOST, [actor.room, actor.id, this.#binding(actor), what, value])) as string[];
    return reply[0] === 'OK' ? null : (reply[1] as ModerationRefusal);
  }

  async remove(actor: Member, id: string): Promise<{ ok: false; code: ModerationRefusal } | { ok: true; ended: Ended; socketId: string | null }> {
    const reply = (await this.#script('host', HOST, [actor.room, actor.id, this.#binding(actor), 'remove', id])) as [string, string, EndedReply | null];
    if (reply[0] !== 'OK') return { ok: false, code: reply[1] as ModerationRefusal };
    const ended = this.#tell(toEnded(reply[2]));
    if (!ended) return { ok: false, code: 'UNKNOWN_PEER' };
    const local = this.#local.get(id);
    if (local) this.#forget(local);
    return { ok: true, ended, socketId: reply[1] === '' ? null : reply[1] };
  }

  async count(room: string): Promise<number> {
    return this.#o.conn.command('count', (c) => c.hlen(`${this.#o.prefix}r:${room}`));
  }

  /** Beats, releases dead nodes' members, ends expired ones; every node does it, the scripts make it safe. */
  async #sweep(): Promise<void> {
    if (this.#sweeping || !this.#o.conn.ready) return;
    this.#sweeping = true;
    try {
      // A hung Redis (not a dropped connection) comes back without a reconnection: write what waited.
      if (this.#unrecorded.size > 0 || this.#doubtful.length > 0) await this.#recordUnrecorded();
      const deadAfter = Date.now() < this.#reapAfter ? Number.MAX_SAFE_INTEGER / 2 : this.#o.deadAfterMs;
      const [ended, away] = (await this.#script('sweep', SWEEP, [this.#o.nodeId, Math.min(this.#o.graceMs, this.#o.deadNodeGraceMs), deadAfter])) as [EndedReply[], number];
      this.#away = away;
      this.#sweptAt = performance.now();
      for (const reply of ended) {
        const one = this.#tell(toEnded(reply));
        if (one) this.#o.events.ended(one, 'grace');
      }
      this.#fast.cache.keepOnly(new Set([...this.#local.values()].map((m) => m.room)));
    } catch (error) {
      this.#o.log.debug('sweep failed', { error: (error as Error).message });
    } finally {
      this.#sweeping = false;
    }
  }

  /** Redis is back: writes back what it lost of this node's members, releases those whose socket went meanwhile. */
  async #restore(): Promise<void> {
    const args: Array<string | number> = [this.#o.nodeId, this.#o.graceMs];
    for (const m of this.#local.values()) {
      if (!m.conn?.connected) continue;
      args.push(m.id, m.room, this.#binding(m), `${m.credentialExpiresAt}|${memberBody(m)}`);
    }
    try {
      await this.#recordUnrecorded();
      const [restored, released, rebound] = (await this.#script('restore', RESTORE, args)) as [number, number, Array<[string, string[]]>];
      for (const [id, held] of rebound) for (const text of held) this.#local.get(id)?.conn?.emit('signal', JSON.parse(text) as SignalMessage);
      this.#o.log.info('room store restored after a redis outage', { restored, released, rebound: rebound.length });
    } catch (error) {
      this.#o.log.warn('room store restore failed; will retry on the next reconnection', { error: (error as Error).message });
    }
  }

  clear(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#local.clear();
    // Silently away now (grace from now), so that the room waits for their resumes on other nodes.
    this.#script('drain', DRAIN, [this.#o.nodeId, this.#o.graceMs]).catch((error: unknown) => {
      this.#o.log.warn('could not hand this node\'s members over on drain; they are reaped as a dead node\'s', { error: (error as Error).message });
    });
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

function toRoomState([host, locked, pc]: [string, string, string]): RoomStateView {
  return { hostId: host === '' ? null : host, locked: locked === '1', passcode: pc === '1' };
}

function toEnded(reply: EndedReply | null): Ended | null {
  if (!reply) return null;
  const ended: Ended = { id: reply[0], room: reply[1], droppedHeld: Number(reply[2]) };
  if (Number(reply[3]) === 1) ended.hostChanged = true;
  return ended;
}
