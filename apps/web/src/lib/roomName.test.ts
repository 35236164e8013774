import { RoomIdSchema } from '@meshmeet/protocol';
import { describe, expect, it } from 'vitest';
import { generateRoomName, inviteLink, normalizeRoomInput, roomFromPath, roomPath } from './roomName.ts';

describe('generateRoomName', () => {
  it('produces valid room names of the adjective-noun-digits shape', () => {
    for (let i = 0; i < 200; i++) {
      const name = generateRoomName();
      expect(RoomIdSchema.safeParse(name).success).toBe(true);
      expect(name).toMatch(/^[a-z]+-[a-z]+-\d{4}$/);
    }
  });
  it('is driven by the random source', () => {
    expect(generateRoomName(() => 0)).toBe('amber-badger-0000');
    expect(generateRoomName(() => 0.99999)).toBe('zesty-zephyr-9999');
  });
});

describe('roomFromPath', () => {
  it('reads the room from /r/<room>', () => {
    expect(roomFromPath('/r/calm-otter-1234')).toBe('calm-otter-1234');
    expect(roomFromPath('/r/Team_1/')).toBe('Team_1');
  });
  it('rejects other paths and invalid names', () => {
    expect(roomFromPath('/')).toBeNull();
    expect(roomFromPath('/r/')).toBeNull();
    expect(roomFromPath('/r/a/b')).toBeNull();
    expect(roomFromPath('/r/has%20space')).toBeNull();
    expect(roomFromPath('/r/%E0%A4%A')).toBeNull();
    expect(roomFromPath(`/r/${'x'.repeat(65)}`)).toBeNull();
  });
  it('round-trips with roomPath and inviteLink', () => {
    expect(roomFromPath(roomPath('abc-1'))).toBe('abc-1');
    expect(inviteLink('https://meet.example', 'abc-1')).toBe('https://meet.example/r/abc-1');
  });
});

describe('normalizeRoomInput', () => {
  it('turns typed text into a valid room name', () => {
    expect(normalizeRoomInput('  Team Sync! ')).toBe('Team-Sync');
    expect(normalizeRoomInput('a'.repeat(100))).toHaveLength(64);
    expect(normalizeRoomInput('é')).toBe('');
  });
});
