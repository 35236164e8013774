import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ErrorCode, ResumeOutcome } from '@meshmeet/protocol';
import { registerProcessMetrics } from './processMetrics.ts';

/** Why an inbound message was refused: a protocol error code, or a transport-level reason. */
export type RejectReason = ErrorCode | 'unknown_event' | 'reserved_event' | 'no_ack' | 'malformed_packet';
export type RelayKind = 'offer' | 'answer' | 'candidate' | 'end_of_candidates' | 'media';
export type HandledEvent = 'join' | 'signal' | 'media' | 'leave';
/** Why a connection or a join was turned away before anything else looked at it. */
export type RefusalReason = 'sockets_per_ip' | 'handshakes_per_ip' | 'joins_per_ip';

/**
 * Plain number counters on the hot path; prom-client reads them only when /metrics is scraped.
 * (prom-client's own inc() hashes its labels on every call, which a per-message path should not
 * pay for.) Peer and room ids never become labels.
 */
export class Stats {
  // One field per kind: a fixed-shape increment on the per-message path, no keyed lookup.
  offers = 0;
  answers = 0;
  candidates = 0;
  endOfCandidates = 0;
  mediaUpdates = 0;
  rejected = new Map<RejectReason, number>();
  joinsOk = 0;
  joinsRefused = 0;
  disconnectedFlooders = 0;
  resumes: Record<ResumeOutcome, number> = { kept: 0, restored: 0, refused: 0 };
  heldSignals = 0;
  heldSignalsDropped = 0;
  graceExpiries = 0;
  refusals: Record<RefusalReason, number> = { sockets_per_ip: 0, handshakes_per_ip: 0, joins_per_ip: 0 };

  reject(reason: RejectReason): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }
}

/** Samples one in SAMPLE_EVERY signal handler runs into the duration histogram. */
export const SIGNAL_SAMPLE_EVERY = 16;

export interface Gauges {
  sockets(): number;
  rooms(): number;
  participants(): number;
  away(): number;
}

export class Metrics {
  readonly registry = new Registry();
  readonly stats = new Stats();
  private readonly durations: Histogram<'event'>;
  private readonly durationChildren: Record<HandledEvent, { observe(seconds: number): void }>;

  constructor(gauges: Gauges) {
    const registers = [this.registry];
    const stats = this.stats;
    // Process and runtime metrics keep their standard names (process_*, nodejs_*) so stock
    // dashboards and the benchmarks read them as from any Node service.
    registerProcessMetrics(this.registry);
    new Gauge({
      name: 'meshmeet_sockets_connected',
      help: 'Socket.io connections currently open',
      registers,
      collect() {
        this.set(gauges.sockets());
      },
    });
    new Gauge({
      name: 'meshmeet_rooms',
      help: 'Rooms with at least one participant',
      registers,
      collect() {
        this.set(gauges.rooms());
      },
    });
    new Gauge({
      name: 'meshmeet_participants',
      help: 'Room memberships, away ones included (they hold their seat during the grace period)',
      registers,
      collect() {
        this.set(gauges.participants());
      },
    });
    new Gauge({
      name: 'meshmeet_away_members',
      help: 'Memberships whose connection dropped, waiting for a resume',
      registers,
      collect() {
        this.set(gauges.away());
      },
    });
    new Counter({
      name: 'meshmeet_resumes_total',
      help: 'Joins that presented a resume credential, by outcome',
      labelNames: ['outcome'],
      registers,
      collect() {
        this.reset();
        for (const [outcome, n] of Object.entries(stats.resumes)) this.inc({ outcome }, n);
      },
    });
    new Counter({
      name: 'meshmeet_held_signals_total',
      help: 'Signals addressed to an away member, by fate: held for its resume, or dropped (its queue was full, or it never came back)',
      labelNames: ['result'],
      registers,
      collect() {
        this.reset();
        this.inc({ result: 'held' }, stats.heldSignals);
        this.inc({ result: 'dropped' }, stats.heldSignalsDropped);
      },
    });
    new Counter({
      name: 'meshmeet_grace_expiries_total',
      help: 'Away memberships that ended because their grace period ran out',
      registers,
      collect() {
        this.reset();
        this.inc(stats.graceExpiries);
      },
    });
    new Counter({
      name: 'meshmeet_joins_total',
      help: 'Join requests answered, by result',
      labelNames: ['result'],
      registers,
      collect() {
        this.reset();
        this.inc({ result: 'ok' }, stats.joinsOk);
        this.inc({ result: 'refused' }, stats.joinsRefused);
      },
    });
    new Counter({
      name: 'meshmeet_relayed_messages_total',
      help: 'Messages relayed to other participants, by kind (media counts once per broadcast)',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        const kinds: [RelayKind, number][] = [
          ['offer', stats.offers],
          ['answer', stats.answers],
          ['candidate', stats.candidates],
          ['end_of_candidates', stats.endOfCandidates],
          ['media', stats.mediaUpdates],
        ];
        for (const [kind, n] of kinds) this.inc({ kind }, n);
      },
    });
    new Counter({
      name: 'meshmeet_rejected_messages_total',
      help: 'Inbound messages refused, by reason (an error code, unknown_event, reserved_event or no_ack)',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        for (const [reason, n] of stats.rejected) this.inc({ reason }, n);
      },
    });
    new Counter({
      name: 'meshmeet_refusals_total',
      help: 'Connections and joins turned away by the per-address limits, by reason',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(stats.refusals)) this.inc({ reason }, n);
      },
    });
    new Counter({
      name: 'meshmeet_flooding_disconnects_total',
      help: 'Sockets disconnected for flooding past the rate limit',
      registers,
      collect() {
        this.reset();
        this.inc(stats.disconnectedFlooders);
      },
    });
    this.durations = new Histogram({
      name: 'meshmeet_handler_duration_seconds',
      help: `Time spent in an inbound event handler; signal is sampled 1 in ${SIGNAL_SAMPLE_EVERY}`,
      labelNames: ['event'],
      buckets: [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      registers,
    });
    this.durationChildren = {
      join: this.durations.labels({ event: 'join' }),
      signal: this.durations.labels({ event: 'signal' }),
      media: this.durations.labels({ event: 'media' }),
      leave: this.durations.labels({ event: 'leave' }),
    };
  }

  observe(event: HandledEvent, startMs: number): void {
    this.durationChildren[event].observe((performance.now() - startMs) / 1000);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
