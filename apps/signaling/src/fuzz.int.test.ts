import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { io as connectClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckSchema, JoinResultSchema, type JoinResult, type SignalMessage } from '@meshmeet/protocol';
import { emission, KNOWN_PEER, rawFrames, type Emission, type RawFrames } from './fuzzArbitraries.ts';
import { spawnSignalingServer, type SignalingProcess } from '@meshmeet/rtc-core/test-utils/spawn';
import type { Client } from './test-utils.ts';

/**
 * Property-based fuzz at the real server, run as its own process: at least 100,000 generated
 * inbound messages over real sockets, several in parallel (socket.io-client emits of every event
 * with valid, near-valid and arbitrary payloads, random event names, with and without acks; raw
 * engine.io / socket.io frames that no client library writes; one flooder). Throughout, two other
 * clients keep relaying signals to each other. The process must stay up, log no error, answer
 * every ack with a schema-valid result, and come back to its memory baseline.
 */

const TOTAL = Number(process.env.FUZZ_TOTAL ?? 100_000);
const EMIT_WORKERS = 36;
const RAW_WORKERS = 6;
const RAW_SHARE = 0.12;
const FLOOD = 1_500;
/** Per worker, below the server's default 100 messages/s so that most messages are processed. */
const RATE_PER_SECOND = 70;
const SEED = Number(process.env.FUZZ_SEED ?? 1303);
const HEAP_BOUND = 30 * 1024 * 1024;
const RSS_BOUND = 30 * 1024 * 1024;

const SERVER = fileURLToPath(new URL('./fixtures/gcServer.ts', import.meta.url));

interface Memory {
  heapUsed: number;
  rss: number;
}

let server: SignalingProcess;
let url = '';
const errorLines: string[] = [];
const warnLines = new Map<string, number>();
const memoryWaiters: ((m: Memory) => void)[] = [];

