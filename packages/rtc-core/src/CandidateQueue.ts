import type { IceCandidate } from '@meshmeet/protocol/checks';

/**
 * Remote candidates of a connection wait here while no remote description is applied, or while
 * one is being applied, and go in right after it.
 */
export class CandidateQueue {
  #pending: Array<IceCandidate | null> = [];

  incoming(candidate: IceCandidate | null, ready: boolean, apply: (candidate: IceCandidate | null) => void): void {
    if (ready) apply(candidate);
    else this.#pending.push(candidate);
  }

  flushIncoming(apply: (candidate: IceCandidate | null) => void): void {
    for (const candidate of this.#pending.splice(0)) apply(candidate);
  }

  clear(): void {
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
