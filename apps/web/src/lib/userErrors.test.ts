import { describe, expect, it } from 'vitest';
import { describeError, errorCode } from './userErrors.ts';

describe('describeError', () => {
  it('offers a new room when the room is full and a retry when the server is unreachable', () => {
    expect(describeError('ROOM_FULL')).toMatchObject({ code: 'ROOM_FULL', action: 'new-room' });
    expect(describeError('SIGNALING_UNAVAILABLE')).toMatchObject({ action: 'retry' });
  });
  it('explains unknown codes generically and keeps the code', () => {
    const e = describeError('SOMETHING_NEW');
    expect(e.code).toBe('SOMETHING_NEW');
    expect(e.title).toMatch(/wrong/);
  });
});

describe('errorCode', () => {
  it('reads the code of coded errors and falls back to INTERNAL', () => {
    expect(errorCode(Object.assign(new Error('x'), { code: 'ROOM_FULL' }))).toBe('ROOM_FULL');
    expect(errorCode(new Error('x'))).toBe('INTERNAL');
    expect(errorCode('boom')).toBe('INTERNAL');
    expect(errorCode({ code: 5 })).toBe('INTERNAL');
  });
});
