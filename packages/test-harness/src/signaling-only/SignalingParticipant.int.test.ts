import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSignalingProcess, waitUntil, type SignalingProcess } from '@meshmeet/rtc-core/test-utils';
import { SignalingParticipant } from './SignalingParticipant.ts';

describe('SignalingParticipant (real signaling server)', () => {
  let server: SignalingProcess;
  const started: SignalingParticipant[] = [];
  const participant = (room: string, name: string): SignalingParticipant => {
    const p = new SignalingParticipant({ url: server.url, room, name });
    started.push(p);
    return p;
  };

  beforeAll(async () => {
    server = await startSignalingProcess();
  });
  afterAll(async () => {
    await server.stop();
  });
  afterEach(() => {
    for (const p of started.splice(0)) p.close();
  });

  it('negotiates with every roommate using realistically sized offers, answers and candidates', async () => {
    const room = ['a', 'b', 'c', 'd'].map((n) => participant('sim', `sim ${n}`));
    for (const p of room) await p.join();
    await waitUntil(() => room.every((p) => p.negotiatedPairs === 3), 'every pair negotiated', 20_000);
    for (const p of room) {
      expect(p.errors).toEqual([]);
      expect([...p.pairs.keys()].sort()).toEqual(room.filter((o) => o !== p).map((o) => o.selfId).sort());
      // Each roommate sent one description, 8 candidates and the end-of-candidates marker.
      for (const pair of p.pairs.values()) expect(pair.candidatesReceived).toBe(8);
      expect(p.messagesReceived).toBe(30);
    }
  });

  it('stays inside its room: another room hears nothing', async () => {
    const outsider = participant('elsewhere', 'outsider');
    await outsider.join();
    const x = participant('pair', 'x');
    const y = participant('pair', 'y');
    await x.join();
    await y.join();
    await waitUntil(() => x.negotiatedPairs === 1 && y.negotiatedPairs === 1, 'the pair negotiated', 20_000);
    expect(outsider.pairs.size).toBe(0);
    expect(outsider.messagesReceived).toBe(0);
  });

  it('reports a refused join with the server\'s code', async () => {
    const bad = participant('bad room!', 'x');
    await expect(bad.join()).rejects.toMatchObject({ code: 'INVALID_MESSAGE' });
  });
});
