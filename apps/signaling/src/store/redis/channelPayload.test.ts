import { describe, expect, it } from 'vitest';
import { fastPayload, notePayload, parseChannel } from './channelPayload.ts';

const text = JSON.stringify({ from: 'a', description: { type: 'offer', sdp: 'v=0\r\nm=audio\r\n' } });

describe('parseChannel', () => {
  it('splits a routed payload into socket, target, room and the message text, which may hold anything but a raw newline', () => {
    expect(parseChannel(`sock1\npeer2\nroom-x\n${text}`)).toEqual({ socketId: 'sock1', to: 'peer2', room: 'room-x', text, via: '' });
  });

  it('reads the sender binding of a signal sent straight from a cache', () => {
    expect(parseChannel(fastPayload('node-a|s0', 'sock1', 'peer2', 'room-x', text))).toEqual({ socketId: 'sock1', to: 'peer2', room: 'room-x', text, via: 'node-a|s0' });
  });

  it('reads the notes between nodes', () => {
    expect(parseChannel(notePayload('stale', 'node-b', 'room-x', 'peer2'))).toEqual({ note: 'stale', node: 'node-b', room: 'room-x', id: 'peer2' });
    expect(parseChannel(notePayload('fenced', 'node-b', 'room-x', 'peer2'))).toMatchObject({ note: 'fenced' });
  });

  it('refuses a payload without its headers, a sender binding without a node, an unknown note', () => {
    expect(parseChannel('')).toBeNull();
    expect(parseChannel('sock\npeer\n{}')).toBeNull();
    expect(parseChannel('\npeer\nroom\n{}')).toBeNull();
    expect(parseChannel('>|s0\nsock\npeer\nroom\n{}')).toBeNull();
    expect(parseChannel('>node-a|s0\n\npeer\nroom\n{}')).toBeNull();
    expect(parseChannel('?gossip\nnode-b\nroom\npeer')).toBeNull();
    expect(parseChannel('?stale\nnode-b\nroom')).toBeNull();
  });
});
