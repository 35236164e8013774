import type { IceCandidate } from '@meshmeet/protocol';

/**
 * The two candidate queues of a connection. Outgoing: candidates gathered while a description is
 * being made wait until it is sent, so they never reach the other side before it. Incoming:
 * candidates wait while no remote description is applied or one is being applied, then go in
 * right after it.
 */
export class CandidateQueues {
  #held: Array<IceCandidate | null> | null = null;
  #pending: Array<IceCandidate | null> = [];

  /** From now until `release`, outgoing candidates are held. */
  hold(): void {
    this.#held ??= [];
  }

  /** Sends the held candidates (after the description that was being made). */
  release(send: (candidate: IceCandidate | null) => void): void {
    const held = this.#held ?? [];
    this.#held = null;
    for (const candidate of held) send(candidate);
  }

  outgoing(candidate: IceCandidate | null, send: (candidate: IceCandidate | null) => void): void {
    if (this.#held) this.#held.push(candidate);
    else send(candidate);
  }

  incoming(candidate: IceCandidate | null, ready: boolean, apply: (candidate: IceCandidate | null) => void): void {
    if (ready) apply(candidate);
    else this.#pending.push(candidate);
  }

  flushIncoming(apply: (candidate: IceCandidate | null) => void): void {
    for (const candidate of this.#pending.splice(0)) apply(candidate);
  }

  clear(): void {
    this.#held = null;
    this.#pending = [];
  }
}

/** An RTCIceCandidate as the wire carries it. */
export function toWire(candidate: RTCIceCandidate | null): IceCandidate | null {
  if (!candidate) return null;
  return {
    candidate: candidate.candidate,
    sdpMid: candidate.sdpMid ?? null,
    sdpMLineIndex: candidate.sdpMLineIndex ?? null,
    usernameFragment: candidate.usernameFragment ?? null,
  };
}
