import { checkChatText, LIMITS, REACTIONS, type LinkMessage } from '@meshmeet/protocol/checks';
import { MeshError } from './errors.ts';
import type { Participant } from './Participant.ts';
import type { ChatMessage, MeshEvents } from './types.ts';

/** Our own sending rate: this many chat messages per window. */
const CHAT_BURST = 5;
const CHAT_WINDOW_MS = 2000;

export interface InCallHost {
  selfId: () => string | null;
  /** Every participant whose link has an open data channel. */
  openLinks: () => Array<{ participant: Participant; send: (message: LinkMessage) => boolean }>;
  emit: <E extends 'messageReceived' | 'handChanged' | 'reactionReceived'>(event: E, ...args: Parameters<MeshEvents[E]>) => void;
}

function newId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * What people do in a call besides talking, peer to peer over the links' data channels: chat
 * (bounded, rate-limited, with a short history that newcomers receive), raised hands (state a
 * newcomer learns) and reactions. The sender of a live message is the link it came on; only
 * history names its author.
 */
export class InCall {
  readonly #h: InCallHost;
  readonly #messages: ChatMessage[] = [];
  readonly #seen = new Set<string>();
  #sentAt: number[] = [];
  #handRaisedAt: number | null = null;

  constructor(host: InCallHost) {
    this.#h = host;
  }

  get messages(): readonly ChatMessage[] {
    return this.#messages;
  }

  get handRaisedAt(): number | null {
    return this.#handRaisedAt;
  }

  sendMessage(text: string): ChatMessage {
    const self = this.#h.selfId();
    if (self === null) throw new MeshError('NOT_IN_ROOM', 'join a room before sending messages');
    const checked = checkChatText(text);
    if (!checked.success) throw new MeshError('INVALID_ARGUMENT', checked.error.issues[0]?.message ?? 'invalid message');
    const now = Date.now();
    this.#sentAt = this.#sentAt.filter((t) => now - t < CHAT_WINDOW_MS);
    if (this.#sentAt.length >= CHAT_BURST) throw new MeshError('RATE_LIMITED', `at most ${CHAT_BURST} messages per ${CHAT_WINDOW_MS / 1000} s`);
    this.#sentAt.push(now);
    const message: ChatMessage = { id: newId(), from: self, text, sentAt: now };
    for (const link of this.#h.openLinks()) link.send({ t: 'chat', id: message.id, text, sentAt: now });
    this.#remember(message);
    return message;
  }

  setHandRaised(up: boolean): void {
    const self = this.#h.selfId();
    if (self === null) throw new MeshError('NOT_IN_ROOM', 'join a room first');
    if ((this.#handRaisedAt !== null) === up) return;
    this.#handRaisedAt = up ? Date.now() : null;
    for (const link of this.#h.openLinks()) link.send({ t: 'hand', raisedAt: this.#handRaisedAt });
    this.#h.emit('handChanged', { peerId: self, raisedAt: this.#handRaisedAt });
  }

  react(emoji: string): void {
    const self = this.#h.selfId();
    if (self === null) throw new MeshError('NOT_IN_ROOM', 'join a room first');
    if (!(REACTIONS as readonly string[]).includes(emoji)) throw new MeshError('INVALID_ARGUMENT', `reactions are ${REACTIONS.join(' ')}`);
    for (const link of this.#h.openLinks()) link.send({ t: 'react', emoji: emoji as (typeof REACTIONS)[number] });
    this.#h.emit('reactionReceived', { peerId: self, emoji });
  }

  /** A link's channel opened: hand the peer our history and our hand. */
  onOpen(send: (message: LinkMessage) => boolean): void {
    for (const m of this.#messages) send({ t: 'chat', id: m.id, text: m.text, sentAt: m.sentAt, from: m.from });
    if (this.#handRaisedAt !== null) send({ t: 'hand', raisedAt: this.#handRaisedAt });
  }

  onMessage(participant: Participant, message: LinkMessage): void {
    if (message.t === 'chat') {
      this.#remember({ id: message.id, from: message.from ?? participant.id, text: message.text, sentAt: message.sentAt });
    } else if (message.t === 'hand') {
      if (participant.handRaisedAt === message.raisedAt) return;
      participant.handRaisedAt = message.raisedAt;
      this.#h.emit('handChanged', { peerId: participant.id, raisedAt: message.raisedAt });
    } else if (message.t === 'react') {
      this.#h.emit('reactionReceived', { peerId: participant.id, emoji: message.emoji });
    }
  }

  /** A participant left: its hand goes down with it. */
  onLeft(participant: Participant): void {
    if (participant.handRaisedAt === null) return;
    participant.handRaisedAt = null;
    this.#h.emit('handChanged', { peerId: participant.id, raisedAt: null });
  }

  /** We left the room: the next one starts empty. */
  reset(): void {
    this.#messages.length = 0;
    this.#seen.clear();
    this.#handRaisedAt = null;
    this.#sentAt = [];
  }

  #remember(message: ChatMessage): void {
    if (this.#seen.has(message.id)) return;
    this.#seen.add(message.id);
    // History arrives out of order from several peers: keep the list in sending order.
    let at = this.#messages.length;
    while (at > 0 && this.#messages[at - 1]!.sentAt > message.sentAt) at--;
    this.#messages.splice(at, 0, message);
    if (this.#messages.length > LIMITS.chatHistory) this.#messages.shift();
    this.#h.emit('messageReceived', message);
  }
}
