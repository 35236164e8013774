import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emitRaw, joined, peerId, startServer, type TestServer } from './test-utils.ts';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('health, readiness and metrics', () => {
  it('answers /healthz and /readyz with security headers', async () => {
    t = await startServer();
    for (const path of ['/healthz', '/readyz', '/metrics', '/nope']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('answers /readyz with 503 while draining, and stays alive until the grace period ends', async () => {
    t = await startServer({ DRAIN_GRACE_MS: '2000' });
    const drained = t.server.drain();
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    await expect(t.connect()).rejects.toThrow();
    await drained;
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow();
  });

  it('exposes counters in Prometheus format without ids as labels', async () => {
    t = await startServer();
    const [a, b] = await Promise.all([t.connect(), t.connect()]);
    await joined(a, 'metrics-room', 'A');
    await joined(b, 'metrics-room', 'B');
    await a.emitWithAck('signal', { to: peerId(b), description: { type: 'offer', sdp: 'v=0\r\n' } });
    await b.emitWithAck('signal', { to: peerId(a), description: { type: 'answer', sdp: 'v=0\r\n' } });
    await a.emitWithAck('signal', { to: peerId(b), candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' } });
    await a.emitWithAck('signal', { to: peerId(b), candidate: null });
    await a.emitWithAck('media', { mic: true, camera: false, screen: false });
    await emitRaw(a, 'signal', { to: 'nobody', candidate: null });
    await emitRaw(a, 'signal', 'junk');
    await emitRaw(a, 'join', { room: 'metrics-room', name: 'Again' });

    const res = await fetch(`${t.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const value = (line: string) => text.split('\n').find((l) => l.startsWith(`${line} `))?.split(' ')[1];
    expect(value('meshmeet_sockets_connected')).toBe('2');
    expect(value('meshmeet_rooms')).toBe('1');
    expect(value('meshmeet_participants')).toBe('2');
    expect(value('meshmeet_joins_total{result="ok"}')).toBe('2');
    expect(value('meshmeet_joins_total{result="refused"}')).toBe('1');
    expect(value('meshmeet_rejected_messages_total{reason="ALREADY_JOINED"}')).toBe('1');
    expect(value('meshmeet_relayed_messages_total{kind="offer"}')).toBe('1');
    expect(value('meshmeet_relayed_messages_total{kind="answer"}')).toBe('1');
    expect(value('meshmeet_relayed_messages_total{kind="candidate"}')).toBe('1');
    expect(value('meshmeet_relayed_messages_total{kind="end_of_candidates"}')).toBe('1');
    expect(value('meshmeet_relayed_messages_total{kind="media"}')).toBe('1');
    expect(value('meshmeet_rejected_messages_total{reason="UNKNOWN_PEER"}')).toBe('1');
    expect(value('meshmeet_rejected_messages_total{reason="INVALID_MESSAGE"}')).toBe('1');
    // Every join that reached its handler, the one refused there (ALREADY_JOINED) included.
    expect(value('meshmeet_handler_duration_seconds_count{event="join"}')).toBe('3');
    expect(value('meshmeet_away_members')).toBe('0');
    expect(text).toContain('# TYPE meshmeet_handler_duration_seconds histogram');
    for (const name of ['process_resident_memory_bytes', 'process_cpu_seconds_total', 'nodejs_heap_size_used_bytes', 'process_open_fds']) {
      expect(Number(value(name))).toBeGreaterThan(0);
    }
    expect(Number(value('nodejs_eventloop_lag_seconds'))).toBeGreaterThanOrEqual(0);
    for (const id of [peerId(a), peerId(b), 'metrics-room']) expect(text).not.toContain(id);
  });
});

describe('socket origins', () => {
  it('admits same origin, localhost and non-browser clients by default, and refuses others', async () => {
    t = await startServer();
    const port = new URL(t.url).port;
    await expect(t.connect({ origin: `http://127.0.0.1:${port}` })).resolves.toBeDefined();
    await expect(t.connect({ origin: 'http://localhost:5173' })).resolves.toBeDefined();
    await expect(t.connect()).resolves.toBeDefined();
    await expect(t.connect({ origin: 'https://evil.example' })).rejects.toThrow();
  });

  it('admits only the listed origins (and same origin) when ALLOWED_ORIGINS is set', async () => {
    t = await startServer({ ALLOWED_ORIGINS: 'https://meet.example.org, https://other.example.org' });
    await expect(t.connect({ origin: 'https://meet.example.org' })).resolves.toBeDefined();
    await expect(t.connect({ origin: 'http://localhost:5173' })).rejects.toThrow();
    await expect(t.connect({ origin: 'https://meet.example.org.evil.example' })).rejects.toThrow();
  });
});

describe('the web app', () => {
  let dist: string;
  beforeAll(() => {
    dist = mkdtempSync(joinPath(tmpdir(), 'meshmeet-web-'));
    mkdirSync(joinPath(dist, 'assets'));
    writeFileSync(joinPath(dist, 'index.html'), '<!doctype html><title>meshmeet test</title>');
    writeFileSync(joinPath(dist, 'assets', 'app.js'), 'console.log(1)');
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('serves the built app at / and index.html for room links', async () => {
    t = await startServer({ WEB_DIST: dist });
    for (const path of ['/', '/r/standup', '/r/Team_1-b/']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('meshmeet test');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    expect((await fetch(`${t.url}/r/standup`)).headers.get('cache-control')).toBe('no-cache');
    const asset = await fetch(`${t.url}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${t.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${t.url}/r/bad%2Froom`)).status).toBe(404);
  });

  it('answers / with 404 when there is no built app', async () => {
    t = await startServer();
    expect((await fetch(`${t.url}/`)).status).toBe(404);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });
});
