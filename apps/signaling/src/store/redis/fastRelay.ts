import type { SignalMessage } from '@meshmeet/protocol';
import type { Logger } from '../../logger.ts';
import type { AppServer } from '../../server.ts';
import type { AppSocket } from '../../session.ts';
import { BindingCache } from './bindingCache.ts';
import { fastPayload, notePayload, parseChannel, type ChannelNote, type ChannelSignal } from './channelPayload.ts';
import { nodeChannel, type RouteReply } from './routeScript.ts';

export interface FastRelayOptions {
  nodeId: string;
  prefix: string;
  io: AppServer;
  /** PUBLISH on the room store's own connection, so that it stays in order with the route scripts. */
  publish(channel: string, payload: string): Promise<number>;
  /**
   * The route script for a signal this node could not deliver from its own state, with the
   * sender checked when `via` names its binding, and the effect it asks for. It must send its
   * script before it first awaits (the stale note that follows has to reach Redis after it).
   */
  reroute(signal: ChannelSignal, message: SignalMessage): Promise<void>;
  log: Logger;
  /** How long relays to a target wait for a fence before they go through the route script anyway (ms). */
  fenceTimeoutMs?: number;
}

/**
 * Signals between nodes without the route script, where this node already knows the way.
 *
 * Sender side: a target whose binding this node learned from a route reply gets the signal
 * PUBLISHed straight on its node's channel, sender binding attached; only the PUBLISH's count
 * is awaited (a node nobody reads, dead, means the route script instead, which holds the signal).
 * Target side: such a signal is delivered only when this node's own state agrees: the socket is
 * here and holds that very membership, in that room, and the sender is not known to have ended
 * nor known bound elsewhere. Anything else goes to the route script (delivered where the target
 * is now, held for its resume, or dropped as the room rules say) and, for a wrong target, a
 * stale note goes back so the sender's node forgets the binding.
 *
 * Order per sender: the sender's node sends one signal at a time per sender (the store's relay
 * tail), and this node handles the signals for one target in arrival order, a rerouted one
 * blocking those behind it. When a stale note comes back, signals routed through the old node
 * may still be on their way; the sender's node then raises a fence: it asks that node to answer
 * once it has passed on everything it got before, and its relays to that target wait for the
 * answer (or fenceTimeoutMs) before they take the route script.
 */
export class FastRelay {
  readonly cache = new BindingCache();
  readonly #o: Required<FastRelayOptions>;
  /** Per target on this node: the tail of its signals that wait for a reroute. */
  readonly #arrivals = new Map<string, Promise<void>>();
  /** Per target elsewhere (room\nid): a raised fence, and how to lower it. */
  readonly #fences = new Map<string, { done: Promise<void>; lower(): void }>();

  constructor(options: FastRelayOptions) {
    this.#o = { fenceTimeoutMs: 1_000, ...options };
  }

