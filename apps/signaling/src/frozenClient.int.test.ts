import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { JoinSuccess } from '@meshmeet/protocol';
import { joinedV2, next, record, settle, startServer, type TestServer } from './test-utils.ts';

// Real freezes: a client process is stopped with SIGSTOP, so its socket stays open but silent and
// only the server's heartbeat (PING_INTERVAL_MS 4000 + PING_TIMEOUT_MS 3000, the defaults) notices.

const CLIENT = fileURLToPath(new URL('./fixtures/resumingClient.ts', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');

let t: TestServer | null = null;
let child: ChildProcess | null = null;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }
  child = null;
  await t?.close();
  t = null;
});

function startClient(url: string) {
  const c = spawn(process.execPath, ['--import', TSX, CLIENT, url, 'frozen', 'Frozen'], { stdio: ['ignore', 'pipe', 'inherit'] });
  child = c;
  const answers: JoinSuccess[] = [];
  createInterface({ input: c.stdout! }).on('line', (line) => answers.push(JSON.parse(line) as JoinSuccess));
  return { process: c, answers };
}

describe('a frozen client', () => {
  it('is removed from the room within 15 s of freezing', async () => {
    t = await startServer();
    const bob = await t.connect();
    await joinedV2(bob, 'frozen', 'Bob');
    const frozen = startClient(t.url);
    await expect.poll(() => frozen.answers.length, { timeout: 20_000 }).toBe(1);
    const id = frozen.answers[0]!.self.id;
    const left = next(bob, 'peer-left', 20_000);
    const stoppedAt = performance.now();
    frozen.process.kill('SIGSTOP');
    expect(await left).toEqual({ id });
    // The requirement's bound: grace 14 s counted from the last pong it answered.
    expect(performance.now() - stoppedAt).toBeLessThan(15_000);
    // Woken up after that, its credential is refused: it joins anew.
    frozen.process.kill('SIGCONT');
    await expect.poll(() => frozen.answers.length, { timeout: 20_000 }).toBe(2);
    expect(frozen.answers[1]).toMatchObject({ ok: true, resumed: 'refused' });
    expect(frozen.answers[1]!.self.id).not.toBe(id);
  });

  it('woken within the grace period, resumes as kept and nobody saw it leave', async () => {
    t = await startServer();
    const server = t;
    const bob = await t.connect();
    await joinedV2(bob, 'frozen', 'Bob');
    const frozen = startClient(t.url);
    await expect.poll(() => frozen.answers.length, { timeout: 20_000 }).toBe(1);
    const id = frozen.answers[0]!.self.id;
    const seenByBob = record(bob, ['peer-left']);
    frozen.process.kill('SIGSTOP');
    // The server noticed (ping timeout) and holds it as away; then the process wakes up.
    await expect.poll(() => server.server.rooms.away, { timeout: 15_000, interval: 100 }).toBe(1);
    const announced = next(bob, 'peer-joined', 20_000);
    frozen.process.kill('SIGCONT');
    await expect.poll(() => frozen.answers.length, { timeout: 20_000 }).toBe(2);
    expect(frozen.answers[1]).toMatchObject({ ok: true, resumed: 'kept', self: { id } });
    expect((await announced).id).toBe(id);
    await settle(bob);
    expect(seenByBob).toEqual([]);
  });
});
