import { createHmac } from 'node:crypto';
import type { IceServer } from '@meshmeet/protocol';
import type { TurnConfig } from './config.ts';

/**
 * Time-limited TURN credentials in the "TURN REST API" convention that coturn implements with
 * `use-auth-secret`: username `<expiry unix seconds>:<peer id>`, credential
 * base64(HMAC-SHA1(shared secret, username)). The TURN server recomputes the HMAC, so nothing
 * is stored here.
 */
export function turnCredentials(turn: TurnConfig, peerId: string, nowMs: number, notAfterMs = Infinity): IceServer {
  // Never beyond `notAfterMs` (a join token's expiry): TURN access must not outlive the right to join.
  const expiry = Math.min(Math.floor(nowMs / 1000) + turn.ttlSeconds, Math.floor(notAfterMs / 1000));
  const username = `${expiry}:${peerId}`;
  const credential = createHmac('sha1', turn.secret).update(username).digest('base64');
  return { urls: [...turn.urls], username, credential };
}
