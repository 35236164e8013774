import { afterEach, describe, expect, it } from 'vitest';
import { Ticker } from './ticker.ts';

describe('Ticker', () => {
  const tickers: Ticker[] = [];
  afterEach(() => tickers.splice(0).forEach((t) => t.stop()));

  it('calls every subscriber of a period from one timer, until unsubscribed', async () => {
    const ticker = new Ticker();
    tickers.push(ticker);
    let a = 0;
    let b = 0;
    const offA = ticker.subscribe(10, () => a++);
    ticker.subscribe(10, () => b++);
    expect(ticker.size).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    offA();
    expect(ticker.size).toBe(1);
    const frozen = a;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(a).toBe(frozen);
  });

  it('after the event loop was blocked, catches up missed ticks in one wake-up, at most maxCatchUp', async () => {
    const ticker = new Ticker({ maxCatchUp: 3 });
    tickers.push(ticker);
    const at: number[] = [];
    ticker.subscribe(10, () => at.push(performance.now()));
    await new Promise((resolve) => setTimeout(resolve, 25));
    const stalledAt = at.length;
    const until = Date.now() + 100;
    while (Date.now() < until) {
      // Block the event loop for 100 ms: about 10 ticks fall due meanwhile.
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
    // Ticks of one wake-up run synchronously (microseconds apart); wake-ups are at least 1 ms apart.
    const groups: number[] = [];
    for (let i = stalledAt; i < at.length; i++) {
      if (i > stalledAt && at[i]! - at[i - 1]! < 0.5) groups[groups.length - 1]! += 1;
      else groups.push(1);
    }
    expect(groups[0]).toBe(3);
    expect(Math.max(...groups)).toBeLessThanOrEqual(3);
  });

  it('refuses a period that is not positive', () => {
    expect(() => new Ticker().subscribe(0, () => undefined)).toThrow(RangeError);
  });
});
