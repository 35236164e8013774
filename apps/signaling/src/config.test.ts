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
    expect(config).toMatchObject({ sessionSecret: null, resume: { ttlSeconds: 86400, graceMs: 14_000 }, pingIntervalMs: 2000, pingTimeoutMs: 2000 });
    // The repository root's .meshmeet/, which .gitignore lists.
    expect(config.stateDir).toMatch(/[/\\]\.meshmeet[/\\]?$/);
    expect(config.stateDir).not.toMatch(/apps[/\\]signaling/);
  });

  it('runs in memory without REDIS_URL, and multi-node with it', () => {
    expect(loadConfig({}).redis).toBeNull();
    const secret = 's'.repeat(32);
    expect(loadConfig({ REDIS_URL: 'redis://:pw@10.0.0.5:6379/2', SESSION_SECRET: secret, NODE_ID: 'node-a' }).redis).toEqual({
      url: 'redis://:pw@10.0.0.5:6379/2',
      nodeId: 'node-a',
      adapter: 'streams',
      keyPrefix: 'mm:',
    });
    const generated = loadConfig({ REDIS_URL: 'rediss://redis.example.org', SESSION_SECRET: secret, REDIS_ADAPTER: 'pubsub' }).redis;
    expect(generated?.adapter).toBe('pubsub');
    expect(generated?.nodeId).toMatch(/^[A-Za-z0-9._-]+-[0-9a-f]{6}$/);
  });

  it('wants one SESSION_SECRET for all nodes, a redis URL, a sane node id, and never echoes the URL', () => {
    expect(problems({ REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual([
      'SESSION_SECRET: REDIS_URL needs SESSION_SECRET: every node must sign resume credentials with the same secret',
    ]);
    const found = problems({ REDIS_URL: 'http://user:hunter2@host', SESSION_SECRET: 's'.repeat(32), NODE_ID: 'a b', REDIS_ADAPTER: 'kafka' });
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual(['NODE_ID', 'REDIS_ADAPTER', 'REDIS_URL']);
    expect(found.join('\n')).not.toContain('hunter2');
  });

  it('reads the resume variables', () => {
    const secret = 's'.repeat(32);
    expect(
      loadConfig({ SESSION_SECRET: secret, STATE_DIR: '/var/lib/meshmeet', RESUME_TTL: '3600', RESUME_GRACE_MS: '0', PING_INTERVAL_MS: '1000', PING_TIMEOUT_MS: '500' }),
    ).toMatchObject({ sessionSecret: secret, stateDir: '/var/lib/meshmeet', resume: { ttlSeconds: 3600, graceMs: 0 }, pingIntervalMs: 1000, pingTimeoutMs: 500 });
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

  it('reads the video uplink budget: 2500 kbps by default, 0 for none', () => {
    expect(loadConfig({}).videoUplinkKbps).toBe(2500);
    expect(loadConfig({ VIDEO_UPLINK_KBPS: '1000' }).videoUplinkKbps).toBe(1000);
    expect(loadConfig({ VIDEO_UPLINK_KBPS: '0' }).videoUplinkKbps).toBeNull();
    for (const bad of ['50', '100001', '1.5', '-1', 'fast']) expect(() => loadConfig({ VIDEO_UPLINK_KBPS: bad })).toThrow(/^invalid configuration:\n  - VIDEO_UPLINK_KBPS:/);
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
    [{ SESSION_SECRET: 'x'.repeat(31) }, /^SESSION_SECRET: must be at least 32 characters$/],
    [{ SESSION_SECRET: 'x'.repeat(1025) }, /^SESSION_SECRET:/],
    [{ RESUME_TTL: '59' }, /^RESUME_TTL:/],
    [{ RESUME_TTL: 'day' }, /^RESUME_TTL: .*whole number/],
    [{ RESUME_GRACE_MS: '-5' }, /^RESUME_GRACE_MS:/],
    [{ RESUME_GRACE_MS: '600001' }, /^RESUME_GRACE_MS:/],
    [{ RESUME_TTL: '60', RESUME_GRACE_MS: '60000' }, /^RESUME_GRACE_MS: must be shorter than RESUME_TTL/],
    [{ PING_INTERVAL_MS: '99' }, /^PING_INTERVAL_MS:/],
    [{ PING_TIMEOUT_MS: '1.5' }, /^PING_TIMEOUT_MS:/],
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

  it('never echoes a session secret, not even a bad one', () => {
    const found = problems({ SESSION_SECRET: 'too-short-but-secret' });
    expect(found).toEqual(['SESSION_SECRET: must be at least 32 characters']);
  });

  it('reads TRUST_PROXY as Express does, and refuses what proxy-addr cannot compile', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'FALSE' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(problems({ TRUST_PROXY: 'nginx-box' })[0]).toMatch(/^TRUST_PROXY: must be true, false, a hop count/);
  });

  it('reads the per-address limits, 0 turning one off', () => {
    expect(loadConfig({}).ipLimits).toEqual({ maxSockets: 20, joinsPerMinute: 30 });
    expect(loadConfig({ MAX_SOCKETS_PER_IP: '0', JOINS_PER_MINUTE_PER_IP: '600' }).ipLimits).toEqual({ maxSockets: 0, joinsPerMinute: 600 });
    expect(problems({ MAX_SOCKETS_PER_IP: '-1', JOINS_PER_MINUTE_PER_IP: 'lots' })).toEqual([
      'MAX_SOCKETS_PER_IP: must be a whole number (got "-1")',
      'JOINS_PER_MINUTE_PER_IP: must be a whole number (got "lots")',
    ]);
  });

  it('wants TLS_CERT and TLS_KEY together, and no TLS without them', () => {
    expect(loadConfig({}).tls).toBeNull();
    expect(problems({ TLS_CERT: '/etc/cert.pem' })).toEqual([expect.stringMatching(/^TLS_KEY: TLS_CERT and TLS_KEY go together/)]);
    expect(problems({ TLS_KEY: '/etc/key.pem' })).toEqual([expect.stringMatching(/^TLS_CERT: TLS_CERT and TLS_KEY go together/)]);
    expect(problems({ TLS_CERT: '/nonexistent/cert.pem', TLS_KEY: '/nonexistent/key.pem' })).toEqual([
      'TLS_CERT: cannot read "/nonexistent/cert.pem" (ENOENT)',
      'TLS_KEY: cannot read "/nonexistent/key.pem" (ENOENT)',
    ]);
  });
});
