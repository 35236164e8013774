import { describe, expect, it } from 'vitest';
import { AckSchema, ERROR_CODES, ErrorCodeSchema, ackError } from './errors.ts';
import { MediaMessageSchema, MediaStateSchema, NO_MEDIA } from './media.ts';
import { isPolite } from './negotiation.ts';
import { CLIENT_EVENTS, SERVER_EVENTS, clientEventSchemas } from './events.ts';

describe('errors and acks', () => {
  it('lists the codes of the contract', () => {
    expect([...ERROR_CODES].sort()).toEqual(
      ['ALREADY_JOINED', 'INTERNAL', 'INVALID_MESSAGE', 'NOT_IN_ROOM', 'RATE_LIMITED', 'ROOM_FULL', 'UNAUTHORIZED', 'UNKNOWN_PEER', 'PASSCODE_REQUIRED', 'PASSCODE_WRONG', 'ROOM_LOCKED', 'FORBIDDEN', 'UNAVAILABLE'].sort(),
    );
    expect(ErrorCodeSchema.safeParse('TEAPOT').success).toBe(false);
  });

  it('builds failure acks that the ack schema accepts', () => {
    const ack = ackError('ROOM_FULL', 'the room is full');
    expect(ack).toEqual({ ok: false, error: { code: 'ROOM_FULL', message: 'the room is full' } });
    expect(AckSchema.parse(ack)).toEqual(ack);
    expect(AckSchema.parse({ ok: true })).toEqual({ ok: true });
    expect(AckSchema.safeParse({ ok: true, error: { code: 'INTERNAL', message: '' } }).success).toBe(false);
    expect(AckSchema.safeParse({ ok: false }).success).toBe(false);
  });
});

describe('media', () => {
  it('needs all three flags as booleans', () => {
    expect(MediaStateSchema.parse({ ...NO_MEDIA })).toEqual({ mic: false, camera: false, screen: false });
    expect(MediaStateSchema.safeParse({ mic: true, camera: false }).success).toBe(false);
    expect(MediaStateSchema.safeParse({ mic: 1, camera: false, screen: false }).success).toBe(false);
    expect(MediaStateSchema.safeParse({ mic: true, camera: false, screen: false, speaker: true }).success).toBe(false);
    expect(MediaMessageSchema.safeParse({ id: 'p', mic: true, camera: false, screen: false }).success).toBe(true);
  });
});

describe('negotiation', () => {
  it('makes exactly one side of a pair polite: the smaller id', () => {
    expect(isPolite('a', 'b')).toBe(true);
    expect(isPolite('b', 'a')).toBe(false);
    expect(isPolite('Z', 'a')).toBe(true); // code-unit order, not locale order
  });
});

describe('event tables', () => {
  it('name every event once', () => {
    expect(CLIENT_EVENTS).toEqual(['join', 'signal', 'media', 'leave', 'set-passcode', 'lock', 'remove']);
    expect(SERVER_EVENTS).toEqual(['peer-joined', 'peer-left', 'signal', 'media', 'room-state', 'removed']);
    expect(clientEventSchemas.leave).toBeNull();
  });
});
