/**
 * Micro-measurement of inbound validation: the hand-written check against zod, per message.
 * Run: node --import tsx bench/validate.ts
 */
import { SignalRequestSchema } from '@meshmeet/protocol';
import { TokenBucket } from '../src/rateLimit.ts';
import { isValidSignalFast } from '../src/validate.ts';

const CANDIDATE = {
  to: 'AbCdEfGhIjKlMnOpQrSt',
  candidate: { candidate: 'candidate:842163049 1 udp 1677729535 203.0.113.7 49203 typ srflx raddr 10.0.0.1 rport 49203 generation 0', sdpMid: '0', sdpMLineIndex: 0 },
};
const OFFER = { to: 'AbCdEfGhIjKlMnOpQrSt', description: { type: 'offer', sdp: 'a=x\r\n'.repeat(1200) } };

function time(label: string, n: number, fn: (i: number) => unknown): void {
  for (let i = 0; i < 20_000; i++) fn(i); // warm up
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < n; i++) if (fn(i)) sink++;
  const ns = Number(process.hrtime.bigint() - start) / n;
  console.log(`${label.padEnd(40)} ${ns.toFixed(0).padStart(6)} ns/message${sink < 0 ? '!' : ''}`);
}

// Fresh objects per message, as JSON.parse hands them over.
const candidates = Array.from({ length: 1024 }, () => JSON.parse(JSON.stringify(CANDIDATE)) as unknown);
const offers = Array.from({ length: 64 }, () => JSON.parse(JSON.stringify(OFFER)) as unknown);
time('fast check, candidate', 2_000_000, (i) => isValidSignalFast(candidates[i & 1023]));
time('zod safeParse, candidate', 500_000, (i) => SignalRequestSchema.safeParse(candidates[i & 1023]).success);
time('fast check, 6 KB offer', 2_000_000, (i) => isValidSignalFast(offers[i & 63]));
time('zod safeParse, 6 KB offer', 500_000, (i) => SignalRequestSchema.safeParse(offers[i & 63]).success);
const bucket = new TokenBucket({ rate: 1e9, burst: 1e9, floodLimit: 1e9 }, performance.now());
time('token bucket (performance.now + take)', 2_000_000, () => bucket.take(performance.now()) === 'ok');
