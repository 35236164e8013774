import type { SignalRequest } from '@meshmeet/protocol/checks';
import { Outbox } from './Outbox.ts';
import type { OutgoingSignal } from './PeerLink.ts';

/**
 * Where a link's outgoing signal goes: straight to the channel while the mesh is in the room
 * with a working channel and the peer is confirmed, into the outbox otherwise; and out of the
 * outbox as soon as that changes.
 */
export class SignalRouter {
  readonly #outbox = new Outbox();
  readonly #deliver: (message: SignalRequest) => void;
  readonly #isConfirmed: (peerId: string) => boolean;
  readonly #isKnown: (peerId: string) => boolean;
  #online = false;

  constructor(deliver: (message: SignalRequest) => void, isConfirmed: (peerId: string) => boolean, isKnown: (peerId: string) => boolean) {
    this.#deliver = deliver;
    this.#isConfirmed = isConfirmed;
    this.#isKnown = isKnown;
  }

  get online(): boolean {
    return this.#online;
  }

  setOnline(online: boolean): void {
    this.#online = online;
    if (online) this.flush();
  }

  send(to: string, signal: OutgoingSignal): void {
    if (this.#online && this.#isConfirmed(to)) this.#deliver({ to, ...signal });
    else this.#outbox.hold(to, signal);
  }

  /** Sends what waited for peers now confirmed; drops what waited for peers gone. */
  flush(): void {
    if (!this.#online || this.#outbox.size === 0) return;
    this.#outbox.flush(this.#isConfirmed, (to) => !this.#isKnown(to), (to, signal) => this.#deliver({ to, ...signal }));
  }

  drop(peerId?: string): void {
    this.#outbox.drop(peerId);
  }
}