  /** Sends from the cache; false when there is no usable binding (the caller runs the route script). */
  async send(room: string, senderBinding: string, to: string, text: string): Promise<boolean> {
    const fence = this.#fences.get(`${room}\n${to}`);
    if (fence) {
      await fence.done;
      return false;
    }
    const binding = this.cache.binding(room, to);
    if (binding === undefined) return false;
    const bar = binding.indexOf('|');
    const payload = fastPayload(senderBinding, binding.slice(bar + 1), to, room, text);
    if ((await this.#o.publish(nodeChannel(this.#o.prefix, binding.slice(0, bar)), payload)) > 0) return true;
    this.cache.forget(room, to);
    return false;
  }

  /** What a route script run by this node for one of its senders says about the target. */
  learned(room: string, to: string, reply: RouteReply): void {
    if (reply[0] === 'SENT') this.cache.learn(room, to, reply[1]);
    else if (reply[0] === 'UNKNOWN') this.cache.forget(room, to);
  }

  /** A payload off this node's channel. */
  arrived(payload: string): void {
    const parsed = parseChannel(payload);
    if (!parsed) return;
    if ('note' in parsed) return this.#noted(parsed);
    let message: SignalMessage;
    try {
      message = JSON.parse(parsed.text) as SignalMessage;
    } catch {
      return; // not ours to judge: a node checked it before publishing
    }
    const pending = this.#arrivals.get(parsed.to);
    if (!pending) {
      const socket = this.#deliverable(parsed, message);
      if (socket) return void socket.emit('signal', message);
    }
    this.#queue(parsed.to, pending, () => this.#deliverOrReroute(parsed, message));
  }

  #queue(to: string, pending: Promise<void> | undefined, next: () => Promise<void> | void): void {
    const run = pending ? pending.then(next) : Promise.resolve(next());
    const tail = run.catch((error: unknown) => this.#o.log.debug('a routed signal could not be passed on', { to, error: (error as Error).message }));
    this.#arrivals.set(to, tail);
    void tail.then(() => {
      if (this.#arrivals.get(to) === tail) this.#arrivals.delete(to);
    });
  }

  async #deliverOrReroute(signal: ChannelSignal, message: SignalMessage): Promise<void> {
    const socket = this.#deliverable(signal, message);
    if (socket) return void socket.emit('signal', message);
    const targetWrong = signal.via !== '' && !this.#holdsTarget(signal, this.#o.io.sockets.sockets.get(signal.socketId));
    // A sender this node believed elsewhere: Redis decides (the reroute checks the sender), and the belief goes.
    if (signal.via !== '' && !targetWrong) this.cache.forget(signal.room, message.from);
    const rerouted = this.#o.reroute(signal, message);
    if (targetWrong) void this.#note(signal.via.slice(0, signal.via.indexOf('|')), 'stale', signal.room, signal.to);
    await rerouted;
  }

  #deliverable(signal: ChannelSignal, message: SignalMessage): AppSocket | undefined {
    const socket = this.#o.io.sockets.sockets.get(signal.socketId);
    // Routed by the script: it checked room and sender; only the socket may have gone since.
    if (!socket || signal.via === '') return socket;
    if (!this.#holdsTarget(signal, socket)) return undefined;
    const from = message.from;
    if (from === signal.to || this.cache.hasEnded(signal.room, from)) return undefined;
    const known = this.cache.binding(signal.room, from);
    return known === undefined || known === signal.via ? socket : undefined;
  }

  #holdsTarget(signal: ChannelSignal, socket: AppSocket | undefined): boolean {
    const member = socket?.data.session?.member;
    return member?.id === signal.to && member.room === signal.room && member.conn === socket;
  }

  #noted({ note, node, room, id }: ChannelNote): void {
    const key = `${room}\n${id}`;
    if (note === 'stale') {
      this.cache.forget(room, id);
      if (this.#fences.has(key)) return;
      let lower = (): void => undefined;
      const done = new Promise<void>((resolve) => (lower = resolve));
      const timer = setTimeout(lower, this.#o.fenceTimeoutMs);
      this.#fences.set(key, { done, lower });
      void done.then(() => {
        clearTimeout(timer);
        this.#fences.delete(key);
      });
      void this.#note(node, 'fence', room, id);
    } else if (note === 'fence') {
      // After every signal for `id` that reached this node before the fence has been passed on.
      this.#queue(id, this.#arrivals.get(id), () => this.#note(node, 'fenced', room, id));
    } else {
      this.#fences.get(key)?.lower();
    }
  }

  async #note(node: string, note: 'stale' | 'fence' | 'fenced', room: string, id: string): Promise<void> {
    try {
      await this.#o.publish(nodeChannel(this.#o.prefix, node), notePayload(note, this.#o.nodeId, room, id));
    } catch (error) {
      // Without it the sender's node learns later (its fence times out, its binding stays wrong until a reroute).
      this.#o.log.debug('a note to another node could not be sent', { node, note, error: (error as Error).message });
    }
  }
}
