import type { OutgoingSignal } from './PeerLink.ts';

/** Held per peer at most; beyond it the oldest go (old candidates matter least). */
const MAX_PER_PEER = 256;

/**
 * Signals that could not be sent while the signaling channel was down (or while their peer was
 * not yet confirmed after a resume), per peer, in order. They go out once the mesh has resumed.
 */
export class Outbox {
  readonly #held = new Map<string, OutgoingSignal[]>();

  hold(to: string, signal: OutgoingSignal): void {
    let queue = this.#held.get(to);
    if (!queue) {
      queue = [];
      this.#held.set(to, queue);
    }
    queue.push(signal);
    if (queue.length > MAX_PER_PEER) queue.shift();
  }

  /** Sends what is held for each peer `ready` accepts, drops what is held for peers `gone` names. */
  flush(ready: (to: string) => boolean, gone: (to: string) => boolean, send: (to: string, signal: OutgoingSignal) => void): void {
    for (const [to, queue] of [...this.#held]) {
      if (gone(to)) {
        this.#held.delete(to);
      } else if (ready(to)) {
        this.#held.delete(to);
        for (const signal of queue) send(to, signal);
      }
    }
  }

  drop(to?: string): void {
    if (to === undefined) this.#held.clear();
    else this.#held.delete(to);
  }

  get size(): number {
    let n = 0;
    for (const queue of this.#held.values()) n += queue.length;
    return n;
  }
}
