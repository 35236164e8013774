/** How long an offerer waits for the answer to its first offer, and how often it re-sends it. */
export interface NegotiationWatchdogOptions {
  timeoutMs: number;
  /** Re-sends before giving up; the failure comes one more `timeoutMs` after the last one. */
  maxResends: number;
}

export const DEFAULT_NEGOTIATION_TIMEOUT_MS = 8000;
export const DEFAULT_NEGOTIATION_RESENDS = 2;

/**
 * Waits for the answer to a link's first offer. A lost offer or answer otherwise leaves the link
 * at 'new' forever: on each timeout it asks for a re-send, and after `maxResends` of them it asks
 * for the link to be given up. Owns at most one timer.
 */
export class NegotiationWatchdog {
  readonly #o: NegotiationWatchdogOptions;
  readonly #onTimeout: (giveUp: boolean) => void;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #resends = 0;
  #done = false;

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

  /** (Re)starts the wait; called once the offer (or its re-send) has gone out. */
  arm(): void {
    if (this.#done || !(this.#o.timeoutMs > 0)) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#done) return;
      const giveUp = this.#resends >= this.#o.maxResends;
      if (!giveUp) this.#resends += 1;
      this.#onTimeout(giveUp);
    }, this.#o.timeoutMs);
  }

  /** The answer came (or the link closed): no more timeouts. */
  settle(): void {
    this.#done = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
