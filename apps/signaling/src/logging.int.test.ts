import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { joined, joinedV2, next, peerId, randomSecret, startServer, type TestServer } from './test-utils.ts';

let t: TestServer;
afterEach(async () => {
  await t.close();
});

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('logs', () => {
  it('carry room and peer ids in the context and never an SDP body, even at trace', async () => {
    const { lines, stream } = capture();
    t = await startServer({}, { log: createLogger('trace', stream) });
    const [alice, bob] = await Promise.all([t.connect(), t.connect()]);
    await joined(alice, 'logged', 'Alice');
    await joined(bob, 'logged', 'Bob');
    const secret = 'a=ice-pwd:SECRET-MARKER-asdkjh';
    const got = next(bob, 'signal');
    await alice.emitWithAck('signal', { to: peerId(bob), description: { type: 'offer', sdp: `v=0\r\n${secret}\r\n` } });
    await got;
    await alice.emitWithAck('leave');

    const joinedLine = lines.find((l) => l.msg === 'joined' && l.peerId === peerId(bob));
    expect(joinedLine).toMatchObject({ level: 30, roomId: 'logged', peerId: peerId(bob), members: 2 });
    expect(lines.find((l) => l.msg === 'relayed description')).toMatchObject({ level: 20, roomId: 'logged', peerId: peerId(alice), to: peerId(bob), type: 'offer' });
    expect(lines.find((l) => l.msg === 'left')).toMatchObject({ roomId: 'logged', peerId: peerId(alice) });
    expect(JSON.stringify(lines)).not.toContain('SECRET-MARKER');
  });

  it('writes nothing per relayed message at info', async () => {
    const { lines, stream } = capture();
    t = await startServer({}, { log: createLogger('info', stream) });
    const [alice, bob] = await Promise.all([t.connect(), t.connect()]);
    await joined(alice, 'quiet', 'Alice');
    await joined(bob, 'quiet', 'Bob');
    const before = lines.length;
    for (let i = 0; i < 20; i++) await alice.emitWithAck('signal', { to: peerId(bob), candidate: null });
    await alice.emitWithAck('signal', { to: peerId(bob), description: { type: 'offer', sdp: 'v=0\r\n' } });
    expect(lines.slice(before)).toEqual([]);
  });

  it('name the membership and the socket, and never carry the session secret or a credential', async () => {
    const { lines, stream } = capture();
    const secret = randomSecret();
    t = await startServer({ SESSION_SECRET: secret }, { log: createLogger('trace', stream) });
    const alice = await t.connect();
    const a = await joinedV2(alice, 'logged', 'Alice');
    const aliceSocket = alice.id;
    alice.disconnect();
    const again = await t.connect();
    const refused = await joinedV2(again, 'logged', 'Alice', a.resume);
    await joinedV2(await t.connect(), 'logged', 'Mallory', `${a.resume}x`);

    expect(lines.find((l) => l.msg === 'joined' && l.peerId === a.self.id)).toMatchObject({ socketId: aliceSocket, revision: 2 });
    expect(lines.find((l) => l.msg === 'joined' && l.peerId === refused.self.id)).toMatchObject({ socketId: again.id, resumed: 'refused' });
    expect(lines.find((l) => l.msg === 'left')).toMatchObject({ peerId: a.self.id, reason: 'client namespace disconnect' });
    expect(lines.find((l) => l.msg === 'resume configured')).toMatchObject({ secretSource: 'env' });
    const all = JSON.stringify(lines);
    expect(all).not.toContain(secret);
    for (const credential of [a.resume!, refused.resume!]) {
      expect(all).not.toContain(credential);
      expect(all).not.toContain(credential.split('.')[2]);
    }
  });
});
