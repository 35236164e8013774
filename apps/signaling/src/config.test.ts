import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      maxPeersPerRoom: 8,
      iceServers: null,
      turn: null,
      allowedOrigins: null,
      logLevel: 'info',
    });
    expect(config.webDist).toMatch(/apps[/\\]web[/\\]dist$/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MAX_PEERS_PER_ROOM: '4',
      ICE_SERVERS: '[{"urls":["stun:a.example:3478"]}]',
      TURN_URLS: 'turn:t.example:3478,turns:t.example:5349',
      TURN_SECRET: 'sssssssss',
      TURN_TTL: '120',
      ALLOWED_ORIGINS: 'https://a.example, http://b.example:8080',
      LOG_LEVEL: 'debug',
      WEB_DIST: '/srv/web',
      RATE_LIMIT_PER_SECOND: '10',
      RATE_LIMIT_BURST: '30',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      maxPeersPerRoom: 4,
      iceServers: [{ urls: ['stun:a.example:3478'] }],
      turn: { urls: ['turn:t.example:3478', 'turns:t.example:5349'], secret: 'sssssssss', ttlSeconds: 120 },
      allowedOrigins: ['https://a.example', 'http://b.example:8080'],
      logLevel: 'debug',
      webDist: '/srv/web',
      rateLimit: { rate: 10, burst: 30, floodLimit: 30 },
    });
  });

  it('treats ICE_SERVERS=[] as "no ICE servers" and an empty variable as unset', () => {
    expect(loadConfig({ ICE_SERVERS: '[]' }).iceServers).toEqual([]);
    expect(loadConfig({ ICE_SERVERS: '' }).iceServers).toBeNull();
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT: .*whole number.*"abc"/],
    [{ PORT: '-1' }, /^PORT:/],
    [{ PORT: '65536' }, /^PORT:/],
    [{ PORT: '3000.5' }, /^PORT:/],
    [{ MAX_PEERS_PER_ROOM: '1' }, /^MAX_PEERS_PER_ROOM:/],
    [{ ICE_SERVERS: '{oops' }, /^ICE_SERVERS: must be JSON/],
    [{ ICE_SERVERS: '{"urls":"stun:x"}' }, /^ICE_SERVERS:/],
    [{ ICE_SERVERS: '[{"url":"stun:x"}]' }, /^ICE_SERVERS\[0\]/],
    [{ TURN_URLS: 'turn:x' }, /^TURN_SECRET: TURN_URLS and TURN_SECRET go together/],
    [{ TURN_SECRET: 'long-enough' }, /^TURN_URLS: TURN_URLS and TURN_SECRET go together/],
    [{ TURN_URLS: 'stun:x', TURN_SECRET: 'long-enough' }, /^TURN_URLS\[0\]: TURN urls start with/],
    [{ TURN_URLS: 'turn:x', TURN_SECRET: 'short' }, /^TURN_SECRET:/],
    [{ TURN_TTL: '5' }, /^TURN_TTL:/],
    [{ ALLOWED_ORIGINS: 'example.org' }, /^ALLOWED_ORIGINS\[0\]:/],
    [{ ALLOWED_ORIGINS: 'ftp://example.org' }, /^ALLOWED_ORIGINS\[0\]:/],
    [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL:/],
    [{ RATE_LIMIT_BURST: '0' }, /^RATE_LIMIT_BURST:/],
  ])('refuses %o', (env, pattern) => {
    const found = problems(env);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatch(pattern);
  });

  it('lists every bad value at once and never echoes the TURN secret', () => {
    const found = problems({ PORT: 'x', LOG_LEVEL: 'y', TURN_URLS: 'turn:x', TURN_SECRET: 'tiny' });
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'TURN_SECRET']);
    expect(found.join('\n')).not.toContain('tiny');
  });
});
