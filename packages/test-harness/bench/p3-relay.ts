/**
 * P3 relay: candidate-sized messages between signaling-only sockets in rooms of 4, open loop
 * (fixed offered rates) and closed loop (a window of messages in flight per sender), through the
 * meshmeet server and through the bare socket.io relay, in the same run. Server CPU per relayed
 * message comes from /proc/<pid>/stat of the spawned server.
 */
import { spawnServer } from '../src/server/spawnServer.ts';
import { distribution } from '../src/stats.ts';
import { BARE_RELAY, fmt, load, printTable, processCpuSeconds, scrapeMetric, sleep } from './lib.ts';
import { RelayClients, type Delivery } from './relayClients.ts';

export interface P3Options {
  sockets: number;
  rates: number[];
  windows: number[];
  phaseMs: number;
}

export interface P3Phase {
  server: string;
  scheme: string;
  sent: number;
  delivered: number;
  deliveredRate: number;
  p50: number | null;
  p99: number | null;
  cpuUsPerMessage: number;
  /** meshmeet only: messages the server refused (rate limit) during the phase. */
  rejected: number;
  cutOff: number;
  load: string;
}

/** A load scheme: starts sending, reports how many went out, and may react to deliveries. */
export interface Driver {
  sent(): number;
  onDelivery?: (d: Delivery) => void;
}

/** One phase; CPU is the sum over `pids` (the server, or every node and the redis-server behind them). */
export async function measure(pids: number[], clients: RelayClients, phaseMs: number, start: (stopped: () => boolean) => Driver): Promise<Omit<P3Phase, 'server' | 'scheme' | 'rejected' | 'cutOff' | 'load'>> {
  const latencies: number[] = [];
  let inPhase = true;
  const startAt = performance.now();
  const endAt = startAt + phaseMs;
  const cpuNow = (): number => pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
  const cpu0 = cpuNow();
  const driver = start(() => !inPhase);
  clients.onDelivery = (d: Delivery) => {
    if (d.sentAt >= startAt && d.sentAt < endAt) latencies.push(d.latencyMs);
    driver.onDelivery?.(d);
  };
  await sleep(phaseMs);
  inPhase = false;
  // Drain: what the server still holds arrives within a second or is counted as lost.
  await sleep(1000);
  const cpu = cpuNow() - cpu0;
  clients.onDelivery = null;
  const d = distribution(latencies);
  return { sent: driver.sent(), delivered: latencies.length, deliveredRate: latencies.length / (phaseMs / 1000), p50: d.p50, p99: d.p99, cpuUsPerMessage: latencies.length ? (cpu * 1e6) / latencies.length : Number.NaN };
}

export function openLoop(clients: RelayClients, rate: number): (stopped: () => boolean) => Driver {
  return (stopped) => {
    let sent = 0;
    const begin = performance.now();
    const timer = setInterval(() => {
      if (stopped()) return clearInterval(timer);
      const due = Math.floor(((performance.now() - begin) * rate) / 1000);
      while (sent < due) clients.send(sent++ % clients.size);
    }, 1);
    return { sent: () => sent };
  };
}

export function closedLoop(clients: RelayClients, window: number): (stopped: () => boolean) => Driver {
  return (stopped) => {
    let sent = 0;
    for (let w = 0; w < window; w++) for (let i = 0; i < clients.size; i++, sent++) clients.send(i);
    return {
      sent: () => sent,
      onDelivery: (d) => {
        if (stopped() || d.sender < 0 || d.sender >= clients.size) return;
        sent++;
        clients.send(d.sender);
      },
    };
  };
}

export async function p3(options: P3Options): Promise<P3Phase[]> {
  console.log(`\nP3 relay: ${options.sockets} sockets in rooms of 4 (each sends at most ${fmt(Math.max(...options.rates) / options.sockets, 0)} msg/s open loop; server limit 100/s, burst 400), ${options.phaseMs / 1000} s per phase, fresh sockets per phase, servers alternating per scheme; load ${load()}`);
  const phases: P3Phase[] = [];
  const schemes = [...options.rates.map((rate) => ({ name: `open ${rate}/s`, start: (c: RelayClients) => openLoop(c, rate) })), ...options.windows.map((w) => ({ name: `closed w=${w}`, start: (c: RelayClients) => closedLoop(c, w) }))];
  // Both servers stay up and each scheme runs on one right after the other, so that a ratio
  // compares two measurements seconds apart rather than minutes apart on a noisy machine.
  const servers = { meshmeet: await spawnServer(), bare: await spawnServer({ script: BARE_RELAY }) };
  try {
    for (const [i, scheme] of schemes.entries()) {
      // Which server goes first alternates too, so neither always meets the other's after-effects.
      for (const kind of i % 2 === 0 ? (['meshmeet', 'bare'] as const) : (['bare', 'meshmeet'] as const)) {
        const server = servers[kind];
        // Fresh sockets per phase: an overloaded phase may leave sockets rate-limited or cut off.
        const clients = await RelayClients.create(server.url, options.sockets, `p3-${kind}-${i}`);
        try {
          await measure([server.pid], clients, 500, openLoop(clients, 500)); // warm-up, not recorded
          const rejected0 = kind === 'meshmeet' ? await scrapeMetric(server.url, 'meshmeet_rejected_messages_total') : 0;
          const r = await measure([server.pid], clients, options.phaseMs, scheme.start(clients));
          const rejected = kind === 'meshmeet' ? (await scrapeMetric(server.url, 'meshmeet_rejected_messages_total')) - rejected0 : 0;
          const cutOff = clients.participants.filter((p) => !p.connected).length;
          phases.push({ server: kind, scheme: scheme.name, ...r, rejected: Number.isNaN(rejected) ? 0 : rejected, cutOff, load: load() });
        } finally {
          clients.close();
        }
        await sleep(300);
      }
    }
  } finally {
    await Promise.all([servers.meshmeet.stop(), servers.bare.stop()]);
  }
  printTable(
    ['scheme', 'server', 'sent', 'delivered/s', 'lost', 'rejected', 'cut off', 'p50 ms', 'p99 ms', 'server CPU us/msg', 'rate vs bare', 'CPU vs bare', 'load'],
    phases.map((p) => {
      const bare = phases.find((b) => b.server === 'bare' && b.scheme === p.scheme);
      const vs = (a: number, b: number | undefined): string => (p.server === 'bare' || b === undefined ? '' : fmt(a / b, 2));
      return [p.scheme, p.server, p.sent, fmt(p.deliveredRate, 0), p.sent - p.delivered, p.rejected, p.cutOff, fmt(p.p50, 2), fmt(p.p99, 2), fmt(p.cpuUsPerMessage, 1), vs(p.deliveredRate, bare?.deliveredRate), vs(p.cpuUsPerMessage, bare?.cpuUsPerMessage), p.load];
    }),
  );
  console.log('goals: delivered rate >= 0.95x bare, CPU/msg <= 1.15x bare, p99 <= 5 ms at 5,000 msg/s. lost = sent but not delivered within 1 s after the phase; cut off = sockets the server disconnected');
  return phases;
}
