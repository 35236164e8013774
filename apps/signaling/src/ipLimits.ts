/**
 * The two per-address tables behind the abuse limits, free of socket.io so that they can be
 * tested alone. Keys come from `ipKey`. A limit of 0 turns that limit off.
 */

/** Most addresses a rate table remembers; past it the least recently seen are forgotten first. */
export const MAX_TRACKED_ADDRESSES = 100_000;

/**
 * Open connections per address. An entry exists only while its count is above zero, so the
 * table never holds more entries than there are open connections.
 */
export class OpenCounts {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Takes a slot for `key`; false (and nothing changes) when it already holds `max`. */
  acquire(key: string): boolean {
    const count = this.open.get(key) ?? 0;
    if (this.max > 0 && count >= this.max) return false;
    this.open.set(key, count + 1);
    return true;
  }

  /** Counts one more for `key` whatever the limit (for connections that exist already). */
  add(key: string): void {
    this.open.set(key, (this.open.get(key) ?? 0) + 1);
  }

  /** Whether `key` is below the limit. */
  below(key: string): boolean {
    return this.max === 0 || this.count(key) < this.max;
  }

  release(key: string): void {
    const count = this.open.get(key) ?? 0;
    if (count <= 1) this.open.delete(key);
    else this.open.set(key, count - 1);
  }

  count(key: string): number {
    return this.open.get(key) ?? 0;
  }

  get size(): number {
    return this.open.size;
  }
}

interface Bucket {
  tokens: number;
  last: number;
}

/**
 * Joins per minute per address: a token bucket of `perMinute` tokens refilled at `perMinute`
 * a minute, so a burst of a whole minute's joins passes (a NAT full of people rejoining after a
 * server restart) and then one every 60/perMinute seconds. A refused join costs nothing.
 *
 * Memory is bounded: the map is kept in least-recently-used order (touching an entry moves it
 * to the end), each call drops up to two entries at the front whose bucket has refilled (they
 * are indistinguishable from a new address), and at `capacity` the front is cut back to 90%,
 * the oldest first. An address forgotten that way starts again with a full bucket; that is the
 * price of a bound when more than `capacity` addresses join within a minute.
 */
export class JoinRate {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly perMinute: number,
    readonly capacity: number = MAX_TRACKED_ADDRESSES,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** True (and one token is spent) when `key` may join at `now` (ms, monotonic). */
  take(key: string, now: number): boolean {
    if (this.perMinute === 0) return true;
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key);
      bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.last) * this.perMs);
      bucket.last = now;
    } else {
      bucket = { tokens: this.perMinute, last: now };
    }
    // Before the entry goes back in at the end, so that the sweep never drops the one in hand.
    this.expire(now);
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.buckets.size;
  }

  private full(bucket: Bucket, now: number): boolean {
    return bucket.tokens + (now - bucket.last) * this.perMs >= this.perMinute;
  }

  private expire(now: number): void {
    let checked = 0;
    // Room for the entry about to be added.
    const floor = Math.floor(this.capacity * 0.9) - 1;
    const over = this.buckets.size >= this.capacity;
    for (const [key, bucket] of this.buckets) {
      if (over && this.buckets.size > floor) {
        this.buckets.delete(key);
        continue;
      }
      if (checked++ >= 2 || !this.full(bucket, now)) break;
      this.buckets.delete(key);
    }
  }
}
