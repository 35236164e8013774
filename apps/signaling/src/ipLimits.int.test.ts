import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { join, joined, metric, next, peerId, startServer, type Client, type TestServer } from './test-utils.ts';

/**
 * The per-address limits against the real server, with real socket.io clients bound to chosen
 * loopback addresses (Linux routes all of 127/8 to lo, so 127.0.0.2 is a second machine here).
 */

const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };

let t: TestServer;
afterEach(async () => {
  await t.close();
});

type Outcome = { ok: true; client: Client } | { ok: false; message: string; data: unknown };

async function attempt(options: Parameters<TestServer['connect']>[0]): Promise<Outcome> {
  try {
    return { ok: true, client: await t.connect(options) };
  } catch (error) {
    const e = error as Error & { data?: unknown };
    return { ok: false, message: e.message, data: e.data };
  }
}

const refusals = (reason: string) => metric(t, `meshmeet_refusals_total{reason="${reason}"}`);

/** One HTTP exchange with the engine.io polling endpoint, below socket.io-client. */
function poll(localAddress: string, query: string, body?: string): Promise<{ status: number; text: string }> {
  const url = new URL(`/socket.io/?EIO=4&transport=polling${query}`, t.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress, method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'text/plain' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A bare engine.io polling handshake (no socket.io CONNECT follows): its HTTP status. */
async function handshake(localAddress: string): Promise<number> {
  return (await poll(localAddress, '')).status;
}

describe('sockets per address', () => {
  it('refuses a flood from one address with a typed connect_error while another address connects, joins and relays', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    t = await startServer({ MAX_SOCKETS_PER_IP: '5' }, { log: createLogger('info', stream) });
    const flood = await Promise.all(Array.from({ length: 12 }, () => attempt({ localAddress: '127.0.0.1' })));
    const admitted = flood.flatMap((o) => (o.ok ? [o.client] : []));
    const refused = flood.flatMap((o) => (o.ok ? [] : [o]));
    expect(admitted).toHaveLength(5);
    expect(refused).toHaveLength(7);
    for (const r of refused) {
      expect(r.message).toBe('too many connections from your address');
      expect(r.data).toEqual({ code: 'RATE_LIMITED', message: 'too many connections from your address' });
    }
    expect(await refusals('sockets_per_ip')).toBe('7');
    // Seven refusals, one log line: a flood does not flood the log.
    expect(lines.filter((l) => l.msg === 'per-address limit reached')).toEqual([
      expect.objectContaining({ level: 30, reason: 'sockets_per_ip', address: '127.0.0.1', limit: 5 }),
    ]);

    const other = await t.connect({ localAddress: '127.0.0.2' });
    const [first] = admitted as [Client];
    await joined(first, 'flooded', 'First');
    await joined(other, 'flooded', 'Other');
    const got = next(first, 'signal');
    expect(await other.emitWithAck('signal', { to: peerId(first), candidate: CANDIDATE })).toEqual({ ok: true });
    expect(await got).toEqual({ from: peerId(other), candidate: CANDIDATE });

    // A closed socket gives its slot back.
    admitted[4]!.disconnect();
    await expect.poll(async () => (await attempt({ localAddress: '127.0.0.1' })).ok, { timeout: 5_000 }).toBe(true);
  });

  it('closes a refused connection itself, whatever its client does', async () => {
    t = await startServer({ MAX_SOCKETS_PER_IP: '1', PING_INTERVAL_MS: '20000', PING_TIMEOUT_MS: '20000' });
    await t.connect({ localAddress: '127.0.0.1' });
    // A hand-made client that would keep its engine.io session open after the refusal.
    const open = await poll('127.0.0.1', '');
    const sid = (JSON.parse(open.text.slice(1)) as { sid: string }).sid;
    expect((await poll('127.0.0.1', `&sid=${sid}`, '40')).text).toBe('ok');
    const answer = await poll('127.0.0.1', `&sid=${sid}`);
    expect(answer.text).toMatch(/^44\{"message":"too many connections from your address","data":\{"code":"RATE_LIMITED"/);
    // Then the server ends the session: a close packet (after a noop), or an unknown sid once it is gone.
    const after = await poll('127.0.0.1', `&sid=${sid}`);
    expect(after.status === 400 || after.text.split('\x1e').includes('1')).toBe(true);
    await expect.poll(() => t.server.io.engine.clientsCount).toBe(1);
  });

  it('refuses bare handshakes past 2 x the limit + 16 with 403, per address', async () => {
    t = await startServer({ MAX_SOCKETS_PER_IP: '3', PING_INTERVAL_MS: '20000', PING_TIMEOUT_MS: '20000' });
    const statuses = [];
    for (let i = 0; i < 24; i++) statuses.push(await handshake('127.0.0.1'));
    expect(statuses).toEqual([...Array.from({ length: 22 }, () => 200), 403, 403]);
    expect(await handshake('127.0.0.2')).toBe(200);
    // A whole client from the other address still gets through.
    await joined(await t.connect({ localAddress: '127.0.0.2' }), 'calm', 'Calm');
    expect(await refusals('handshakes_per_ip')).toBe('2');
  });
});

describe('joins per minute per address', () => {
  it('answers joins past the rate RATE_LIMITED, with nothing else happening, while another address joins', async () => {
    t = await startServer({ JOINS_PER_MINUTE_PER_IP: '3', TURN_URLS: 'turn:turn.example.org', TURN_SECRET: 'a-turn-secret' });
    const host = await t.connect({ localAddress: '127.0.0.2' });
    await joined(host, 'busy', 'Host');
    const peerJoined: unknown[] = [];
    host.on('peer-joined', (peer) => peerJoined.push(peer));

    const a = await t.connect({ localAddress: '127.0.0.1' });
    for (let i = 0; i < 3; i++) {
      await joined(a, 'busy', `A${i}`);
      expect(await a.emitWithAck('leave')).toEqual({ ok: true });
    }
    const refused = await join(a, 'busy', 'A3');
    expect(refused).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: 'too many joins from your address; try again in a minute' } });
    // Per address, not per socket: a fresh socket from the same address is refused too.
    const b = await t.connect({ localAddress: '127.0.0.1' });
    expect(await join(b, 'busy', 'B')).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(t.server.rooms.count('busy')).toBe(1);
    await expect.poll(() => peerJoined.length).toBe(3);
    expect(peerJoined).toHaveLength(3);

    // Another address is not held back.
    const c = await t.connect({ localAddress: '127.0.0.3' });
    await joined(c, 'busy', 'C');
    expect(await refusals('joins_per_ip')).toBe('2');
    expect(await metric(t, 'meshmeet_joins_total{result="refused"}')).toBe('2');
  });
});

