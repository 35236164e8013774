/** How long an offerer waits for the answer to an offer, and how often it re-sends it. */
export interface NegotiationWatchdogOptions {
  timeoutMs: number;
  /** Re-sends before giving up; the give-up comes one more `timeoutMs` after the last one. */
  maxResends: number;
}

export const DEFAULT_NEGOTIATION_TIMEOUT_MS = 8000;
export const DEFAULT_NEGOTIATION_RESENDS = 2;

/**
 * Waits for the answer to each offer of a link, first or not. A lost offer or answer otherwise
 * leaves the link in have-local-offer forever: on each timeout it asks for a re-send, and after
 * `maxResends` of them it asks for the attempt to be given up. While the signaling channel is
 * down it is paused (nothing could be re-sent), and it starts a fresh wait when the channel is
 * back. Owns at most one timer.
 */
export class NegotiationWatchdog {
  readonly #o: NegotiationWatchdogOptions;
  readonly #onTimeout: (giveUp: boolean) => void;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #resends = 0;
  /** An offer is outstanding (armed and not yet settled). */
  #outstanding = false;
  #paused = false;

  constructor(onTimeout: (giveUp: boolean) => void, options: NegotiationWatchdogOptions) {
    this.#onTimeout = onTimeout;
    this.#o = options;
  }

  get pending(): boolean {
    return this.#timer !== null;
  }

  get resends(): number {
    return this.#resends;
  }

  /** A new offer went out: a fresh wait, with the re-send count back at 0. */
  offerSent(): void {
    this.#resends = 0;
    this.#outstanding = true;
    this.#start();
  }

  /** The offer was sent again: wait once more. */
  resent(): void {
    if (this.#outstanding) this.#start();
  }

  /** The answer came, the offer was withdrawn, or the link closed: no more timeouts. */
  settle(): void {
    this.#outstanding = false;
    this.#stop();
  }

  /** The channel is down (true) or back (false; restarts the wait of an outstanding offer). */
  pause(paused: boolean): void {
    this.#paused = paused;
    if (paused) this.#stop();
    else if (this.#outstanding) this.#start();
  }

  #start(): void {
    this.#stop();
    if (this.#paused || !(this.#o.timeoutMs > 0)) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.#outstanding) return;
      const giveUp = this.#resends >= this.#o.maxResends;
      if (!giveUp) this.#resends += 1;
      this.#onTimeout(giveUp);
    }, this.#o.timeoutMs);
  }

  #stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
