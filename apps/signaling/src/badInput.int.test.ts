import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type SignalMessage } from '@meshmeet/protocol';
import { emitPacket, emitRaw, join, joined, peerId, record, sendRaw, settle, startServer, waitForDisconnect, type Client, type TestServer } from './test-utils.ts';

/**
 * Every bad input gets a typed error (where the client gave an ack), changes nothing, and does
 * not disturb a valid relay running at the same time between two other clients in another room.
 */

const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
const OFFER = { type: 'offer', sdp: 'v=0\r\n' };

let t: TestServer;
let attacker: Client;
let bystander: Client;
let sender: Client;
let receiver: Client;
let bystanderSaw: { event: string; payload: unknown }[];
let received: SignalMessage[];

beforeAll(async () => {
  // A roomy rate limit: these tests are about validation, not about the limiter.
  t = await startServer({ RATE_LIMIT_BURST: '100000', RATE_LIMIT_PER_SECOND: '100000' });
  [attacker, bystander, sender, receiver] = await Promise.all([t.connect(), t.connect(), t.connect(), t.connect()]);
  await joined(attacker, 'victims', 'Attacker');
  await joined(bystander, 'victims', 'Bystander');
  await joined(sender, 'busy', 'Sender');
  await joined(receiver, 'busy', 'Receiver');
  bystanderSaw = record(bystander);
  received = [];
  receiver.on('signal', (m) => received.push(m));
});
afterAll(async () => {
  await t.close();
});

/** Runs `attack` while `sender` relays candidates to `receiver`; checks every one arrived, in order. */
async function whileRelaying<T>(attack: () => Promise<T>): Promise<T> {
  const before = received.length;
  let sent = 0;
  let stop = false;
  const loop = (async () => {
    while (!stop || sent < 3) {
      const ack = await sender.timeout(10_000).emitWithAck('signal', { to: peerId(receiver), candidate: { ...CANDIDATE, sdpMid: String(sent) } });
      expect(ack).toEqual({ ok: true });
      sent++;
    }
  })();
  try {
    return await attack();
  } finally {
    stop = true;
    await loop;
    await settle(receiver);
    const got = received.slice(before);
    expect(got.map((m) => m.candidate?.sdpMid)).toEqual(Array.from({ length: sent }, (_, i) => String(i)));
    expect(got.every((m) => m.from === peerId(sender))).toBe(true);
  }
}

async function expectNothingDelivered(): Promise<void> {
  await settle(bystander);
  expect(bystanderSaw).toEqual([]);
}

/** JSON text of `depth` nested objects, written by hand: JSON.stringify would overflow the stack. */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

function withOwnKey(key: string, value: unknown, base: object): object {
  // JSON.parse makes "__proto__" an own property (an object literal would set the prototype).
  return JSON.parse(JSON.stringify({ ...base, [`KEY_${key}`]: value }).replace(`"KEY_${key}"`, JSON.stringify(key)));
}

const badSignals: [string, () => unknown[]][] = [
  ['a number', () => [42]],
  ['a string', () => ['hello']],
  ['null', () => [null]],
  ['an array', () => [[{ to: peerId(bystander), candidate: CANDIDATE }]]],
  ['no payload', () => []],
  ['two payloads', () => [{ to: peerId(bystander), candidate: CANDIDATE }, 'extra']],
  ['an empty object', () => [{}]],
  ['no target', () => [{ candidate: CANDIDATE }]],
  ['neither description nor candidate', () => [{ to: peerId(bystander) }]],
  ['both description and candidate', () => [{ to: peerId(bystander), description: OFFER, candidate: CANDIDATE }]],
  ['an extra field', () => [{ to: peerId(bystander), candidate: CANDIDATE, priority: 1 }]],
  ['a from that is not a peer id', () => [{ to: peerId(bystander), from: { id: 'x' }, candidate: CANDIDATE }]],
  ['an extra field in the candidate', () => [{ to: peerId(bystander), candidate: { ...CANDIDATE, x: 1 } }]],
  ['an extra field in the description', () => [{ to: peerId(bystander), description: { ...OFFER, x: 1 } }]],
  ['a numeric target', () => [{ to: 7, candidate: CANDIDATE }]],
  ['a description that is a string', () => [{ to: peerId(bystander), description: 'v=0' }]],
  ['a pranswer', () => [{ to: peerId(bystander), description: { type: 'pranswer', sdp: 'v=0' } }]],
  ['a numeric sdp', () => [{ to: peerId(bystander), description: { type: 'offer', sdp: 1 } }]],
  ['a negative m-line index', () => [{ to: peerId(bystander), candidate: { ...CANDIDATE, sdpMLineIndex: -1 } }]],
  ['a fractional m-line index', () => [{ to: peerId(bystander), candidate: { ...CANDIDATE, sdpMLineIndex: 0.5 } }]],
  ['a candidate that is a number', () => [{ to: peerId(bystander), candidate: 5 }]],
  ['an sdp one character too long', () => [{ to: peerId(bystander), description: { type: 'offer', sdp: 'a'.repeat(LIMITS.sdpMaxLength + 1) } }]],
  ['a candidate line one character too long', () => [{ to: peerId(bystander), candidate: { candidate: 'c'.repeat(LIMITS.candidateMaxLength + 1) } }]],
  ['a target id that is too long', () => [{ to: 'a'.repeat(LIMITS.peerIdMaxLength + 1), candidate: CANDIDATE }]],
  ['a __proto__ key', () => [withOwnKey('__proto__', { to: peerId(sender) }, { to: peerId(bystander), candidate: CANDIDATE })]],
  ['a constructor key', () => [withOwnKey('constructor', 'x', { to: peerId(bystander), candidate: CANDIDATE })]],
  ['a __proto__ key in the candidate', () => [{ to: peerId(bystander), candidate: withOwnKey('__proto__', {}, CANDIDATE) }]],
  ['binary data as target', () => [{ to: Buffer.from('abc'), candidate: CANDIDATE }]],
  ['binary data as sdp', () => [{ to: peerId(bystander), description: { type: 'offer', sdp: Buffer.alloc(1024) } }]],
  ['a socket.io room key as target', () => [{ to: 'room:victims', candidate: CANDIDATE }]],
];

