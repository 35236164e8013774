import { describe, expect, it } from 'vitest';
import { joinTokenVerifier } from './auth.ts';
import { mintToken, parseTtl } from './tokenCli.ts';

const SECRET = 'a-secret-for-the-token-command-test-32+';

describe('the token command', () => {
  it('reads durations', () => {
    expect([parseTtl('90'), parseTtl('90s'), parseTtl('15m'), parseTtl('2h'), parseTtl('7d')]).toEqual([90, 90, 900, 7200, 604800]);
    for (const bad of ['', '0', '2w', '-5m', '1.5h', 'h']) expect(parseTtl(bad)).toBeNull();
  });

  it('mints tokens the server accepts for their room only, with expiry, name and role', async () => {
    const now = Date.now();
    const token = await mintToken(SECRET, { room: 'standup', ttlSeconds: 7200, host: true, name: 'Ann' }, now);
    const verify = joinTokenVerifier(SECRET);
    const check = await verify(token, 'standup');
    expect(check).toEqual({ ok: true, grant: { expiresAt: (Math.floor(now / 1000) + 7200) * 1000, host: true, name: 'Ann' } });
    expect(await verify(token, 'other')).toEqual({ ok: false, reason: 'room' });
    expect(await joinTokenVerifier(`${SECRET}x`)(token, 'standup')).toEqual({ ok: false, reason: 'invalid' });
    expect(await verify(await mintToken(SECRET, { room: 'standup', ttlSeconds: 1 }, now - 10_000), 'standup')).toEqual({ ok: false, reason: 'expired' });
  });
});
