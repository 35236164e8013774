import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { io as connectClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { JoinResult } from '@meshmeet/protocol';
import { randomSecret } from './test-utils.ts';

/** The process contract: run main.ts as other packages do, parse the "listening" line, SIGTERM it. */

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');
const children = new Set<ChildProcess>();

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    // A secret of its own, so that no test writes the repository's state dir.
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ICE_SERVERS: '[]', WEB_DIST: '/nonexistent', SESSION_SECRET: randomSecret(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const lines: string[] = [];
  let stderr = '';
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve({ code, at: performance.now() });
    }),
  );
  return { child, lines, stderr: () => stderr, exited };
}

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
});

async function listening(lines: string[]): Promise<{ port: number; host: string }> {
  await expect.poll(() => lines.some((l) => l.includes('"msg":"listening"')), { timeout: 30_000, interval: 50 }).toBe(true);
  const line = JSON.parse(lines.find((l) => l.includes('"msg":"listening"'))!) as { port: unknown; host: unknown; level: unknown };
  expect(line.level).toBe(30);
  expect(typeof line.port).toBe('number');
  return { port: line.port as number, host: line.host as string };
}

describe('the signaling process', () => {
  it('prints one listening line with the port, and drains and exits 0 within 10 s of SIGTERM', async () => {
    const p = run({ LOG_LEVEL: 'info', DRAIN_GRACE_MS: '1500' });
    const { port, host } = await listening(p.lines);
    expect(host).toBe('127.0.0.1');
    expect(port).toBeGreaterThan(0);
    expect(p.lines.filter((l) => l.includes('"msg":"listening"'))).toHaveLength(1);
    const url = `http://${host}:${port}`;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const client = connectClient(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const result: JoinResult = await client.timeout(10_000).emitWithAck('join', { room: 'drain', name: 'Client' });
    expect(result.ok).toBe(true);
    const disconnected = new Promise<string>((resolve) => client.once('disconnect', resolve));

    const signalledAt = performance.now();
    p.child.kill('SIGTERM');
    expect(await disconnected).toBe('io server disconnect');
    // During the grace period the process is alive but not ready.
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    const { code, at } = await p.exited;
    expect(code).toBe(0);
    // The contract's bound, not a performance goal: orchestrators kill what takes longer.
    expect(at - signalledAt).toBeLessThan(10_000);
    const logged = p.lines.map((l) => JSON.parse(l) as { msg: string });
    expect(logged.map((l) => l.msg)).toEqual(expect.arrayContaining(['listening', 'joined', 'shutting down', 'draining', 'stopped']));
    client.close();
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ ICE_SERVERS: '{not json' }, 'ICE_SERVERS'],
    [{ TURN_URLS: 'turn:turn.example.org' }, 'TURN'],
    [{ SESSION_SECRET: 'a-secret-that-is-too-short' }, 'SESSION_SECRET'],
    [{ RESUME_GRACE_MS: 'soon' }, 'RESUME_GRACE_MS'],
  ])('exits 1 and says what is wrong for %o (every rule: config.test.ts)', async (env, variable) => {
    const p = run(env);
    const { code } = await p.exited;
    expect(code).toBe(1);
    expect(p.stderr()).toContain('invalid configuration');
    expect(p.stderr()).toContain(variable);
    expect(p.stderr()).not.toContain('a-secret-that-is-too-short');
    expect(p.lines.some((l) => l.includes('listening'))).toBe(false);
  });

  it.each(['warn', 'silent'])('prints the listening line at LOG_LEVEL=%s too', async (level) => {
    const p = run({ LOG_LEVEL: level });
    const { port } = await listening(p.lines);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });

  it('exits 1 with a message when the port is taken', async () => {
    const first = run({});
    const { port } = await listening(first.lines);
    const second = run({ PORT: String(port) });
    expect((await second.exited).code).toBe(1);
    expect(second.lines.join('\n')).toContain('could not listen');
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
  });
});
