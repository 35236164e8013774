import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { io as connectClient } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JoinResult } from '@meshmeet/protocol';
import { randomSecret, selfSignedCert, startServer, type TestServer } from './test-utils.ts';

/** HTTPS and wss from TLS_CERT/TLS_KEY, through the real process; TRUST_PROXY's origin check. */

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');
const children = new Set<ChildProcess>();
let pem: ReturnType<typeof selfSignedCert>;

beforeAll(() => {
  pem = selfSignedCert(['localhost', '127.0.0.1']);
});
afterAll(() => pem.remove());
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
});

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ICE_SERVERS: '[]', WEB_DIST: '/nonexistent', SESSION_SECRET: randomSecret(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const lines: string[] = [];
  let stderr = '';
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, lines, stderr: () => stderr, exited };
}

async function listening(lines: string[]): Promise<{ port: number; protocol: unknown }> {
  await expect.poll(() => lines.some((l) => l.includes('"msg":"listening"')), { timeout: 30_000, interval: 50 }).toBe(true);
  return JSON.parse(lines.find((l) => l.includes('"msg":"listening"'))!) as { port: number; protocol: unknown };
}

/** GET over https, verifying the server against `ca` (the test's own certificate). */
function httpsGet(url: string, ca: string): Promise<{ status: number; body: string; authorized: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca }, (res) => {
      const authorized = (res.socket as import('node:tls').TLSSocket).authorized;
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, authorized }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TLS_CERT and TLS_KEY', () => {
  it('serve https and wss on the one port, and no plain http', async () => {
    const p = run({ TLS_CERT: pem.certPath, TLS_KEY: pem.keyPath, LOG_LEVEL: 'info' });
    const { port, protocol } = await listening(p.lines);
    expect(protocol).toBe('https');

    const health = await httpsGet(`https://127.0.0.1:${port}/healthz`, pem.cert);
    expect(health).toMatchObject({ status: 200, authorized: true });
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    // The port speaks TLS only: a plain http request gets no HTTP answer.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

    const client = connectClient(`https://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, forceNew: true, rejectUnauthorized: false });
    try {
      const result: JoinResult = await client.timeout(10_000).emitWithAck('join', { room: 'tls', name: 'Secure' });
      expect(result.ok).toBe(true);
      expect(client.io.engine.transport.name).toBe('websocket');
      expect((client.io.engine.transport as unknown as { uri(): string }).uri()).toMatch(/^wss:\/\//);
    } finally {
      client.close();
    }
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });

  it('without them, serves plain http as before', async () => {
    const p = run({});
    const { port, protocol } = await listening(p.lines);
    expect(protocol).toBe('http');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });

  it.each([
    ['only TLS_CERT', () => ({ TLS_CERT: pem.certPath }), 'TLS_KEY: TLS_CERT and TLS_KEY go together'],
    ['only TLS_KEY', () => ({ TLS_KEY: pem.keyPath }), 'TLS_CERT: TLS_CERT and TLS_KEY go together'],
    ['a missing certificate file', () => ({ TLS_CERT: join(pem.dir, 'absent.pem'), TLS_KEY: pem.keyPath }), 'TLS_CERT: cannot read'],
    ['an unreadable key (a directory)', () => ({ TLS_CERT: pem.certPath, TLS_KEY: pem.dir }), 'TLS_KEY: cannot read'],
    ['a key that is not PEM', () => ({ TLS_CERT: pem.certPath, TLS_KEY: junk() }), 'not a PEM certificate and its matching private key'],
    ['a key of another certificate', () => ({ TLS_CERT: pem.certPath, TLS_KEY: otherKey() }), 'not a PEM certificate and its matching private key'],
  ])('exits 1 with a clear message for %s', async (_label, env, message) => {
    const p = run(env());
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain('invalid configuration');
    expect(p.stderr()).toContain(message);
    expect(p.stderr()).not.toContain('PRIVATE KEY');
    expect(p.lines.some((l) => l.includes('listening'))).toBe(false);
  });
});

function junk(): string {
  const path = join(pem.dir, 'junk.pem');
  writeFileSync(path, 'this is not a key\n');
  return path;
}

let other: ReturnType<typeof selfSignedCert> | undefined;
function otherKey(): string {
  other ??= selfSignedCert(['other.example']);
  return other.keyPath;
}
afterAll(() => other?.remove());

describe('TRUST_PROXY and the origin check', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });
  const forwarded = { 'x-forwarded-host': 'meet.example.org', 'x-forwarded-proto': 'https' };

  it('without it, forwarded headers are ignored: the page of the public name is another origin', async () => {
    t = await startServer({ ALLOWED_ORIGINS: 'https://a.example' });
    await expect(t.connect({ origin: 'https://meet.example.org', headers: forwarded })).rejects.toThrow();
  });

  it('with it, the forwarded host and proto are the server\'s own origin', async () => {
    t = await startServer({ ALLOWED_ORIGINS: 'https://a.example', TRUST_PROXY: 'loopback' });
    await expect(t.connect({ origin: 'https://meet.example.org', headers: forwarded })).resolves.toBeDefined();
    // Scheme counts: an http page of that name is not the https origin the proxy serves.
    await expect(t.connect({ origin: 'http://meet.example.org', headers: forwarded })).rejects.toThrow();
    await expect(t.connect({ origin: 'https://evil.example', headers: forwarded })).rejects.toThrow();
  });

  it('trusts only the listed proxies', async () => {
    t = await startServer({ ALLOWED_ORIGINS: 'https://a.example', TRUST_PROXY: '198.51.100.7' });
    await expect(t.connect({ origin: 'https://meet.example.org', headers: forwarded })).rejects.toThrow();
  });

  it('same origin over direct TLS is https', async () => {
    t = await startServer({ ALLOWED_ORIGINS: 'https://a.example', TLS_CERT: pem.certPath, TLS_KEY: pem.keyPath });
    expect(t.url).toMatch(/^https:/);
    const port = new URL(t.url).port;
    await expect(t.connect({ origin: `https://127.0.0.1:${port}`, ca: pem.cert })).resolves.toBeDefined();
    await expect(t.connect({ origin: `http://127.0.0.1:${port}`, ca: pem.cert })).rejects.toThrow();
  });
});
