import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rateLimit.ts';

const config = { rate: 10, burst: 5, floodLimit: 5 };

describe('TokenBucket', () => {
  it('allows a burst, then limits, then calls a persistent sender a flooder', () => {
    const bucket = new TokenBucket(config, 0);
    const verdicts = Array.from({ length: 12 }, () => bucket.take(0));
    expect(verdicts).toEqual([...Array(5).fill('ok'), ...Array(5).fill('limited'), 'flooding', 'flooding']);
  });

  it('refills at the configured rate, up to the burst', () => {
    const bucket = new TokenBucket(config, 0);
    for (let i = 0; i < 5; i++) bucket.take(0);
    expect(bucket.take(0)).toBe('limited'); // debt of 1
    expect(bucket.take(200)).toBe('ok'); // +2 tokens, -1
    const idle = new TokenBucket(config, 0);
    // A long pause does not bank more than the burst.
    const afterPause = Array.from({ length: 7 }, () => idle.take(60_000));
    expect(afterPause.filter((v) => v === 'ok')).toHaveLength(5);
  });

  it('forgives a limited sender that slows down', () => {
    const bucket = new TokenBucket(config, 0);
    for (let i = 0; i < 9; i++) bucket.take(0);
    expect(bucket.take(0)).toBe('limited');
    expect(bucket.take(1_000)).toBe('ok');
  });
});
