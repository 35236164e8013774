/**
 * The traffic of the fuzz test (fuzz.int.test.ts): workers that send generated messages over real
 * sockets and check every answer against the protocol's schemas, a flooder, and
 * the concurrent call whose signals must keep arriving. Counts go into `counts`.
 */
import fc from 'fast-check';
import { io as connectClient } from 'socket.io-client';
import { AckSchema, JoinResultSchema, type JoinResult, type SignalMessage } from '@meshmeet/protocol';
import { emission, FORGED_RESUME, KNOWN_PEER, KNOWN_RESUME, RECONNECT, rawFrames, type Emission, type RawFrames } from './fuzzArbitraries.ts';
import type { Client } from './test-utils.ts';

/** Per worker, below the server's default 100 messages/s so that most messages are processed. */
const RATE_PER_SECOND = 70;
const FLOOD = 1_500;
export const SEED = Number(process.env.FUZZ_SEED ?? 1303);

export const target = { url: '' };
/** The server every worker talks to. */
export function aim(serverUrl: string): void {
  target.url = serverUrl;
}

export function connect(): Promise<Client> {
  const socket: Client = connectClient(target.url, { transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** heapUsed after a full GC (from the server process) and VmRSS read from /proc. */

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps one worker under RATE_PER_SECOND on average. */
export function pacer() {
  const start = performance.now();
  let count = 0;
  return async () => {
    const due = start + (count++ * 1000) / RATE_PER_SECOND;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
  };
}

export const counts = {
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
  http: 0,
  drops: 0,
  resumed: new Map<string, number>(),
  probes: new Map<string, number>(),
  httpStatus: new Map<number, number>(),
  invalid: [] as string[],
};
const countError = (code: string) => counts.errorAcks.set(code, (counts.errorAcks.get(code) ?? 0) + 1);

/** A schema-valid answer, or the reason it is not; counts it. */
export function checkAnswer(event: string, value: unknown): string | null {
  const parsed = event === 'join' ? JoinResultSchema.safeParse(value) : AckSchema.safeParse(value);
  if (!parsed.success) return `${event}: ${JSON.stringify(value)?.slice(0, 300)} is no valid answer`;
  if (parsed.data.ok) counts.okAcks++;
  else {
    countError(parsed.data.error.code);
    if (parsed.data.error.code === 'INTERNAL') return `${event}: INTERNAL error (a handler threw)`;
  }
  return null;
}

interface Seen {
  peers: string[];
  resume?: string;
  /** The room of that credential: a resume is honoured only there. */
  room?: string;
}

/** The credential with one character changed: a forgery the signature check must refuse. */
function forge(token: string): string {
  const at = Math.max(0, token.length - 5);
  return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
}

/** Replaces the placeholders with a peer id, or the resume credential, this socket has seen. */
function substitute(value: unknown, seen: Seen, depth = 0): unknown {
  if (value === KNOWN_PEER) return seen.peers.length ? seen.peers[Math.floor(Math.random() * seen.peers.length)] : 'nobody';
  if (value === KNOWN_RESUME) return seen.resume ?? 'none';
  if (value === FORGED_RESUME) return seen.resume ? forge(seen.resume) : 'forged';
  if (depth > 3 || value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map((v) => substitute(v, seen, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, seen, depth + 1)]));
  if ((value as { resume?: unknown }).resume === KNOWN_RESUME && seen.room && typeof copy.room === 'string') copy.room = seen.room;
  return copy;
}

/** One socket.io-client socket emitting `runs` generated messages; reconnects when the server drops it. */
export async function emitWorker(index: number, runs: number): Promise<void> {
  const pace = pacer();
  let client = await connect();
  const seen: Seen = { peers: [] };
  const track = (c: Client) => {
    c.on('peer-joined', (p) => seen.peers.push(p.id));
    c.on('disconnect', (reason) => counts.emitDisconnects.set(reason, (counts.emitDisconnects.get(reason) ?? 0) + 1));
  };
  track(client);
  await fc.assert(
    fc.asyncProperty(emission, async (e: Emission) => {
      if (e.event === RECONNECT) {
        counts.drops++;
        if (e.ack) client.disconnect();
        else client.io.engine.close();
      }
      if (!client.connected) {
        client.disconnect();
        client = await connect();
        track(client);
        seen.peers = [];
        counts.reconnects++;
      }
      if (e.event === RECONNECT) return true;
      await pace();
      const args = e.args.map((a) => substitute(a, seen));
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
        throw new Error(`${e.event}: no answer within 20 s on a connected socket`);
      }
      counts.acked++;
      const problem = checkAnswer(e.event, answer.value);
      if (problem) throw new Error(problem);
      const result = answer.value as JoinResult;
      if (e.event === 'join' && result.ok) {
        seen.peers = [result.self.id, ...result.peers.map((p) => p.id)];
        if (result.resume) {
          seen.resume = result.resume;
          seen.room = (args[0] as { room: string }).room;
        }
        if (result.resumed) counts.resumed.set(result.resumed, (counts.resumed.get(result.resumed) ?? 0) + 1);
      }
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
  const engine = client.io.engine as unknown as { send(data: string | Uint8Array): void; transport: { ws?: { send(data: string | Uint8Array): void } | null } };
  return {
    client,
    acks: (client as unknown as { acks: Record<number, (value: unknown) => void> }).acks,
    // The engine may have closed meanwhile (the server drops a connection on a bad frame).
    send: (level, frame) => (level === 'message' ? engine.send(frame) : engine.transport.ws?.send(frame)),
  };
}

function probe(client: Client): Promise<'answered' | 'gone' | 'silent'> {
  const untyped = client as unknown as { timeout(ms: number): { emit(event: string, ack: (err: Error | null, value: unknown) => void): void } };
  return new Promise((resolve) =>
    untyped.timeout(3_000).emit('probe', (err, value) => {
      if (err) return resolve(client.connected ? 'silent' : 'gone');
      const problem = checkAnswer('probe', value);
      if (problem) counts.invalid.push(`probe ${problem}`);
      resolve('answered');
    }),
  );
}

/** Writes generated frames below socket.io-client's encoder; answers that come back must be valid. */
export async function rawWorker(index: number, runs: number): Promise<void> {
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
      // A round trip on the same ordered connection: the frame has been dealt with, and the
      // connection either still answers or is gone (a refused frame closes it; a namespace
      // disconnect leaves it silent). Without it, frames sent into a closing connection are lost.
      const after = await probe(raw.client);
      counts.probes.set(after, (counts.probes.get(after) ?? 0) + 1);
      if (after !== 'answered') raw.client.disconnect();
      return true;
    }),
    { numRuns: runs, seed: SEED + 1000 + index, endOnFailure: true },
  );
  raw.client.disconnect();
}

/** One socket ignoring the limit: refused with RATE_LIMITED, then disconnected as a flooder. */
export async function flooder(): Promise<void> {
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
export async function call(stop: { done: boolean }) {
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
