import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RestartScheduler } from './RestartScheduler.ts';

const policy = { disconnectedGraceMs: 3000, baseDelayMs: 500, maxDelayMs: 4000 };

describe('RestartScheduler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    let state: RTCPeerConnectionState = 'connected';
    const restart = vi.fn();
    const scheduler = new RestartScheduler(restart, () => state, policy);
    const set = (next: RTCPeerConnectionState) => {
      state = next;
      scheduler.onState(next);
    };
    return { restart, scheduler, set };
  }

  it('restarts a failed connection with exponential backoff until it recovers', () => {
    const { restart, scheduler, set } = setup();
    set('failed');
    vi.advanceTimersByTime(499);
    expect(restart).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(restart).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000); // second attempt after 2 x base
    expect(restart).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(2000);
    expect(restart).toHaveBeenCalledTimes(3);
    vi.advanceTimersByTime(4000); // capped at maxDelayMs
    expect(restart).toHaveBeenCalledTimes(4);
    vi.advanceTimersByTime(4000);
    expect(restart).toHaveBeenCalledTimes(5);
    set('connected');
    vi.advanceTimersByTime(60_000);
    expect(restart).toHaveBeenCalledTimes(5);
    expect(scheduler.attempts).toBe(0);
    expect(scheduler.pending).toBe(false);
  });

  it('gives a disconnection a grace period and does nothing if it heals', () => {
    const { restart, set } = setup();
    set('disconnected');
    vi.advanceTimersByTime(2999);
    set('connected');
    vi.advanceTimersByTime(10_000);
    expect(restart).not.toHaveBeenCalled();
    set('disconnected');
    vi.advanceTimersByTime(3000);
    expect(restart).toHaveBeenCalledTimes(1);
  });

  it('does not wait out the grace period once the connection fails', () => {
    const { restart, set } = setup();
    set('disconnected');
    vi.advanceTimersByTime(1000);
    set('failed');
    vi.advanceTimersByTime(500);
    expect(restart).toHaveBeenCalledTimes(1);
  });

  it('stops for good when disposed', () => {
    const { restart, scheduler, set } = setup();
    set('failed');
    scheduler.dispose();
    set('failed');
    vi.advanceTimersByTime(60_000);
    expect(restart).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