describe('the address behind a proxy', () => {
  it('counts by the forwarded address only when TRUST_PROXY trusts the hop, taking the right-most untrusted one', async () => {
    t = await startServer({ MAX_SOCKETS_PER_IP: '2', TRUST_PROXY: 'loopback' });
    const via = (xff: string) => attempt({ localAddress: '127.0.0.1', headers: { 'x-forwarded-for': xff } });
    expect((await via('198.51.100.1')).ok).toBe(true);
    // The left part is whatever the client wrote; the proxy appended the real one on the right.
    expect((await via('203.0.113.9, 198.51.100.1')).ok).toBe(true);
    expect(await via('203.0.113.10, 198.51.100.1')).toMatchObject({ ok: false, data: { code: 'RATE_LIMITED' } });
    expect((await via('198.51.100.2')).ok).toBe(true);
    // Without a header the peer itself is the client.
    expect((await attempt({ localAddress: '127.0.0.1' })).ok).toBe(true);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: a spoofed header buys no new slots', async () => {
    t = await startServer({ MAX_SOCKETS_PER_IP: '2' });
    const via = (xff: string) => attempt({ localAddress: '127.0.0.1', headers: { 'x-forwarded-for': xff } });
    expect((await via('198.51.100.1')).ok).toBe(true);
    expect((await via('198.51.100.2')).ok).toBe(true);
    expect(await via('198.51.100.3')).toMatchObject({ ok: false, data: { code: 'RATE_LIMITED' } });
    expect((await attempt({ localAddress: '127.0.0.2' })).ok).toBe(true);
    expect(await refusals('sockets_per_ip')).toBe('1');
  });
});
