/**
 * P4 capacity: N signaling-only participants joined in rooms of 4 and kept connected; server
 * memory (RSS from /proc, V8 heap from /metrics' nodejs_heap_size_used_bytes) per participant and
 * the join rate, for the meshmeet server and the bare socket.io relay in the same run. Clients
 * and server share the machine's cores.
 */
import { spawnServer } from '../src/server/spawnServer.ts';
import { SignalingParticipant } from '../src/signaling-only/SignalingParticipant.ts';
import { BARE_RELAY, fmt, load, printTable, processCpuSeconds, openFileLimit, processRssBytes, scrapeMetric, sleep } from './lib.ts';

export interface P4Options {
  participants: number;
  /** Joins in flight at once. */
  concurrency: number;
  /** Runs per server, alternating meshmeet and bare so both see the same background load. */
  repeats: number;
}

interface Capacity {
  server: string;
  joined: number;
  failed: number;
  joinsPerSecond: number;
  rssPerParticipantKB: number;
  heapPerParticipantKB: number;
  rssTotalMB: number;
  serverCpuMsPerJoin: number;
}

export async function p4(options: P4Options): Promise<Capacity[]> {
  const limit = openFileLimit();
  const n = Math.min(options.participants, Number.isFinite(limit) ? limit - 500 : options.participants);
  console.log(`\nP4 capacity: ${n} signaling-only participants in rooms of 4, ${options.concurrency} joins in flight (open-file limit ${limit}${n < options.participants ? `: raise ulimit -n for ${options.participants}` : ''}); load ${load()}`);
  const results: Capacity[] = [];
  const order = Array.from({ length: options.repeats }, () => ['meshmeet', 'bare'] as const).flat();
  for (const kind of order) {
    const server = await spawnServer(kind === 'bare' ? { script: BARE_RELAY } : {});
    const pid = server.process.pid!;
    const participants: SignalingParticipant[] = [];
    try {
      await sleep(1000);
      const rss0 = processRssBytes(pid);
      const heap0 = await scrapeMetric(server.url, 'nodejs_heap_size_used_bytes');
      const cpu0 = processCpuSeconds(pid);
      let failed = 0;
      let nextIndex = 0;
      const t0 = performance.now();
      const worker = async (): Promise<void> => {
        while (nextIndex < n) {
          const i = nextIndex++;
          const p = new SignalingParticipant({ url: server.url, room: `p4-${Math.floor(i / 4)}`, name: `cap ${i}`, negotiate: false });
          participants.push(p);
          await p.join(60_000).catch(() => failed++);
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
      const seconds = (performance.now() - t0) / 1000;
      const cpu = processCpuSeconds(pid) - cpu0;
      await sleep(2000);
      const joined = participants.filter((p) => p.joinedAt !== null && p.connected).length;
      const rss = processRssBytes(pid);
      const heap = await scrapeMetric(server.url, 'nodejs_heap_size_used_bytes');
      results.push({
        server: kind,
        joined,
        failed,
        joinsPerSecond: joined / seconds,
        rssPerParticipantKB: (rss - rss0) / 1024 / joined,
        heapPerParticipantKB: (heap - heap0) / 1024 / joined,
        rssTotalMB: rss / 1024 / 1024,
        serverCpuMsPerJoin: (cpu * 1000) / joined,
      });
    } finally {
      for (const p of participants) p.close();
      await server.stop();
    }
    await sleep(1000);
  }
  const mean = (server: string, key: keyof Capacity): number => {
    const runs = results.filter((r) => r.server === server).map((r) => r[key] as number);
    return runs.reduce((a, b) => a + b, 0) / runs.length;
  };
  const keys = ['joined', 'failed', 'joinsPerSecond', 'rssPerParticipantKB', 'heapPerParticipantKB', 'rssTotalMB', 'serverCpuMsPerJoin'] as const;
  const averaged: Capacity[] = ['meshmeet', 'bare'].map((server) => ({ server: `${server} (mean)`, ...Object.fromEntries(keys.map((k) => [k, mean(server, k)])) }) as Capacity);
  const bare = averaged[1];
  printTable(
    ['server', 'joined', 'failed', 'joins/s', 'RSS KB/participant', 'heap KB/participant', 'RSS total MB', 'server CPU ms/join', 'joins vs bare', 'RSS vs bare', 'heap vs bare', 'CPU/join vs bare'],
    [...results, ...averaged].map((r) => {
      const vs = (a: number, b: number | undefined): string => (r.server !== 'meshmeet (mean)' || b === undefined ? '' : fmt(a / b, 2));
      return [r.server, fmt(r.joined, 0), fmt(r.failed, 0), fmt(r.joinsPerSecond, 0), fmt(r.rssPerParticipantKB, 1), fmt(r.heapPerParticipantKB, 1), fmt(r.rssTotalMB, 0), fmt(r.serverCpuMsPerJoin, 2), vs(r.joinsPerSecond, bare?.joinsPerSecond), vs(r.rssPerParticipantKB, bare?.rssPerParticipantKB), vs(r.heapPerParticipantKB, bare?.heapPerParticipantKB), vs(r.serverCpuMsPerJoin, bare?.serverCpuMsPerJoin)];
    }),
  );
  console.log('goals: 10,000 participants; memory per participant <= 1.3x bare; join rate >= 0.9x bare');
  return results;
}
