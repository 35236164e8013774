import type { RateLimitConfig } from './config.ts';

export type RateVerdict = 'ok' | 'limited' | 'flooding';

/**
 * A per-socket token bucket. The bucket may run into debt: each message past the burst still
 * costs a token, so a socket that keeps sending while limited digs deeper instead of being
 * forgiven by the next refill, and once the debt passes `floodLimit` it is called a flooder.
 * Two numbers per socket; no timers.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly config: RateLimitConfig,
    now: number,
  ) {
    this.tokens = config.burst;
    this.last = now;
  }

  take(now: number): RateVerdict {
    const { rate, burst, floodLimit } = this.config;
    const elapsed = now - this.last;
    if (elapsed > 0) {
      this.tokens = Math.min(burst, this.tokens + (elapsed * rate) / 1000);
      this.last = now;
    }
    this.tokens -= 1;
    if (this.tokens >= 0) return 'ok';
    return this.tokens < -floodLimit ? 'flooding' : 'limited';
  }
}
