export interface RestartPolicy {
  /** How long a connection may stay `disconnected` before it is restarted (it often heals alone). */
  disconnectedGraceMs: number;
  /** Delay before the first restart of a `failed` connection; doubled per attempt up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: Readonly<RestartPolicy> = Object.freeze({
  disconnectedGraceMs: 3000,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
});

type Unhealthy = 'disconnected' | 'failed';

/**
 * Decides when a connection's ICE is restarted. While the connection is `failed`, or
 * `disconnected` past a grace period, it restarts, then checks again after an exponentially
 * growing delay and restarts again if it has still not recovered. `connected` ends the loop and
 * resets the backoff. Owns at most one timer.
 */
export class RestartScheduler {
  readonly #policy: RestartPolicy;
  readonly #restart: () => void;
  readonly #currentState: () => RTCPeerConnectionState;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #waitingFor: Unhealthy | 'retry' | null = null;
  #attempts = 0;
  #disposed = false;

  constructor(restart: () => void, currentState: () => RTCPeerConnectionState, policy: RestartPolicy = DEFAULT_RESTART_POLICY) {
    this.#restart = restart;
    this.#currentState = currentState;
    this.#policy = policy;
  }

  /** Restarts made since the connection was last connected. */
  get attempts(): number {
    return this.#attempts;
  }

  get pending(): boolean {
    return this.#timer !== null;
  }

  onState(state: RTCPeerConnectionState): void {
    if (this.#disposed) return;
    if (state === 'connected' || state === 'closed') {
      this.#attempts = 0;
      this.#cancel();
    } else if (state === 'failed') {
      // A failure overrides the grace period of a disconnection; an ongoing retry loop keeps its pace.
      if (this.#waitingFor === 'failed' || this.#waitingFor === 'retry') return;
      this.#cancel();
      this.#arm('failed', this.#backoff());
    } else if (state === 'disconnected') {
      if (this.#timer === null) this.#arm('disconnected', this.#policy.disconnectedGraceMs);
    }
  }

  dispose(): void {
    this.#disposed = true;
    this.#cancel();
  }

  #backoff(): number {
    return Math.min(this.#policy.maxDelayMs, this.#policy.baseDelayMs * 2 ** this.#attempts);
  }

  #arm(reason: Unhealthy | 'retry', delayMs: number): void {
    this.#waitingFor = reason;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#waitingFor = null;
      if (this.#disposed) return;
      const state = this.#currentState();
      if (state !== 'failed' && state !== 'disconnected') return;
      this.#attempts += 1;
      this.#restart();
      this.#arm('retry', this.#backoff());
    }, delayMs);
  }

  #cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#waitingFor = null;
  }
}
