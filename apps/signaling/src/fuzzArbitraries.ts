/**
 * fast-check generators of inbound traffic for the fuzz test (fuzz.int.test.ts): every client
 * event of the protocol with valid, near-valid (one field mutated, dropped or added) and arbitrary
 * payloads; random event names; and raw engine.io / socket.io frames that socket.io-client would
 * never write (bad JSON, wrong packet types, deep or large payloads, binary attachments).
 */
import fc from 'fast-check';
import { CLIENT_EVENTS, LIMITS } from '@meshmeet/protocol';

/** Stands for "a peer id this socket saw in a join answer"; the sender swaps it in. */
export const KNOWN_PEER = '\u0000known-peer';
/** Stand for this socket's latest resume credential, as issued and with one character changed. */
export const KNOWN_RESUME = '\u0000known-resume';
export const FORGED_RESUME = '\u0000forged-resume';
/** Not a message: the worker drops its connection (gracefully with `ack`, else abruptly) and reconnects. */
export const RECONNECT = '\u0000reconnect';
export const ROOMS = ['fz-a', 'fz-b', 'fz-c', 'fz-d', 'fz-e'];

/** What a socket.io-client worker emits: an event name, its arguments, and whether it waits for an ack. */
export interface Emission {
  event: string;
  args: unknown[];
  ack: boolean;
}

/** What a raw worker writes: frames straight onto the websocket (engine.io level) or as engine.io messages. */
export interface RawFrames {
  level: 'engine' | 'message';
  frames: (string | Uint8Array)[];
  /** The socket.io ack id in the first frame, if any, so that an answer can be checked. */
  ackId?: number;
}

const anything = fc.anything({ maxDepth: 4, maxKeys: 6, withTypedArray: true, withNullPrototype: true, withObjectString: true });
const jsonish = fc.anything({ maxDepth: 4, maxKeys: 6 });

const room = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...ROOMS) },
  { weight: 1, arbitrary: fc.string({ maxLength: LIMITS.roomMaxLength + 8 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'a b', 'x'.repeat(LIMITS.roomMaxLength + 1), '__proto__', 'constructor') },
);
const name = fc.oneof(
  { weight: 12, arbitrary: fc.stringMatching(/^[A-Za-z0-9 ]{0,20}[A-Za-z]$/) },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom(' ', '\u202Eevil', 'a\u0000b', 'x'.repeat(LIMITS.nameMaxLength + 1), '\u{1F600}'.repeat(64)) },
);
const media = fc.record({ mic: fc.boolean(), camera: fc.boolean(), screen: fc.boolean() });
const peer = fc.oneof({ weight: 4, arbitrary: fc.constant(KNOWN_PEER) }, { weight: 1, arbitrary: fc.string({ maxLength: 70 }) });
const candidate = fc.record(
  {
    candidate: fc.oneof(fc.constant('candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host'), fc.string({ maxLength: 100 })),
    sdpMid: fc.option(fc.string({ maxLength: 8 })),
    sdpMLineIndex: fc.option(fc.integer({ min: 0, max: 63 })),
    usernameFragment: fc.option(fc.string({ maxLength: 8 })),
  },
  { requiredKeys: ['candidate'] },
);
const description = fc.record({
  type: fc.constantFrom('offer', 'answer'),
  sdp: fc.oneof({ weight: 8, arbitrary: fc.string({ maxLength: 200 }) }, { weight: 1, arbitrary: fc.nat({ max: 4 }).map((k) => 'v=0\r\n'.repeat(k * 4000)) }),
});

