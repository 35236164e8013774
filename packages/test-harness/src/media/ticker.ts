/**
 * One timer per period for many subscribers: a process running dozens of bots then wakes up
 * once per audio frame and once per video frame, not once per bot.
 */
export type Tick = () => void;

interface Timer {
  handle: NodeJS.Timeout | null;
  subscribers: Set<Tick>;
  startedAt: number;
  ticks: number;
}

export interface TickerOptions {
  /**
   * When the event loop was late, call subscribers once per missed period (up to this many per
   * wake-up) so that e.g. audio keeps its real-time rate. 1 = never catch up (video skips).
   */
  maxCatchUp?: number;
}

export class Ticker {
  private readonly timers = new Map<number, Timer>();
  private readonly maxCatchUp: number;

  constructor(options: TickerOptions = {}) {
    this.maxCatchUp = Math.max(1, options.maxCatchUp ?? 1);
  }

  /** Calls `tick` every `periodMs`; returns the unsubscribe function. */
  subscribe(periodMs: number, tick: Tick): () => void {
    if (!(periodMs > 0)) throw new RangeError('periodMs must be positive');
    let timer = this.timers.get(periodMs);
    if (!timer) {
      timer = { handle: null, subscribers: new Set(), startedAt: performance.now(), ticks: 0 };
      this.timers.set(periodMs, timer);
      this.schedule(periodMs, timer);
    }
    timer.subscribers.add(tick);
    return () => {
      const current = this.timers.get(periodMs);
      if (!current) return;
      current.subscribers.delete(tick);
      if (current.subscribers.size === 0) {
        if (current.handle) clearTimeout(current.handle);
        this.timers.delete(periodMs);
      }
    };
  }

  get size(): number {
    let n = 0;
    for (const timer of this.timers.values()) n += timer.subscribers.size;
    return n;
  }

  stop(): void {
    for (const timer of this.timers.values()) if (timer.handle) clearTimeout(timer.handle);
    this.timers.clear();
  }

  /**
   * Each wake-up is aimed at the next tick's due time from the start, not one period after the
   * previous wake-up (as setInterval does): a late wake-up then delays one tick instead of
   * stretching every period after it, so a busy event loop does not lower the frame rate.
   */
  private schedule(periodMs: number, timer: Timer): void {
    const dueAt = timer.startedAt + (timer.ticks + 1) * periodMs;
    timer.handle = setTimeout(() => {
      if (this.timers.get(periodMs) !== timer) return;
      this.fire(periodMs, timer);
      this.schedule(periodMs, timer);
    }, Math.max(0, dueAt - performance.now()));
  }

  private fire(periodMs: number, timer: Timer): void {
    const due = Math.floor((performance.now() - timer.startedAt) / periodMs);
    // Drop what cannot be caught up, so that a long stall does not cause a burst.
    if (due - timer.ticks > this.maxCatchUp) timer.ticks = due - this.maxCatchUp;
    while (timer.ticks < due) {
      timer.ticks++;
      for (const tick of timer.subscribers) {
        try {
          tick();
        } catch {
          // One failing source must not stop the others; the source reports its own errors.
        }
      }
    }
  }
}