beforeAll(async () => {
  server = await spawnSignalingServer({
    script: SERVER,
    nodeArgs: ['--expose-gc'],
    env: {
      LOG_LEVEL: 'warn',
      WEB_DIST: '/nonexistent',
      // Memberships dropped without a leave expire quickly, so that memory can settle in the test.
      RESUME_GRACE_MS: '1000',
      DRAIN_GRACE_MS: '0',
    },
  });
  url = server.url;
  createInterface({ input: server.process.stdout! }).on('line', (line) => {
    let parsed: { msg?: string; level?: number; heapUsed?: number; rss?: number };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      errorLines.push(line);
      return;
    }
    if (parsed.msg === 'memory') memoryWaiters.shift()?.({ heapUsed: parsed.heapUsed!, rss: parsed.rss! });
    else if ((parsed.level ?? 0) >= 50) errorLines.push(line);
    else if (parsed.level === 40) warnLines.set(parsed.msg ?? '', (warnLines.get(parsed.msg ?? '') ?? 0) + 1);
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

function connect(): Promise<Client> {
  const socket: Client = connectClient(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** heapUsed after a full GC (from the server process) and VmRSS read from /proc. */
function memory(): Promise<Memory> {
  return new Promise((resolve) => {
    memoryWaiters.push((m) => {
      const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
      resolve({ heapUsed: m.heapUsed, rss: kb * 1024 });
    });
    server.process.kill('SIGUSR2');
  });
}

async function scrape(): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('meshmeet_')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Keeps one worker under RATE_PER_SECOND on average. */
function pacer() {
  const start = performance.now();
  let count = 0;
  return async () => {
    const due = start + (count++ * 1000) / RATE_PER_SECOND;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
  };
}

const counts = {
  emitted: 0,
  raw: 0,
  flood: 0,
  acked: 0,
  okAcks: 0,
  errorAcks: new Map<string, number>(),
  rawAnswers: 0,
  goneBeforeAck: 0,
  reconnects: 0,
  emitDisconnects: new Map<string, number>(),
  invalid: [] as string[],
};
const countError = (code: string) => counts.errorAcks.set(code, (counts.errorAcks.get(code) ?? 0) + 1);

/** A schema-valid answer, or the reason it is not; counts it. */
function checkAnswer(event: string, value: unknown): string | null {
  const parsed = event === 'join' ? JoinResultSchema.safeParse(value) : AckSchema.safeParse(value);
  if (!parsed.success) return `${event}: ${JSON.stringify(value)?.slice(0, 300)} is no valid answer`;
  if (parsed.data.ok) counts.okAcks++;
  else {
    countError(parsed.data.error.code);
    if (parsed.data.error.code === 'INTERNAL') return `${event}: INTERNAL error (a handler threw)`;
  }
  return null;
}

/** Replaces the KNOWN_PEER placeholder with a peer id this socket has seen. */
function substitute(value: unknown, known: string[], depth = 0): unknown {
  if (value === KNOWN_PEER) return known.length ? known[Math.floor(Math.random() * known.length)] : 'nobody';
  if (depth > 3 || value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map((v) => substitute(v, known, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, known, depth + 1)]));
}

/** One socket.io-client socket emitting `runs` generated messages; reconnects when the server drops it. */
async function emitWorker(index: number, runs: number): Promise<void> {
  const pace = pacer();
  let client = await connect();
  let known: string[] = [];
  const track = (c: Client) => {
    c.on('peer-joined', (p) => known.push(p.id));
    c.on('disconnect', (reason) => counts.emitDisconnects.set(reason, (counts.emitDisconnects.get(reason) ?? 0) + 1));
  };
  track(client);
  await fc.assert(
    fc.asyncProperty(emission, async (e: Emission) => {
      if (!client.connected) {
        client.disconnect();
        client = await connect();
        track(client);
        known = [];
        counts.reconnects++;
      }
      await pace();
      const args = e.args.map((a) => substitute(a, known));
      counts.emitted++;
      const untyped = client as unknown as { emit(event: string, ...args: unknown[]): void; timeout(ms: number): { emit(event: string, ...args: unknown[]): void } };
      if (!e.ack) {
        untyped.emit(e.event, ...args);
        return true;
      }
      const socket = client;
      const answer = await new Promise<{ value: unknown } | { error: 'gone' | 'timeout' }>((resolve) =>
        untyped.timeout(20_000).emit(e.event, ...args, (err: Error | null, value: unknown) => resolve(err ? { error: socket.connected ? 'timeout' : 'gone' } : { value })),
      );
      if ('error' in answer) {
        if (answer.error === 'gone') return void counts.goneBeforeAck++, true;
        counts.invalid.push(`${e.event}: no answer within 20 s on a connected socket`);
        return false;
      }
      counts.acked++;
      const problem = checkAnswer(e.event, answer.value);
      if (problem) {
        counts.invalid.push(problem);
        return false;
      }
      const result = answer.value as JoinResult;
      if (e.event === 'join' && result.ok) known = [result.self.id, ...result.peers.map((p) => p.id)];
      return true;
    }),
    { numRuns: runs, seed: SEED + index, endOnFailure: true },
  );
  client.disconnect();
}

interface RawSocket {
  client: Client;
  acks: Record<number, (value: unknown) => void>;
  send(level: RawFrames['level'], frame: string | Uint8Array): void;
}

async function rawSocket(): Promise<RawSocket> {
  const client = await connect();
  const engine = client.io.engine as unknown as { send(data: string | Uint8Array): void; transport: { ws: { send(data: string | Uint8Array): void } } };
  return {
    client,
    acks: (client as unknown as { acks: Record<number, (value: unknown) => void> }).acks,
    send: (level, frame) => (level === 'message' ? engine.send(frame) : engine.transport.ws.send(frame)),
  };
}

/** Writes generated frames below socket.io-client's encoder; answers that come back must be valid. */
async function rawWorker(index: number, runs: number): Promise<void> {
  const pace = pacer();
  let raw = await rawSocket();
  let sinceConnect = 0;
  await fc.assert(
    fc.asyncProperty(rawFrames, async (r: RawFrames) => {
      // A namespace disconnect or a close leaves nothing listening; start over regularly too.
      if (!raw.client.connected || ++sinceConnect > 300) {
        raw.client.disconnect();
        raw = await rawSocket();
        sinceConnect = 0;
        counts.reconnects++;
      }
      await pace();
      if (r.ackId !== undefined && !(r.ackId in raw.acks)) {
        const event = /^2\d*\["([a-z]+)"/.exec(String(r.frames[0]))?.[1] ?? '';
        raw.acks[r.ackId] = (value: unknown) => {
          counts.rawAnswers++;
          const problem = checkAnswer(event, value);
          if (problem) counts.invalid.push(`raw ${problem}`);
        };
      }
      for (const frame of r.frames) raw.send(r.level, frame);
      counts.raw++;
      return true;
    }),
    { numRuns: runs, seed: SEED + 1000 + index, endOnFailure: true },
  );
  raw.client.disconnect();
}

/** One socket ignoring the limit: refused with RATE_LIMITED, then disconnected as a flooder. */
async function flooder(): Promise<void> {
  const client = await connect();
  const answers: Promise<unknown>[] = [];
  for (let i = 0; i < FLOOD && client.connected; i++) {
    counts.flood++;
    answers.push(
      new Promise((resolve) =>
        (client as unknown as { timeout(ms: number): { emit(event: string, ...args: unknown[]): void } }).timeout(20_000).emit('media', { mic: true, camera: false, screen: false }, (err: Error | null, value: unknown) => {
          if (err) return resolve(counts.goneBeforeAck++);
          counts.acked++;
          const problem = checkAnswer('media', value);
          if (problem) counts.invalid.push(`flood ${problem}`);
          resolve(value);
        }),
      ),
    );
    if (i % 200 === 199) await sleep(1);
  }
  await Promise.all(answers);
  client.disconnect();
}

/** Two clients in a room of their own relaying candidates back and forth until `stop`. */
async function call(stop: { done: boolean }) {
  const [a, b] = await Promise.all([connect(), connect()]);
  const ra = (await a.timeout(10_000).emitWithAck('join', { room: 'fz-call', name: 'A' })) as JoinResult;
  const rb = (await b.timeout(10_000).emitWithAck('join', { room: 'fz-call', name: 'B' })) as JoinResult;
  if (!ra.ok || !rb.ok) throw new Error('the call could not join');
  const latencies: number[] = [];
  const got: { a: string[]; b: string[] } = { a: [], b: [] };
  let sentCount = 0;
  const waiting = new Map<string, { at: number; resolve: () => void }>();
  const onSignal = (side: 'a' | 'b') => (m: SignalMessage) => {
    const mid = m.candidate?.sdpMid ?? '';
    got[side].push(mid);
    const w = waiting.get(mid);
    if (w) {
      latencies.push(performance.now() - w.at);
      waiting.delete(mid);
      w.resolve();
    }
  };
  a.on('signal', onSignal('a'));
  b.on('signal', onSignal('b'));
  const loop = (async () => {
    while (!stop.done) {
      const [from, to] = sentCount % 2 === 0 ? [a, rb.self.id] : [b, ra.self.id];
      const mid = String(sentCount++);
      const arrived = new Promise<void>((resolve) => waiting.set(mid, { at: performance.now(), resolve }));
      const ack = await from.timeout(20_000).emitWithAck('signal', { to, candidate: { candidate: 'candidate:1 1 udp 2122260223 192.0.2.7 50000 typ host', sdpMid: mid } });
      if (!ack.ok) throw new Error(`the call's signal was refused: ${ack.error.code}`);
      await Promise.race([arrived, sleep(20_000)]);
      await sleep(20);
    }
  })();
  return {
    async end() {
      await loop;
      a.disconnect();
      b.disconnect();
      return { sent: sentCount, got, latencies };
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

describe('fuzzing the server with generated inbound messages', () => {
  it('stays up, answers every ack validly, returns to its memory baseline, and a concurrent call keeps working', async () => {
    // Warm-up: the paths the fuzz takes are loaded and compiled before the baseline is taken.
    await Promise.all(Array.from({ length: 4 }, (_, i) => emitWorker(100 + i, 200)));
    await expect.poll(async () => (await scrape()).get('meshmeet_participants'), { timeout: 20_000, interval: 250 }).toBe(0);
    const baseline = await memory();

    const stop = { done: false };
    const running = await call(stop);
    const rawTotal = Math.round(TOTAL * RAW_SHARE);
    const emitTotal = TOTAL - rawTotal;
    const share = (total: number, n: number, i: number) => Math.floor(total / n) + (i < total % n ? 1 : 0);
    const started = performance.now();
    await Promise.all([
      ...Array.from({ length: EMIT_WORKERS }, (_, i) => emitWorker(i, share(emitTotal, EMIT_WORKERS, i))),
      ...Array.from({ length: RAW_WORKERS }, (_, i) => rawWorker(i, share(rawTotal, RAW_WORKERS, i))),
      flooder(),
    ]);
    const seconds = (performance.now() - started) / 1000;
    stop.done = true;
    const relay = await running.end();

    // Everyone gone: no sockets, no memberships (dropped ones expire after RESUME_GRACE_MS).
    await expect.poll(async () => (await scrape()).get('meshmeet_sockets_connected'), { timeout: 20_000, interval: 250 }).toBe(0);
    await expect.poll(async () => (await scrape()).get('meshmeet_participants'), { timeout: 20_000, interval: 250 }).toBe(0);
    const samples = await scrape();
    await sleep(500);
    const after = await memory();

    const sorted = [...relay.latencies].sort((x, y) => x - y);
    const rejected = [...samples].filter(([k]) => k.startsWith('meshmeet_rejected_messages_total')).map(([k, v]) => `${/reason="([^"]+)"/.exec(k)?.[1]}=${v}`);
    const total = counts.emitted + counts.raw + counts.flood;
    const refused = counts.errorAcks.get('RATE_LIMITED') ?? 0;
    console.log(
      [
        `fuzz: ${total} messages in ${seconds.toFixed(1)} s (${Math.round(total / seconds)}/s): ${counts.emitted} emitted, ${counts.raw} raw frames, ${counts.flood} flood`,
        `  acks: ${counts.acked} answered (${counts.okAcks} ok, errors ${JSON.stringify(Object.fromEntries(counts.errorAcks))}), ${counts.rawAnswers} raw answers, ${counts.goneBeforeAck} dropped with their socket`,
        `  processed vs refused by the rate limit (answered): ${counts.acked - refused} / ${refused}; flooders disconnected: ${samples.get('meshmeet_flooding_disconnects_total')}; reconnects: ${counts.reconnects}; emit sockets dropped: ${JSON.stringify(Object.fromEntries(counts.emitDisconnects))}`,
        `  server rejections: ${rejected.join(', ')}; warn lines: ${JSON.stringify(Object.fromEntries(warnLines))}`,
        `  call: ${relay.sent} signals, latency p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms`,
        `  memory: heapUsed after GC ${mb(baseline.heapUsed)} -> ${mb(after.heapUsed)}, VmRSS ${mb(baseline.rss)} -> ${mb(after.rss)}`,
      ].join('\n'),
    );

    expect(server.process.exitCode).toBeNull();
    expect(server.process.signalCode).toBeNull();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(errorLines).toEqual([]);
    // Malformed packets are counted, not logged as warnings (only the flooder earns one).
    expect([...warnLines.keys()].filter((msg) => msg !== 'disconnecting a flooding socket')).toEqual([]);
    expect(samples.get('meshmeet_rejected_messages_total{reason="malformed_packet"}')).toBeGreaterThan(0);
    expect(counts.invalid).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(TOTAL);
    // Most messages get through: the workers stay under the per-socket limit.
    expect(refused).toBeLessThan(counts.acked / 10);
    expect(refused).toBeGreaterThan(0);
    // The call: every signal arrived, in order, each side got the other's.
    const half = (parity: number) => Array.from({ length: relay.sent }, (_, i) => String(i)).filter((_, i) => i % 2 === parity);
    expect(relay.got.b).toEqual(half(0));
    expect(relay.got.a).toEqual(half(1));
    expect(relay.sent).toBeGreaterThan(20);
    expect(sorted.at(-1)).toBeLessThan(5_000);
    expect(after.heapUsed).toBeLessThan(baseline.heapUsed + HEAP_BOUND);
    expect(after.rss).toBeLessThan(baseline.rss + RSS_BOUND);
  }, 240_000);
});