const validPayload: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  // Mostly valid joins, so that many sockets are in rooms and signal/media/leave reach their handlers.
  join: fc.record(
    {
      room,
      name,
      media,
      v: fc.constantFrom(1, 2),
      resume: fc.oneof(
        { weight: 3, arbitrary: fc.constant(KNOWN_RESUME) },
        { weight: 1, arbitrary: fc.constant(FORGED_RESUME) },
        { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.-]{1,40}$/) },
      ),
      caps: fc.array(fc.constantFrom('data', 'x-new'), { maxLength: 3 }),
    },
    { requiredKeys: ['room', 'name'] },
  ),
  signal: fc.oneof(
    fc.record({ to: peer, candidate: fc.option(candidate) }),
    fc.record({ to: peer, description }),
  ),
  media,
};

/** A valid-shaped payload with one field replaced by anything, dropped, or a key added. */
function nearValid(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), fc.constantFrom('replace', 'drop', 'add', 'keep', 'wrap'), anything, fc.string({ maxLength: 12 })).map(([payload, pick, how, value, key]) => {
    const keys = Object.keys(payload);
    const target = keys[pick % Math.max(1, keys.length)];
    const copy: Record<string, unknown> = { ...payload };
    if (how === 'replace' && target) copy[target] = value;
    else if (how === 'drop' && target) delete copy[target];
    else if (how === 'add') copy[key || 'extra'] = value;
    else if (how === 'wrap') return [copy];
    return copy;
  });
}

function eventPayload(event: string): fc.Arbitrary<unknown[]> {
  const valid = Object.hasOwn(validPayload, event) ? validPayload[event] : undefined;
  if (!valid) return fc.oneof({ weight: 3, arbitrary: fc.constant<unknown[]>([]) }, { weight: 1, arbitrary: fc.array(anything, { maxLength: 2 }) });
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((p) => [p]) },
    { weight: 4, arbitrary: nearValid(valid).map((p) => [p]) },
    { weight: 1, arbitrary: fc.array(anything, { maxLength: 3 }) },
  );
}

// socket.io-client refuses to emit its reserved names; the raw frames below send them anyway.
const CLIENT_RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);
const eventName = fc.oneof(
  {
    weight: 80,
    arbitrary: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...CLIENT_EVENTS) },
      { weight: 1, arbitrary: fc.constantFrom('error', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'JOIN', 'join ', 'probe') },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }).filter((s) => !CLIENT_RESERVED.has(s)) },
    ),
  },
  // Now and then a connection drops mid-call: away members, held signals, resumes and grace expiries.
  { weight: 1, arbitrary: fc.constant(RECONNECT) },
);

export const emission: fc.Arbitrary<Emission> = eventName.chain((event) =>
  // A join without an ack is dropped unanswered; most joins carry one.
  fc.record({ event: fc.constant(event), args: eventPayload(event), ack: event === 'join' ? fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) : fc.boolean() }),
);

const json = (value: unknown): string => JSON.stringify(value) ?? 'null';
const event = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...CLIENT_EVENTS) },
  { weight: 1, arbitrary: fc.constantFrom('disconnect', 'connect', 'newListener', 'removeListener', 'disconnecting', 'error') },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.constant(null)) },
);
/** The JSON part of a socket.io packet: arrays that start with an event, or broken or extreme text. */
const body = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(event, fc.array(jsonish, { maxLength: 3 })).map(([e, rest]) => json([e, ...rest])) },
  { weight: 2, arbitrary: fc.tuple(event, fc.oneof(...Object.values(validPayload).map(nearValid))).map(([e, p]) => json([e, p])) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 1, arbitrary: jsonish.map(json) },
  { weight: 1, arbitrary: fc.tuple(event, jsonish).map(([e, p]) => json([e, p]).slice(0, -1)) },
  // Deep nesting and a near-limit string (the engine refuses frames past maxHttpBufferSize).
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 30_000 }).map((d) => `["join",${'['.repeat(d)}${']'.repeat(d)}]`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 60_000 }).map((n) => json(['signal', { to: 'x', description: { type: 'offer', sdp: '\r\n'.repeat(n) } }])) },
);

