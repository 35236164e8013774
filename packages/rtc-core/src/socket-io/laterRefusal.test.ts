import { describe, expect, it } from 'vitest';
import { MeshError } from '../errors.ts';
import { laterRefusal } from './laterRefusal.ts';

describe('laterRefusal', () => {
  it("reads a later server's refusal with a code this version does not list as that error, with its message", () => {
    const error = laterRefusal({ ok: false, error: { code: 'ROOM_ARCHIVED', message: 'this room was archived' } });
    expect(error).toBeInstanceOf(MeshError);
    expect(error?.code).toBe('ROOM_ARCHIVED');
    expect(error?.message).toBe('this room was archived');
  });

  it('leaves answers that are not refusals of that shape to the malformed-answer path', () => {
    expect(laterRefusal({ ok: true })).toBeNull();
    expect(laterRefusal(null)).toBeNull();
    expect(laterRefusal('ok')).toBeNull();
    expect(laterRefusal({ ok: false, error: { code: 'not a code', message: 'x' } })).toBeNull();
    expect(laterRefusal({ ok: false, error: { code: 'A'.repeat(65), message: 'x' } })).toBeNull();
    expect(laterRefusal({ ok: false, error: { code: 'LATER', message: 42 } })).toBeNull();
    expect(laterRefusal({ ok: false })).toBeNull();
  });

  it("bounds the message as the protocol does (1024 characters)", () => {
    expect(laterRefusal({ ok: false, error: { code: 'LATER', message: 'm'.repeat(5000) } })?.message).toHaveLength(1024);
  });
});
