/**
 * A quick local measurement of the relay path against a bare socket.io relay (the test-harness
 * baseline), for this package's own tuning. Not the official P3/P4 benchmark (that lives in
 * packages/test-harness). Run: node --import tsx bench/relay.ts [seconds=6]
 *
 * Each server runs as its own process; clients run here. Rooms of 4, candidate-sized messages
 * round-robin to roommates, no acks (as trickle ICE sends them). Server CPU is read from
 * /proc/<pid>/stat, memory from each server's /metrics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';

const SECONDS = Number(process.argv[2] ?? 6);
/** Which load phases to run (BENCH_PHASES=open5000,closed); all by default. */
const PHASES = (process.env.BENCH_PHASES ?? 'open2000,open5000,closed').split(',');
const TSX = createRequire(import.meta.url).resolve('tsx');
const SERVERS = {
  bare: fileURLToPath(new URL('../../../packages/test-harness/bench/bare-relay.ts', import.meta.url)),
  meshmeet: fileURLToPath(new URL('../src/main.ts', import.meta.url)),
};
const CANDIDATE = 'candidate:842163049 1 udp 1677729535 203.0.113.7 49203 typ srflx raddr 10.0.0.1 rport 49203 generation 0 ufrag abcd network-cost 999';
const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

interface Proc {
  child: ChildProcess;
  url: string;
}

async function start(script: string): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', TSX, script], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ICE_SERVERS: '[]', LOG_LEVEL: 'info', DRAIN_GRACE_MS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"msg":"listening"')) resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function stop(p: Proc): Promise<void> {
  const exited = new Promise((resolve) => p.child.once('exit', resolve));
  p.child.kill('SIGTERM');
  await exited;
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

async function memory(url: string): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string) => Number(text.match(new RegExp(`^${name} (\\S+)`, 'm'))?.[1] ?? NaN);
  return { rss: read('process_resident_memory_bytes'), heap: read('nodejs_heap_size_used_bytes') };
}

interface Member {
  socket: Socket;
  id: string;
  mates: string[];
  next: number;
}

async function joinAll(url: string, participants: number): Promise<{ members: Member[]; seconds: number }> {
  const started = performance.now();
  const members: Member[] = [];
  const batch = 200;
  for (let base = 0; base < participants; base += batch) {
    const joined = await Promise.all(
      Array.from({ length: Math.min(batch, participants - base) }, async (_, k) => {
        const i = base + k;
        const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
        // Listen before joining: a peer-joined can arrive in the same read as the join's ack.
        const member: Member = { socket, id: '', mates: [], next: 0 };
        socket.on('peer-joined', (peer: { id: string }) => member.mates.push(peer.id));
        const result = (await socket.timeout(30_000).emitWithAck('join', { room: `bench-${Math.floor(i / 4)}`, name: `p${i}` })) as {
          ok: boolean;
          self: { id: string };
          peers: { id: string }[];
        };
        if (!result.ok) throw new Error(`join failed: ${JSON.stringify(result)}`);
        member.id = result.self.id;
        member.mates.push(...result.peers.map((p) => p.id));
        return member;
      }),
    );
    members.push(...joined);
  }
  return { members, seconds: (performance.now() - started) / 1000 };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
}

/** Open loop: `rate` messages/s in total, spread round-robin over senders. */
async function openLoop(p: Proc, members: Member[], rate: number) {
  const latencies = new Float64Array(rate * SECONDS * 2);
  let received = 0;
  for (const m of members) {
    m.socket.off('signal');
    m.socket.on('signal', (msg: { candidate: { sdpMid: string } }) => {
      if (received < latencies.length) latencies[received] = performance.now() - Number(msg.candidate.sdpMid);
      received++;
    });
  }
  const cpu0 = cpuSeconds(p.child.pid!);
  const start = performance.now();
  let sent = 0;
  let who = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      if (now - start >= SECONDS * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      const due = Math.floor((rate * (now - start)) / 1000) - sent;
      for (let k = 0; k < due; k++) {
        const m = members[who++ % members.length]!;
        const to = m.mates[m.next++ % m.mates.length]!;
        m.socket.emit('signal', { to, candidate: { candidate: CANDIDATE, sdpMid: String(performance.now()), sdpMLineIndex: 0 } });
        sent++;
      }
    }, 5);
  });
  await new Promise((r) => setTimeout(r, 500));
  const cpu = cpuSeconds(p.child.pid!) - cpu0;
  const sorted = latencies.slice(0, Math.min(received, latencies.length)).sort();
  return {
    offered: rate,
    deliveredPerSecond: Math.round(received / SECONDS),
    lost: sent - received,
    p50ms: +percentile(sorted, 50).toFixed(2),
    p99ms: +percentile(sorted, 99).toFixed(2),
    serverCpuUsPerMessage: +((cpu / Math.max(1, received)) * 1e6).toFixed(1),
  };
}

/** Closed loop: every participant keeps `window` messages in flight to its roommates. */
async function closedLoop(p: Proc, members: Member[], window: number) {
  const byId = new Map(members.map((m) => [m.id, m]));
  let received = 0;
  let running = true;
  const send = (m: Member) => {
    const to = m.mates[m.next++ % m.mates.length]!;
    m.socket.emit('signal', { to, candidate: { candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0 } });
  };
  for (const m of members) {
    m.socket.off('signal');
    m.socket.on('signal', (msg: { from: string }) => {
      received++;
      const sender = byId.get(msg.from);
      if (running && sender) send(sender);
    });
  }
  const cpu0 = cpuSeconds(p.child.pid!);
  for (const m of members) for (let k = 0; k < window; k++) send(m);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  running = false;
  const cpu = cpuSeconds(p.child.pid!) - cpu0;
  return {
    window,
    deliveredPerSecond: Math.round(received / SECONDS),
    serverCpuUsPerMessage: +((cpu / Math.max(1, received)) * 1e6).toFixed(1),
  };
}

async function measure(name: keyof typeof SERVERS) {
  const p = await start(SERVERS[name]);
  const before = await memory(p.url);
  const { members, seconds } = await joinAll(p.url, Number(process.env.BENCH_PARTICIPANTS ?? 2_000));
  await new Promise((r) => setTimeout(r, 1_000));
  const after = await memory(p.url);
  const result = {
    server: name,
    joinsPerSecond: Math.round(members.length / seconds),
    rssPerParticipantKB: +((after.rss - before.rss) / members.length / 1024).toFixed(1),
    heapPerParticipantKB: +((after.heap - before.heap) / members.length / 1024).toFixed(1),
    open2000: PHASES.includes('open2000') ? await openLoop(p, members.slice(0, 400), 2_000) : null,
    open5000: PHASES.includes('open5000') ? await openLoop(p, members.slice(0, 400), 5_000) : null,
    closed: PHASES.includes('closed') ? await closedLoop(p, members.slice(0, 400), 4) : null,
  };
  if (process.env.BENCH_VERBOSE) {
    const text = await (await fetch(`${p.url}/metrics`)).text();
    console.log(text.split('\n').filter((l) => /^(meshmeet_(rejected|flooding|relayed|joins)|nodejs_eventloop_lag_(p99|max)|nodejs_gc_duration_seconds_sum)/.test(l)).join('\n'));
  }
  for (const m of members) m.socket.disconnect();
  await stop(p);
  return result;
}

const results = [];
const order = (process.env.BENCH_SERVERS ?? 'bare,meshmeet,bare,meshmeet').split(',') as (keyof typeof SERVERS)[];
for (const name of order) {
  const r = await measure(name);
  console.log(JSON.stringify(r));
  results.push(r);
}
process.exit(0);