describe('bad signal payloads', () => {
  it.each(badSignals)('answers %s with INVALID_MESSAGE', async (_name, args) => {
    const result = await whileRelaying(() => emitRaw(attacker, 'signal', ...args()));
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_MESSAGE', message: expect.any(String) } });
    await expectNothingDelivered();
  });

  it.each([
    ['a deeply nested target', () => `["signal",{"to":${nested(20_000)},"candidate":null}]`],
    ['a deeply nested candidate', () => `["signal",{"to":"${peerId(bystander)}","candidate":${nested(20_000)}}]`],
    ['a deeply nested array payload', () => `["signal",${'['.repeat(60_000)}${']'.repeat(60_000)}]`],
    ['a deeply nested join', () => `["join",{"room":"victims","name":${nested(20_000)}}]`],
  ])('answers %s with INVALID_MESSAGE', async (_name, packet) => {
    const result = await whileRelaying(() => emitPacket(attacker, packet()));
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_MESSAGE', message: expect.any(String) } });
    await expectNothingDelivered();
  });

  it.each([
    ['__proto__', () => '__proto__'],
    ['constructor', () => 'constructor'],
    ['hasOwnProperty', () => 'hasOwnProperty'],
    ['the room name', () => 'victims'],
    ['its own id', () => peerId(attacker)],
    ['a peer in another room', () => peerId(sender)],
    ['an id nobody has', () => 'AAAAAAAAAAAAAAAAAAAA'],
  ])('answers a target of %s with UNKNOWN_PEER', async (_name, target) => {
    const result = await whileRelaying(() => emitRaw(attacker, 'signal', { to: target(), candidate: CANDIDATE }));
    expect(result).toEqual({ ok: false, error: { code: 'UNKNOWN_PEER', message: expect.any(String) } });
    await expectNothingDelivered();
    await settle(attacker);
  });

  it('delivers nothing and stays up when a bad signal comes without an ack', async () => {
    await whileRelaying(async () => {
      sendRaw(attacker, 'signal', { to: peerId(bystander), candidate: { candidate: 5 } });
      sendRaw(attacker, 'signal', 'garbage');
      sendRaw(attacker, 'signal', { to: peerId(attacker), candidate: CANDIDATE });
      await settle(attacker);
    });
    await expectNothingDelivered();
    expect(attacker.connected).toBe(true);
  });
});

