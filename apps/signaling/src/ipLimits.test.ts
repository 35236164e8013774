import { describe, expect, it } from 'vitest';
import { JoinRate, OpenCounts } from './ipLimits.ts';

describe('OpenCounts', () => {
  it('gives an address at most max slots, and a released slot back', () => {
    const open = new OpenCounts(2);
    expect(open.acquire('a')).toBe(true);
    expect(open.acquire('a')).toBe(true);
    expect(open.acquire('a')).toBe(false);
    expect(open.acquire('b')).toBe(true);
    expect(open.count('a')).toBe(2);
    open.release('a');
    expect(open.acquire('a')).toBe(true);
  });

  it('forgets an address whose last connection closed', () => {
    const open = new OpenCounts(5);
    open.acquire('a');
    open.acquire('a');
    open.release('a');
    open.release('a');
    open.release('a');
    expect(open.size).toBe(0);
    expect(open.count('a')).toBe(0);
  });

  it('counts without limit at 0', () => {
    const open = new OpenCounts(0);
    for (let i = 0; i < 1000; i++) expect(open.acquire('a')).toBe(true);
  });
});

describe('JoinRate', () => {
  it('lets a minute of joins through at once, then one per 60/perMinute seconds', () => {
    const rate = new JoinRate(6);
    for (let i = 0; i < 6; i++) expect(rate.take('a', 0)).toBe(true);
    expect(rate.take('a', 0)).toBe(false);
    expect(rate.take('b', 0)).toBe(true);
    expect(rate.take('a', 9_999)).toBe(false);
    expect(rate.take('a', 10_000)).toBe(true);
    expect(rate.take('a', 10_001)).toBe(false);
  });

  it('does not charge a refused join', () => {
    const rate = new JoinRate(1);
    expect(rate.take('a', 0)).toBe(true);
    for (let t = 1; t < 60_000; t += 1000) expect(rate.take('a', t)).toBe(false);
    expect(rate.take('a', 60_000)).toBe(true);
  });

  it('forgets addresses whose bucket has refilled', () => {
    const rate = new JoinRate(60);
    for (let i = 0; i < 100; i++) rate.take(`old-${i}`, 0);
    expect(rate.size).toBe(100);
    // A minute later every old bucket is full again; each call sweeps two from the front.
    for (let i = 0; i < 50; i++) rate.take('new', 60_000 + i);
    expect(rate.size).toBe(1);
  });

  it('stays within its capacity, dropping the least recently seen first', () => {
    const rate = new JoinRate(1, 100);
    for (let i = 0; i < 10_000; i++) {
      rate.take(`a-${i}`, i);
      // 'kept' is seen again and again, so it is never the oldest.
      if (i % 10 === 0) rate.take('kept', i);
      expect(rate.size).toBeLessThanOrEqual(100);
    }
    // Its bucket was never forgotten: it is still empty (refilled 1 token a minute, spent at once).
    expect(rate.take('kept', 10_000)).toBe(false);
  });

  it('passes everything at 0', () => {
    const rate = new JoinRate(0);
    for (let i = 0; i < 1000; i++) expect(rate.take('a', 0)).toBe(true);
    expect(rate.size).toBe(0);
  });
});
