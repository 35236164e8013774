import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer, type SpawnedServer } from '../server/spawnServer.ts';
import { ParticipantProcess, type ParticipantEvent } from './ParticipantProcess.ts';

// A call that does not notice its server: three bots, each its own process, in one room. The
// server is killed (or drained) mid-call and started again on the same port with the same
// secret; every flow must keep delivering frames, nobody's id changes, nobody leaves.

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const MAX_GAP_MS = 1000;

async function server(secret: string, port = 0): Promise<SpawnedServer> {
  const s = await spawnServer({ env: { PORT: String(port), SESSION_SECRET: secret } });
  cleanups.push(() => s.stop());
  return s;
}

async function killed(s: SpawnedServer, signal: NodeJS.Signals): Promise<void> {
  const exited = new Promise((resolve) => s.process.once('exit', resolve));
  s.process.kill(signal);
  await exited;
}

async function call(url: string, room: string, count: number): Promise<ParticipantProcess[]> {
  const participants: ParticipantProcess[] = [];
  for (let i = 0; i < count; i++) {
    const p = await ParticipantProcess.start({ url, room, name: `bot ${i + 1}` });
    cleanups.push(() => p.stop());
    participants.push(p);
  }
  // Everyone receives video from everyone.
  await waitUntil(async () => {
    const reports = await Promise.all(participants.map((p) => p.report()));
    return reports.every((r) => r.peers.length === count - 1 && r.peers.every((f) => f.frames > 10));
  }, 'every flow delivers frames', 30_000);
  return participants;
}

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const since = (p: ParticipantProcess, mark: number, type: string): ParticipantEvent[] => p.events.slice(mark).filter((e) => e.type === type);

async function survivesRestart(stopWith: NodeJS.Signals): Promise<void> {
  const secret = randomBytes(32).toString('base64url');
  const first = await server(secret);
  const participants = await call(first.url, 'restart', 3);
  const ids = participants.map((p) => p.selfId);
  const marks = participants.map((p) => p.events.length);
  for (const p of participants) p.send('mark');
  await killed(first, stopWith);
  const downAt = Date.now();
  // Everyone notices, and media goes on meanwhile.
  await Promise.all(participants.map((p, i) => p.waitFor((e) => e.type === 'signaling' && e.state === 'reconnecting', 15_000, 'reconnecting', marks[i])));
  const second = await server(secret, first.port);
  const upAt = Date.now();
  const resumed = await Promise.all(
    participants.map((p, i) => p.waitFor((e) => e.type === 'signaling' && e.state === 'connected', 20_000, 'resumed', marks[i])),
  );
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const reports = await Promise.all(participants.map((p) => p.report()));
  console.log(
    `[server ${stopWith}] down ${upAt - downAt} ms; resumed ${resumed.map((e) => e.wall - upAt).join(', ')} ms after the restart; ` +
      `max frame gap per flow ${reports.flatMap((r) => r.peers.map((f) => f.maxGapMs)).join(', ')} ms`,
  );
  for (const [i, report] of reports.entries()) {
    expect(report.selfId).toBe(ids[i]);
    expect(report.participants.sort()).toEqual(ids.filter((id) => id !== ids[i]).sort());
    expect(report.peers).toHaveLength(2);
    for (const flow of report.peers) expect(flow.maxGapMs, `flow ${flow.peerId} -> ${ids[i]}`).toBeLessThan(MAX_GAP_MS);
    expect(since(participants[i]!, marks[i]!, 'participantLeft')).toEqual([]);
    expect(since(participants[i]!, marks[i]!, 'participantJoined')).toEqual([]);
    expect(since(participants[i]!, marks[i]!, 'selfIdChanged')).toEqual([]);
  }
  void second;
}

describe('a call across a signaling server restart (real server process, bots in their own processes)', () => {
  it('SIGKILL mid-call, restart on the same port: no flow stalls over 1 s, no id changes, nobody leaves', () => survivesRestart('SIGKILL'));
  it('SIGTERM drain mid-call, restart: the same', () => survivesRestart('SIGTERM'));
});
