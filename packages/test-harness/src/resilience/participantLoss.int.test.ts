import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer, type SpawnedServer } from '../server/spawnServer.ts';
import { ParticipantProcess } from './ParticipantProcess.ts';
import { TcpProxy } from './tcpProxy.ts';

// One participant loses the server while the others keep it: its socket is cut (a dead network
// that the OS reports), or its whole process freezes (SIGSTOP: a closed laptop lid, where no TCP
// close ever comes). Bots run in their own processes; the server is the real one.

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(): Promise<SpawnedServer> {
  const s = await spawnServer();
  cleanups.push(() => s.stop());
  return s;
}

async function participant(url: string, room: string, name: string): Promise<ParticipantProcess> {
  const p = await ParticipantProcess.start({ url, room, name });
  cleanups.push(() => p.stop());
  return p;
}

async function framesFlow(participants: ParticipantProcess[], count: number, minFrames = 10): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const reports = await Promise.all(participants.map((p) => p.report()));
    if (reports.every((r) => r.peers.length === count - 1 && r.peers.every((f) => f.frames >= minFrames && (f.lastFrameAgoMs ?? 1e9) < 500))) return;
    if (Date.now() > deadline) throw new Error(`frames do not flow on every link: ${JSON.stringify(reports)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Three bots; the third reaches the server through a proxy that the test can cut. */
async function room(name: string, minFrames = 10) {
  const s = await server();
  const proxy = new TcpProxy(s.port);
  await proxy.listen();
  cleanups.push(() => proxy.close());
  const a = await participant(s.url, name, 'A');
  const b = await participant(s.url, name, 'B');
  const c = await participant(`http://127.0.0.1:${proxy.port}`, name, 'C');
  await framesFlow([a, b, c], 3, minFrames);
  return { s, proxy, a, b, c };
}

describe('one participant loses the server (real server, bots in their own processes)', () => {
  it('a socket cut for 5 s: it resumes as itself, its media never stops, the others see nothing', async () => {
    const { proxy, a, b, c } = await room('cut5');
    const cId = c.selfId;
    const marks = [a, b, c].map((p) => p.events.length);
    for (const p of [a, b, c]) p.send('mark');
    proxy.cut(5000);
    await c.waitFor((e) => e.type === 'signaling' && e.state === 'reconnecting', 5000, 'C notices', marks[2]);
    await c.waitFor((e) => e.type === 'signaling' && e.state === 'connected', 20_000, 'C resumes', marks[2]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(c.selfId).toBe(cId);
    for (const [i, p] of [a, b, c].entries()) {
      const report = await p.report();
      for (const flow of report.peers) expect(flow.maxGapMs, `${flow.peerId} -> ${report.selfId}`).toBeLessThan(1000);
      expect(p.events.slice(marks[i]).filter((e) => e.type === 'participantLeft' || e.type === 'participantJoined')).toEqual([]);
    }
  });

  it('a socket cut for 40 s (past the grace): the others see it leave, and it joins again with a new id', async () => {
    const { proxy, a, b, c } = await room('cut40');
    const cId = c.selfId;
    const marks = [a, b, c].map((p) => p.events.length);
    proxy.cut(40_000);
    // The server's grace (14 s) runs out: a clean leave for the others.
    await Promise.all([a, b].map((p, i) => p.waitFor((e) => e.type === 'participantLeft' && e.peerId === cId, 20_000, 'C leaves', marks[i])));
    const changed = await c.waitFor((e) => e.type === 'selfIdChanged', 60_000, 'C joins afresh', marks[2]);
    const newId = changed.selfId as string;
    expect(newId).not.toBe(cId);
    await Promise.all([a, b].map((p, i) => p.waitFor((e) => e.type === 'participantJoined' && e.peerId === newId, 10_000, 'C is back', marks[i])));
    await framesFlow([a, b, c], 3);
    for (const p of [a, b]) expect((await p.report()).participants).not.toContain(cId);
  }, 90_000);

  it('a frozen participant (SIGSTOP) is shown interrupted within 5 s and leaves the room within 15 s', async () => {
    // Frozen as soon as its first frames arrive: the others may have sampled its link only once.
    const { a, b, c } = await room('frozen', 1);
    const cId = c.selfId;
    const marks = [a, b].map((p) => p.events.length);
    const frozenAt = Date.now();
    c.signal('SIGSTOP');
    const interrupted = await Promise.all(
      [a, b].map((p, i) => p.waitFor((e) => e.type === 'interruption' && e.peerId === cId && e.interrupted === true, 10_000, 'C interrupted', marks[i])),
    );
    const left = await Promise.all([a, b].map((p, i) => p.waitFor((e) => e.type === 'participantLeft' && e.peerId === cId, 20_000, 'C leaves', marks[i])));
    const interruptedAfter = interrupted.map((e) => e.wall - frozenAt);
    const leftAfter = left.map((e) => e.wall - frozenAt);
    console.log(`[frozen] interrupted after ${interruptedAfter.join(', ')} ms; removed after ${leftAfter.join(', ')} ms`);
    for (const ms of interruptedAfter) expect(ms).toBeLessThan(5000);
    for (const ms of leftAfter) expect(ms).toBeLessThan(15_000);
    c.signal('SIGCONT');
  }, 60_000);

  it('frozen for 4 s, then SIGCONT: it resumes as itself and nobody saw it leave', async () => {
    const { a, b, c } = await room('thaw');
    const cId = c.selfId;
    const marks = [a, b, c].map((p) => p.events.length);
    c.signal('SIGSTOP');
    await Promise.all([a, b].map((p, i) => p.waitFor((e) => e.type === 'interruption' && e.peerId === cId && e.interrupted === true, 10_000, 'C interrupted', marks[i])));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    c.signal('SIGCONT');
    await Promise.all([a, b].map((p, i) => p.waitFor((e) => e.type === 'interruption' && e.peerId === cId && e.interrupted === false, 10_000, 'C back', marks[i])));
    await framesFlow([a, b, c], 3);
    expect(c.selfId).toBe(cId);
    for (const [i, p] of [a, b].entries()) expect(p.events.slice(marks[i]).filter((e) => e.type === 'participantLeft')).toEqual([]);
  }, 60_000);
});