describe('bad join, media and leave payloads', () => {
  it.each([
    ['a number', () => [1]],
    ['null', () => [null]],
    ['no room', () => [{ name: 'X' }]],
    ['an extra field', () => [{ room: 'other', name: 'X', admin: true }]],
    ['a numeric name', () => [{ room: 'other', name: 42 }]],
    ['a room with a slash', () => [{ room: 'a/b', name: 'X' }]],
    ['a room one character too long', () => [{ room: 'r'.repeat(LIMITS.roomMaxLength + 1), name: 'X' }]],
    ['a name one character too long', () => [{ room: 'other', name: 'n'.repeat(LIMITS.nameMaxLength + 1) }]],
    ['a blank name', () => [{ room: 'other', name: '   ' }]],
    ['a name with a control character', () => [{ room: 'other', name: 'Bob\u0007' }]],
    ['a name with a bidi override', () => [{ room: 'other', name: 'Bob\u202Egnp.exe' }]],
    ['media of the wrong shape', () => [{ room: 'other', name: 'X', media: { mic: 'yes', camera: false, screen: false } }]],
    ['a __proto__ key', () => [withOwnKey('__proto__', { admin: true }, { room: 'other', name: 'X' })]],
  ])('answers a join with %s with INVALID_MESSAGE and joins nobody', async (_name, args) => {
    const newcomer = await t.connect();
    const result = await whileRelaying(() => emitRaw(newcomer, 'join', ...args()));
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_MESSAGE', message: expect.any(String) } });
    // Nothing changed: the socket is still free to join properly.
    expect((await join(newcomer, 'other', 'Fine')).ok).toBe(true);
    newcomer.disconnect();
  });

  it('ignores a join without an ack: nobody sees a newcomer', async () => {
    const newcomer = await t.connect();
    await whileRelaying(async () => {
      sendRaw(newcomer, 'join', { room: 'victims', name: 'Silent' });
      await settle(newcomer);
    });
    await expectNothingDelivered();
    const result = await join(newcomer, 'victims', 'Loud');
    expect(result.ok && result.peers.map((p) => p.name).sort()).toEqual(['Attacker', 'Bystander']);
    newcomer.disconnect();
    await expect.poll(() => bystanderSaw.length).toBe(2);
    bystanderSaw.length = 0;
  });

  it.each([
    ['a string', () => ['on']],
    ['a missing flag', () => [{ mic: true, camera: false }]],
    ['an extra flag', () => [{ mic: true, camera: false, screen: false, speaker: true }]],
    ['a non-boolean flag', () => [{ mic: 1, camera: false, screen: false }]],
  ])('answers media with %s with INVALID_MESSAGE', async (_name, args) => {
    const result = await whileRelaying(() => emitRaw(attacker, 'media', ...args()));
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_MESSAGE', message: expect.any(String) } });
    await expectNothingDelivered();
  });

  it('answers media and signal from a socket in no room with NOT_IN_ROOM', async () => {
    const loner = await t.connect();
    const media = await emitRaw(loner, 'media', { mic: true, camera: false, screen: false });
    expect(media).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    const signal = await emitRaw(loner, 'signal', { to: peerId(bystander), candidate: CANDIDATE });
    expect(signal).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    loner.disconnect();
    await expectNothingDelivered();
  });

  it('answers a leave with a payload with INVALID_MESSAGE and stays in the room', async () => {
    const result = await whileRelaying(() => emitRaw(attacker, 'leave', { now: true }));
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    await expectNothingDelivered();
  });
});

describe('event names', () => {
  it.each(['hello', 'constructor', '__proto__', 'toString', 'peer-joined', 'x'.repeat(10_000)])(
    'answers the unknown event %s with INVALID_MESSAGE',
    async (event) => {
      const result = await whileRelaying(() => emitRaw(attacker, event, { to: peerId(bystander) }));
      expect(result).toEqual({ ok: false, error: { code: 'INVALID_MESSAGE', message: 'unknown event' } });
      await expectNothingDelivered();
    },
  );

  it('answers the reserved name "error" with INVALID_MESSAGE, and does not crash without an ack', async () => {
    const result = await whileRelaying(async () => {
      sendRaw(attacker, 'error', new Error('boom').message);
      sendRaw(attacker, 'error');
      return emitRaw(attacker, 'error', { to: peerId(bystander) });
    });
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_MESSAGE', message: 'reserved event name' } });
    await expectNothingDelivered();
    expect(attacker.connected).toBe(true);
  });

  it('drops unknown events without an ack, and counts them', async () => {
    await whileRelaying(async () => {
      sendRaw(attacker, 'whatever', 1, 2, 3);
      await settle(attacker);
    });
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toMatch(/meshmeet_rejected_messages_total\{reason="unknown_event"\} [1-9]/);
  });

  it('closes a connection whose frame exceeds the engine limit, and the server keeps serving', async () => {
    const rogue = await t.connect();
    const closed = waitForDisconnect(rogue);
    await whileRelaying(async () => {
      sendRaw(rogue, 'signal', { to: peerId(bystander), description: { type: 'offer', sdp: 'a'.repeat(400 * 1024) } });
      await closed;
    });
    await expectNothingDelivered();
  });

  it('closes a connection that sends a name socket.io reserves, and the server keeps serving', async () => {
    // socket.io-client refuses to emit these, so the packet is written below it. The server's
    // parser rejects it and closes that one connection; there is nobody to answer.
    const rogue = await t.connect();
    await joined(rogue, 'victims', 'Rogue');
    await expect.poll(() => bystanderSaw.length).toBe(1);
    const closed = waitForDisconnect(rogue);
    await whileRelaying(async () => {
      rogue.io.engine.send('2["disconnecting",{}]');
      await closed;
    });
    // A parse error is a dropped connection, not a leave: the member is away for the grace
    // period (its peer-left comes when that ends), and nobody is told yet.
    await expect.poll(() => t.server.rooms.away).toBe(1);
    await settle(bystander);
    expect(bystanderSaw.map((e) => e.event)).toEqual(['peer-joined']);
    bystanderSaw.length = 0;
  });
});
