import { LINK_CHANNEL, parseLinkMessage, type LinkMessage } from '@meshmeet/protocol/checks';
import { Emitter } from './emitter.ts';
import type { LogContext, Logger } from './logger.ts';

export interface LinkChannelEvents {
  open: () => void;
  message: (message: LinkMessage) => void;
}

/** Larger incoming messages are dropped unread (a chat message with its envelope is far below). */
const MAX_INCOMING_CHARS = 16 * 1024;
/** A peer may send this many messages per second on average, in bursts of BURST; the rest are dropped. */
const RATE = 20;
const BURST = 60;

/**
 * The data channel of one link (chat, hands, reactions): negotiated in the first offer with a
 * fixed id, so both sides create it themselves and no in-band handshake is needed. Incoming
 * messages are size-checked, rate-limited and validated before anyone sees them.
 */
export class LinkChannel extends Emitter<LinkChannelEvents> {
  readonly #channel: RTCDataChannel;
  readonly #log: Logger;
  readonly #context: LogContext;
  #tokens = BURST;
  #refilledAt = Date.now();

  constructor(pc: RTCPeerConnection, log: Logger, context: LogContext) {
    super((error) => log.error('link channel listener threw', { ...context, error }));
    this.#log = log;
    this.#context = context;
    this.#channel = pc.createDataChannel(LINK_CHANNEL.label, { negotiated: true, id: LINK_CHANNEL.id, ordered: true });
    this.#channel.addEventListener('open', () => this.emit('open'));
    this.#channel.addEventListener('message', (event) => this.#onMessage((event as MessageEvent).data));
  }

  get open(): boolean {
    return this.#channel.readyState === 'open';
  }

  /** Sends when open; false (nothing sent) otherwise. */
  send(message: LinkMessage): boolean {
    if (!this.open) return false;
    try {
      this.#channel.send(JSON.stringify(message));
      return true;
    } catch (error) {
      this.#log.debug('data channel send failed', { ...this.#context, error });
      return false;
    }
  }

  close(): void {
    this.clear();
    try {
      this.#channel.close();
    } catch {
      // already closed with its connection
    }
  }

  #onMessage(data: unknown): void {
    if (typeof data !== 'string' || data.length > MAX_INCOMING_CHARS || !this.#admit()) {
      this.#log.debug('data channel message dropped', { ...this.#context, reason: typeof data !== 'string' ? 'binary' : 'size or rate' });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      this.#log.debug('data channel message dropped', { ...this.#context, reason: 'not JSON' });
      return;
    }
    const message = parseLinkMessage(parsed);
    if (!message.success) {
      // Unknown kinds are how newer peers extend this: ignored, not an error.
      this.#log.debug('data channel message dropped', { ...this.#context, reason: 'invalid' });
      return;
    }
    this.emit('message', message.data);
  }

  #admit(): boolean {
    const now = Date.now();
    this.#tokens = Math.min(BURST, this.#tokens + ((now - this.#refilledAt) / 1000) * RATE);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** Whether an offer carries the link's data channel (an application m-section). */
export function offersDataChannel(sdp: string): boolean {
  return /^m=application /m.test(sdp);
}
