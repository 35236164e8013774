import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ResumeTokenSchema } from '../room.ts';
import { checkCredential, issueCredential, type CredentialSigner } from './credential.ts';

// A keyed hash (not an HMAC): enough to test the format and the checks around it.
const signer = (secret: string): CredentialSigner => {
  const sign = (data: string) => createHash('sha256').update(`${secret}|${data}`).digest('base64url');
  return { sign, verify: (data, mac) => sign(data) === mac };
};

describe('resume credentials', () => {
  const s = signer('one');
  const token = issueCredential(s, 'room-a', 'AAAAAAAAAAAAAAAAAAAAAA', 5000);

  it('are URL-safe, fit the schema, and check out for their room before expiry', () => {
    expect(ResumeTokenSchema.safeParse(token).success).toBe(true);
    expect(checkCredential(s, token, 'room-a', 4999)).toEqual({ ok: true, peerId: 'AAAAAAAAAAAAAAAAAAAAAA', expiresAt: 5000 });
  });

  it('are refused when expired, for another room, another secret, tampered or malformed', () => {
    expect(checkCredential(s, token, 'room-a', 5000)).toEqual({ ok: false, reason: 'expired' });
    expect(checkCredential(s, token, 'room-b', 0)).toEqual({ ok: false, reason: 'bad-mac' });
    expect(checkCredential(signer('two'), token, 'room-a', 0)).toEqual({ ok: false, reason: 'bad-mac' });
    const later = token.replace('.5000.', '.9999.');
    expect(checkCredential(s, later, 'room-a', 0)).toEqual({ ok: false, reason: 'bad-mac' });
    const otherId = token.replace(/^A/, 'B');
    expect(checkCredential(s, otherId, 'room-a', 0)).toEqual({ ok: false, reason: 'bad-mac' });
    for (const bad of ['', 'x', 'a.b.c', `${token}.x`, token.replace(/\./g, '-')]) {
      expect(checkCredential(s, bad, 'room-a', 0)).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});

describe('the rooms entry point', () => {
  it('imports no zod, and from outside its folder only types and the zod-free values (client bundles stay small)', () => {
    const dir = new URL('./', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      for (const [, what, from] of source.matchAll(/^import (type )?.*? from '([^']+)';$/gm)) {
        if (what) continue;
        expect(from, `${file} imports ${from}`).toMatch(/^(\.\/[A-Za-z]+|\.\.\/values)\.ts$/);
      }
      expect(source).not.toMatch(/from 'zod'/);
    }
  });
});
