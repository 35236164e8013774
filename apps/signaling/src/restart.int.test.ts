import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { io as connectClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSignalingServer, type SignalingProcess, type SpawnOptions } from '@meshmeet/rtc-core/test-utils/spawn';
import { joinedV2, next, record, settle, waitForDisconnect, type Client } from './test-utils.ts';

// The real process, really killed: SIGKILL (a crash) or SIGTERM (a deploy), then started again on
// the same port. The rooms come back through resumes.

const servers: SignalingProcess[] = [];
const clients: Client[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function spawnServer(options: SpawnOptions = {}): Promise<SignalingProcess> {
  const s = await spawnSignalingServer({ ...options, env: { LOG_LEVEL: 'warn', ...options.env } });
  servers.push(s);
  return s;
}

function connect(url: string): Promise<Client> {
  const socket: Client = connectClient(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  clients.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

function stateDir(): string {
  const dir = mkdtempSync(joinPath(tmpdir(), 'meshmeet-state-'));
  dirs.push(dir);
  return dir;
}

/** Alice and Bob in a room, then the server dies by `signal` and comes back; both resume. */
async function survives(server: SignalingProcess, signal: 'SIGKILL' | 'SIGTERM') {
  const [alice, bob] = [await connect(server.url), await connect(server.url)];
  const a = await joinedV2(alice, 'call', 'Alice');
  const b = await joinedV2(bob, 'call', 'Bob');
  const seenByBob = record(bob, ['peer-left']);
  const gone = [waitForDisconnect(alice), waitForDisconnect(bob)];
  await server.kill(signal);
  await Promise.all(gone);
  await server.restart();

  const [alice2, bob2] = [await connect(server.url), await connect(server.url)];
  const backA = await joinedV2(alice2, 'call', 'Alice', a.resume);
  expect(backA).toMatchObject({ resumed: 'restored', self: { id: a.self.id }, peers: [] });
  const announced = next(alice2, 'peer-joined');
  const backB = await joinedV2(bob2, 'call', 'Bob', b.resume);
  expect(backB).toMatchObject({ resumed: 'restored', self: { id: b.self.id }, peers: [{ id: a.self.id, name: 'Alice' }] });
  expect((await announced).id).toBe(b.self.id);
  // The restored ids relay as before.
  const got = next(bob2, 'signal');
  expect(await alice2.emitWithAck('signal', { to: b.self.id, candidate: null })).toEqual({ ok: true });
  expect(await got).toEqual({ from: a.self.id, candidate: null });
  return { seenByBob };
}

describe('a server restart', () => {
  it('after SIGKILL, with the same SESSION_SECRET: members resume as restored with their ids', async () => {
    const server = await spawnServer();
    await survives(server, 'SIGKILL');
  });

  it('after SIGTERM: the drain tells nobody that anyone left, and the room comes back', async () => {
    const server = await spawnServer();
    const { seenByBob } = await survives(server, 'SIGTERM');
    expect(seenByBob).toEqual([]);
  });

  it('without SESSION_SECRET: the secret in the state file survives the restart', async () => {
    const dir = stateDir();
    const server = await spawnServer({ env: { SESSION_SECRET: '', STATE_DIR: dir } });
    expect(statSync(joinPath(dir, 'session-secret')).mode & 0o777).toBe(0o600);
    await survives(server, 'SIGKILL');
    expect(server.output()).not.toContain('state file unusable');
  });

  it('two servers starting at once on one state dir share one secret', async () => {
    const dir = stateDir();
    const [one, two] = await Promise.all([
      spawnServer({ env: { SESSION_SECRET: '', STATE_DIR: dir } }),
      spawnServer({ env: { SESSION_SECRET: '', STATE_DIR: dir } }),
    ]);
    const a = await joinedV2(await connect(one.url), 'call', 'Alice');
    const elsewhere = await connect(two.url);
    const back = await joinedV2(elsewhere, 'call', 'Alice', a.resume);
    expect(back).toMatchObject({ resumed: 'restored', self: { id: a.self.id } });
    await settle(elsewhere);
  });

  it('with another SESSION_SECRET: credentials are refused and members join anew', async () => {
    const server = await spawnServer();
    const a = await joinedV2(await connect(server.url), 'call', 'Alice');
    await server.kill('SIGKILL');
    const other = await spawnServer({ port: server.port });
    const back = await joinedV2(await connect(other.url), 'call', 'Alice', a.resume);
    expect(back.resumed).toBe('refused');
    expect(back.self.id).not.toBe(a.self.id);
  });
});