const ackId = fc.integer({ min: 1, max: 1_000_000 });
const socketIoFrame: fc.Arbitrary<RawFrames> = fc.oneof(
  // EVENT (2) with and without an ack id; and every other packet type with arbitrary bodies.
  { weight: 8, arbitrary: fc.tuple(ackId, body).map(([id, b]) => ({ level: 'message' as const, frames: [`2${id}${b}`], ackId: id })) },
  { weight: 4, arbitrary: body.map((b) => ({ level: 'message' as const, frames: [`2${b}`] })) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('0', '1', '3', '4', '6', '7', '8', '9', 'x', ''), fc.oneof(body, fc.constant('/admin,'), fc.constant('{}'))).map(([t, b]) => ({ level: 'message' as const, frames: [`${t}${b}`] })) },
  // BINARY_EVENT (5): a placeholder, with the right number of buffers, too few, a bad index, or too many.
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }), fc.oneof(fc.nat({ max: 12 }), fc.constantFrom<unknown>('splice', '__proto__', -1, null, 1.5)), fc.uint8Array({ maxLength: 64 }))
      .map(([declared, sent, num, bytes]) => ({
        level: 'message' as const,
        frames: [`5${declared}-${json(['signal', { to: 'x', description: { _placeholder: true, num } }])}`, ...Array.from({ length: sent }, () => bytes)],
      })),
  },
  // A binary frame when no packet waits for attachments.
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }).map((b) => ({ level: 'message' as const, frames: [b] })) },
);
/** Frames below engine.io's message type: ping/pong/close/upgrade/noop, unknown types, garbage. */
const engineFrame: fc.Arbitrary<RawFrames> = fc.oneof(
  fc.tuple(fc.constantFrom('0', '1', '2', '3', '5', '6', '7', '9', 'b', ''), fc.string({ maxLength: 30 })).map(([t, s]) => ({ level: 'engine' as const, frames: [`${t}${s}`] })),
  fc.constantFrom('2probe', '3probe', '5', '6', '4', '40', '41', '40/nope,{}').map((f) => ({ level: 'engine' as const, frames: [f] })),
  fc.uint8Array({ maxLength: 128 }).map((b) => ({ level: 'engine' as const, frames: [b] })),
);

export const rawFrames: fc.Arbitrary<RawFrames> = fc.oneof({ weight: 9, arbitrary: socketIoFrame }, { weight: 1, arbitrary: engineFrame });

/** An HTTP request to engine.io's polling endpoint: odd revisions, transports, session ids, bodies. */
export interface PollingRequest {
  method: 'GET' | 'POST' | 'OPTIONS' | 'PUT';
  query: Record<string, string>;
  /** Use the session id of a real polling handshake instead of query.sid. */
  realSid: boolean;
  contentType?: string;
  body?: string | Uint8Array;
}

export const pollingRequest: fc.Arbitrary<PollingRequest> = fc.record(
  {
    method: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'OPTIONS', 'PUT'),
    query: fc.record(
      {
        EIO: fc.constantFrom('4', '4', '3', '5', 'x', ''),
        transport: fc.constantFrom('polling', 'polling', 'websocket', 'webtransport', 'x'),
        sid: fc.string({ maxLength: 24 }),
        t: fc.string({ maxLength: 8 }),
        j: fc.constantFrom('0', 'x'),
      },
      { requiredKeys: ['EIO', 'transport'] },
    ),
    realSid: fc.boolean(),
    contentType: fc.constantFrom('application/octet-stream', 'text/plain;charset=UTF-8', 'application/json', 'multipart/form-data'),
    body: fc.oneof(
      socketIoFrame.map((r) => r.frames.filter((f): f is string => typeof f === 'string').map((f) => `4${f}`).join('\u001e')),
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }),
      fc.constantFrom('1', '2', '6', '4', '40', '\u001e\u001e', '2probe', 'b4AAAA'),
    ),
  },
  { requiredKeys: ['method', 'query', 'realSid'] },
);
