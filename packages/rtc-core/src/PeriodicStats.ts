import type { Logger } from './logger.ts';
import type { PeerLink } from './PeerLink.ts';
import { StatsCollector } from './stats.ts';
import type { PeerStats } from './types.ts';

/** Per-peer stats summaries, on demand and (when asked for) on a timer. */
export class PeriodicStats {
  readonly #collector = new StatsCollector();
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
  collect(establishedOnly: boolean): Promise<Map<string, PeerStats>> {
    const links = this.#links().filter((link) => !establishedOnly || link.hasConnected);
    const peers = links.map((link) => ({ id: link.remoteId, getStats: () => link.getStats() }));
    return this.#collector.collect(peers, (peerId, error) => this.#log.debug('getStats failed', { peerId, error }));
  }

  forget(peerId: string): void {
    this.#collector.forget(peerId);
  }
}
