import type { IceCandidate } from '@meshmeet/protocol/checks';
import { toWire } from './CandidateQueue.ts';
import { candidateTransport } from './sdp.ts';

/**
 * The local ICE candidates of one connection on their way out: ICE-TCP ones are left out unless
 * asked for (the same rule filters the remote ones), and those of the current ICE generation
 * (since our last offer or answer was created) are remembered, so that a repeated description
 * can carry them again.
 */
export class LocalCandidates {
  readonly #send: (candidate: IceCandidate | null) => void;
  readonly #tcp: boolean | undefined;
  /** Sent since the current local description, for re-sending with a repeated description. */
  #sent: Array<IceCandidate | null> | null = [];

  constructor(send: (candidate: IceCandidate | null) => void, tcpCandidates: boolean | undefined) {
    this.#send = send;
    this.#tcp = tcpCandidates;
  }

  /** Whether a candidate line, local or remote, is left out (ICE-TCP unless asked for). */
  drops(candidate: string | undefined): boolean {
    return candidate !== undefined && candidate !== '' && !this.#tcp && candidateTransport(candidate) === 'tcp';
  }

  send(candidate: RTCIceCandidate | null): void {
    const wire = toWire(candidate);
    this.#sent?.push(wire);
    this.#send(wire);
  }

  resend(): void {
    for (const candidate of this.#sent ?? []) this.#send(candidate);
  }

  /** A new local description (offer or answer) is being made: its candidates start afresh. */
  startGeneration(): void {
    if (this.#sent) this.#sent = [];
  }

  /** The connection is closed: remember nothing more. */
  forget(): void {
    this.#sent = null;
  }
}
