/**
 * Ids of memberships that ended (leave, deliberate disconnect, kick, grace expiry), remembered
 * until the last credential issued for them expires, so that credential is refused instead of
 * restoring the membership. Bounded: past `max` the oldest is forgotten (its credential would
 * then restore; a trade for bounded memory, documented for operators).
 */
export class Tombstones {
  // Insertion order is end order; with one TTL for all credentials, that is close to expiry order.
  readonly #until = new Map<string, number>();

  constructor(readonly max: number) {}

  get size(): number {
    return this.#until.size;
  }

  add(id: string, until: number, now: number): void {
    this.prune(now);
    if (until <= now) return;
    this.#until.delete(id);
    this.#until.set(id, until);
    while (this.#until.size > this.max) {
      const oldest = this.#until.keys().next();
      if (oldest.done) break;
      this.#until.delete(oldest.value);
    }
  }

  has(id: string, now: number): boolean {
    const until = this.#until.get(id);
    return until !== undefined && until > now;
  }

  /** Drops expired entries from the front; stops at the first live one (amortised O(1)). */
  prune(now: number): void {
    for (const [id, until] of this.#until) {
      if (until > now) return;
      this.#until.delete(id);
    }
  }

  clear(): void {
    this.#until.clear();
  }
}
