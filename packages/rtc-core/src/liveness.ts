import type { PeerLink } from './PeerLink.ts';

export const DEFAULT_INTERRUPTION_TIMEOUT_MS = 2500;
export const LIVENESS_INTERVAL_MS = 1000;
/** A getStats that has not answered by then is given up, so one stuck call cannot stop the rounds. */
const STATS_TIMEOUT_MS = 3000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** What one getStats() report says arrived on a connection so far. */
export interface Received {
  /** Every byte, DTLS and RTCP included. */
  bytes: number;
  /** Media packets and data channel messages: proof that the peer sends something of its own. */
  packets: number;
}

export function receivedOf(report: RTCStatsReport): Received {
  let transport = 0;
  let pairs = 0;
  let packets = 0;
  report.forEach((value: unknown) => {
    const entry = value as { type?: string; bytesReceived?: unknown; packetsReceived?: unknown; messagesReceived?: unknown; selected?: unknown; nominated?: unknown; state?: unknown };
    const bytes = typeof entry.bytesReceived === 'number' ? entry.bytesReceived : 0;
    if (entry.type === 'transport') transport += bytes;
    // Implementations without transport stats (older wrtc builds) still count on the pair.
    else if (entry.type === 'candidate-pair' && (entry.selected === true || (entry.nominated === true && entry.state === 'succeeded'))) pairs += bytes;
    else if (entry.type === 'inbound-rtp' && typeof entry.packetsReceived === 'number') packets += entry.packetsReceived;
    else if (entry.type === 'data-channel' && typeof entry.messagesReceived === 'number') packets += entry.messagesReceived;
  });
  return { bytes: transport > 0 ? transport : pairs, packets };
}

interface Track {
  bytes: number;
  advancedAt: number;
  /**
   * The peer was seen sending (bytes grew, or media had arrived by the first sample): a peer that
   * sends nothing at all cannot be judged by its bytes.
   */
  flowing: boolean;
}

/**
 * Decides whether a connected participant is interrupted: ICE says `disconnected`, or bytes had
 * been arriving and have not grown for `timeoutMs`. ICE alone takes 7-8 s to notice a frozen peer
 * (measured with wrtc), the bytes about a second after the packets stop. A peer that froze before
 * a second sample was taken is judged from the first one, if media had already arrived by then.
 */
export class LivenessTracker {
  readonly #timeoutMs: number;
  readonly #tracks = new Map<string, Track>();

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** One stats sample of `peerId`; returns whether it is interrupted now. */
  sample(peerId: string, received: Received, now: number, iceUnhealthy: boolean): boolean {
    const { bytes, packets } = received;
    const track = this.#tracks.get(peerId);
    if (!track || bytes < track.bytes) {
      // First sample, or a new connection (counters start over).
      this.#tracks.set(peerId, { bytes, advancedAt: now, flowing: packets > 0 });
      return iceUnhealthy;
    }
    if (bytes > track.bytes) {
      track.bytes = bytes;
      track.advancedAt = now;
      track.flowing = true;
    }
    return iceUnhealthy || (track.flowing && now - track.advancedAt >= this.#timeoutMs);
  }

  forget(peerId: string): void {
    this.#tracks.delete(peerId);
  }

  clear(): void {
    this.#tracks.clear();
  }
}

/**
 * Samples every established link once a second and reports each participant's interruption
 * through `report`. One sample round at a time: a slow getStats (a loaded machine) is not
 * stacked up with another. Owns one timer while started.
 */
export class LivenessMonitor {
  readonly #tracker: LivenessTracker;
  readonly #links: () => PeerLink[];
  readonly #report: (peerId: string, interrupted: boolean) => void;
  #timer: ReturnType<typeof setInterval> | null = null;
  #busy = false;

  constructor(timeoutMs: number, links: () => PeerLink[], report: (peerId: string, interrupted: boolean) => void) {
    this.#tracker = new LivenessTracker(timeoutMs);
    this.#links = links;
    this.#report = report;
  }

  start(intervalMs = LIVENESS_INTERVAL_MS): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.#round(), intervalMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#tracker.clear();
  }

  /** ICE changed state: `disconnected`/`failed` is an interruption at once, without waiting for a sample. */
  onConnectionState(peerId: string, state: RTCPeerConnectionState, hasConnected: boolean): void {
    if (!this.#timer || !hasConnected) return;
    if (state === 'disconnected' || state === 'failed') this.#report(peerId, true);
  }

  forget(peerId: string): void {
    this.#tracker.forget(peerId);
  }

  async #round(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const links = this.#links().filter((link) => link.hasConnected && !link.closed);
      await Promise.all(
        links.map(async (link) => {
          let received: Received;
          try {
            received = receivedOf(await withTimeout(link.getStats(), STATS_TIMEOUT_MS));
          } catch {
            return; // closed meanwhile, or too slow to answer: the next round asks again
          }
          if (link.closed || !this.#timer) return;
          link.syncConnectionState();
          const state = link.connectionState;
          this.#report(link.remoteId, this.#tracker.sample(link.remoteId, received, Date.now(), state === 'disconnected' || state === 'failed'));
        }),
      );
    } finally {
      this.#busy = false;
    }
  }
}
