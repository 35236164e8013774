import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CredentialSigner } from '@meshmeet/protocol/rooms';

/** HMAC-SHA256 over the credential fields, base64url; checked in constant time. */
export function hmacSigner(secret: string): CredentialSigner {
  const sign = (data: string): string => createHmac('sha256', secret).update(data).digest('base64url');
  return {
    sign,
    verify(data, mac) {
      const expected = Buffer.from(sign(data));
      const given = Buffer.from(mac);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

/** An opaque peer id: 16 random bytes, base64url (22 characters). */
export function newPeerId(): string {
  return randomBytes(16).toString('base64url');
}
