import { describe, expect, it } from 'vitest';
import { nodeChannel, parseChannelSignal } from './routeScript.ts';

describe('parseChannelSignal', () => {
  it('splits a channel payload into socket, target, room and the message text, which may hold anything but a raw newline', () => {
    const text = JSON.stringify({ from: 'a', description: { type: 'offer', sdp: 'v=0\r\nm=audio\r\n' } });
    expect(parseChannelSignal(`sock1\npeer2\nroom-x\n${text}`)).toEqual({ socketId: 'sock1', to: 'peer2', room: 'room-x', text });
  });

  it('refuses a payload without its three headers', () => {
    expect(parseChannelSignal('')).toBeNull();
    expect(parseChannelSignal('sock\npeer\n{}')).toBeNull();
    expect(parseChannelSignal('\npeer\nroom\n{}')).toBeNull();
  });

  it('names one channel per node under the key prefix', () => {
    expect(nodeChannel('mm:', 'node-a')).toBe('mm:sig:node-a');
  });
});
