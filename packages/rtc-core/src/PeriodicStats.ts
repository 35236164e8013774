import type { Logger } from './logger.ts';
import type { PeerLink } from './PeerLink.ts';
import { summarizeStats, type StatsSample } from './stats.ts';
import type { PeerStats } from './types.ts';

/** Per-peer stats summaries, on demand and (when asked for) on a timer. */
export class PeriodicStats {
  /** Each peer's recent samples, for the rates and the window. */
  readonly #samples = new Map<string, StatsSample[]>();
  readonly #links: () => PeerLink[];
  readonly #log: Logger;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(links: () => PeerLink[], log: Logger) {
    this.#links = links;
    this.#log = log;
  }

  start(intervalMs: number, emit: (stats: Map<string, PeerStats>) => void): void {
    if (this.#timer || !(intervalMs > 0)) return;
    let busy = false;
    const timer = setInterval(() => {
      // A slow getStats (a loaded machine) is not stacked up with another.
      if (busy) return;
      busy = true;
      this.collect(true).then(
        (stats) => this.#timer === timer && emit(stats),
        (error: unknown) => this.#log.debug('periodic stats failed', { error }),
      ).finally(() => (busy = false));
    }, intervalMs);
    this.#timer = timer;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /**
   * Periodic collection skips connections that have not connected yet: they have nothing to
   * report, and in wrtc getStats competes with their negotiation for the one signaling thread.
   */
  async collect(establishedOnly: boolean): Promise<Map<string, PeerStats>> {
    const result = new Map<string, PeerStats>();
    await Promise.all(
      this.#links().map(async (link) => {
        const peerId = link.remoteId;
        if (establishedOnly && !link.hasConnected) return;
        try {
          const { stats, window } = summarizeStats(peerId, await link.getStats(), this.#samples.get(peerId));
          this.#samples.set(peerId, window);
          result.set(peerId, stats);
        } catch (error) {
          this.#log.debug('getStats failed', { peerId, error });
        }
      }),
    );
    return result;
  }

  forget(peerId: string): void {
    this.#samples.delete(peerId);
  }
}
