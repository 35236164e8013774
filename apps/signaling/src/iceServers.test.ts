import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IceServerSchema } from '@meshmeet/protocol';
import { loadConfig } from './config.ts';
import { iceServersFor, staticIceServers } from './iceServers.ts';
import { turnCredentials } from './turn.ts';

describe('ICE servers', () => {
  it('defaults to STUN servers from freeice, in the protocol shape (no network is contacted)', () => {
    const servers = staticIceServers(loadConfig({}));
    expect(servers.length).toBeGreaterThan(0);
    for (const server of servers) {
      expect(IceServerSchema.safeParse(server).success).toBe(true);
      expect(Object.keys(server)).toEqual(['urls']);
      expect([server.urls].flat().every((url) => url.startsWith('stun:'))).toBe(true);
    }
  });

  it('uses ICE_SERVERS as given, [] included', () => {
    expect(staticIceServers(loadConfig({ ICE_SERVERS: '[]' }))).toEqual([]);
    const list = [{ urls: 'stun:stun.example.org', username: 'u', credential: 'c' }];
    expect(staticIceServers(loadConfig({ ICE_SERVERS: JSON.stringify(list) }))).toEqual(list);
  });

  it('appends a per-peer TURN entry only when TURN is configured', () => {
    const plain = loadConfig({ ICE_SERVERS: '[]' });
    expect(iceServersFor(plain, [], 'peer1', 0)).toEqual([]);
    const withTurn = loadConfig({ ICE_SERVERS: '[]', TURN_URLS: 'turn:t.example', TURN_SECRET: 'secret-123', TURN_TTL: '3600' });
    const [turn] = iceServersFor(withTurn, [], 'peer1', 1_700_000_000_500);
    expect(turn).toEqual({
      urls: ['turn:t.example'],
      username: '1700003600:peer1',
      credential: createHmac('sha1', 'secret-123').update('1700003600:peer1').digest('base64'),
    });
  });

  it('computes the coturn REST credential for a known input', () => {
    // Fixed input and output, worked out once with `printf %s 1700000000:alice | openssl dgst -sha1 -hmac s3cret -binary | base64`.
    const turn = turnCredentials({ urls: ['turn:x'], secret: 's3cret', ttlSeconds: 0 }, 'alice', 1_700_000_000_000);
    expect(turn.username).toBe('1700000000:alice');
    expect(turn.credential).toBe(EXPECTED);
  });
});

const EXPECTED = 'TtElzSjT0GdnTQ9xdcRNxx96yQs=';
