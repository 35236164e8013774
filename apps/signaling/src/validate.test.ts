import { describe, expect, it } from 'vitest';
import { LIMITS, SignalRequestSchema } from '@meshmeet/protocol';
import { isValidSignalFast, parseJoin, parseMedia, parseSignal } from './validate.ts';

const CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 10.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' };

/** Building blocks from which the cross-check composes thousands of payloads, good and bad. */
const values: unknown[] = [
  undefined, null, 0, 1, -1, 0.5, 63, 64, Number.NaN, true, false, '', 'a', '0', 'x'.repeat(LIMITS.candidateMaxLength),
  'x'.repeat(LIMITS.candidateMaxLength + 1), 'x'.repeat(LIMITS.candidateFieldMaxLength + 1), [], {}, ['a'],
  { type: 'offer', sdp: 'v=0' }, { type: 'answer', sdp: '' }, { type: 'pranswer', sdp: 'v=0' }, { type: 'offer' },
  { type: 'offer', sdp: 'v=0', extra: 1 }, { type: 'offer', sdp: 'a'.repeat(LIMITS.sdpMaxLength + 1) },
  CANDIDATE, { candidate: '' }, { candidate: 'c', sdpMid: null, sdpMLineIndex: null, usernameFragment: null },
  { candidate: 'c', sdpMLineIndex: 64 }, { candidate: 'c', sdpMLineIndex: 1.5 }, { candidate: 'c', x: 1 }, { sdpMid: '0' },
  JSON.parse('{"candidate":"c","__proto__":{"x":1}}'), Object.create({ candidate: 'c' }),
];
const targets: unknown[] = [undefined, 'AbC_-09', 'a'.repeat(LIMITS.peerIdMaxLength), 'a'.repeat(LIMITS.peerIdMaxLength + 1), '', 'a b', 'é', 5, null, '__proto__'];

function* payloads(): Generator<unknown> {
  for (const to of targets) {
    for (const description of values) {
      for (const candidate of values) {
        const p: Record<string, unknown> = {};
        if (to !== undefined) p.to = to;
        if (description !== undefined) p.description = description;
        if (candidate !== undefined) p.candidate = candidate;
        yield p;
      }
      yield { to, candidate: CANDIDATE, extra: description };
    }
  }
  yield* values;
}

describe('isValidSignalFast', () => {
  it('vouches only for payloads the protocol schema accepts unchanged', () => {
    let vouched = 0;
    let total = 0;
    for (const p of payloads()) {
      total++;
      if (!isValidSignalFast(p)) continue;
      vouched++;
      const parsed = SignalRequestSchema.safeParse(p);
      expect(parsed.success, JSON.stringify(p)).toBe(true);
      expect(parsed.data).toEqual(p);
    }
    expect(total).toBeGreaterThan(10_000);
    expect(vouched).toBeGreaterThan(0);
  });

  it('takes the fast path for the messages clients really send', () => {
    expect(isValidSignalFast({ to: 'abc', candidate: CANDIDATE })).toBe(true);
    expect(isValidSignalFast({ to: 'abc', candidate: { candidate: 'c', sdpMid: '0', sdpMLineIndex: 0 } })).toBe(true);
    expect(isValidSignalFast({ to: 'abc', candidate: null })).toBe(true);
    expect(isValidSignalFast({ to: 'abc', description: { type: 'offer', sdp: 'v=0\r\n' } })).toBe(true);
    expect(isValidSignalFast({ to: 'abc', description: { type: 'answer', sdp: 'v=0\r\n' } })).toBe(true);
  });
});

describe('parse functions', () => {
  it('return the value, or a message naming the bad field', () => {
    expect(parseSignal({ to: 'abc', candidate: null })).toEqual({ to: 'abc', candidate: null });
    expect(parseSignal({ to: 'abc', candidate: { candidate: 5 } })).toMatch(/^candidate\.candidate: /);
    expect(parseSignal({ to: 'abc' })).toMatch(/exactly one of description or candidate/);
    expect(parseSignal('x')).toMatch(/^payload: /);
    expect(parseMedia({ mic: true, camera: false, screen: false })).toEqual({ mic: true, camera: false, screen: false });
    expect(parseMedia({ mic: true })).toMatch(/^camera: /);
    expect(parseJoin({ room: 'r', name: '  Ann  ' })).toEqual({ room: 'r', name: 'Ann' });
    expect(parseJoin({ room: 'r', name: 'Ann', x: 1 })).toMatch(/Unrecognized key/);
  });

  it('keep error messages short even for huge inputs', () => {
    const message = parseSignal({ to: 'abc', ['k'.repeat(100_000)]: 1, candidate: null });
    expect(typeof message === 'string' && message.length).toBeLessThanOrEqual(300);
  });
});
