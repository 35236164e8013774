import { errors, jwtVerify } from 'jose';
import { DisplayNameSchema } from '@meshmeet/protocol';

/**
 * Join tokens (AUTH_SECRET): JWTs an app's backend signs with HS256 to say who may join which
 * room until when. Claims: `room` (a room name, or `*` for any), `exp` (required), `name`
 * (optional: the display name, which overrides the one the client sends), `role` (optional:
 * `host`). jose checks the signature, the algorithm (HS256 only, so `alg: none` and key
 * confusion are refused) and the expiry; this module checks the claims.
 */
export interface JoinGrant {
  /** The token's expiry (ms since the epoch). */
  expiresAt: number;
  name?: string;
  host: boolean;
}

export type TokenCheck = { ok: true; grant: JoinGrant } | { ok: false; reason: 'expired' | 'invalid' | 'claims' | 'room' };

export type JoinTokenVerifier = (token: string, room: string) => Promise<TokenCheck>;

export function joinTokenVerifier(secret: string): JoinTokenVerifier {
  const key = new TextEncoder().encode(secret);
  return async (token, room) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['exp', 'room'] }));
    } catch (error) {
      return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
    const { room: allowed, name, role, exp } = payload;
    if (typeof allowed !== 'string' || typeof exp !== 'number') return { ok: false, reason: 'claims' };
    if (role !== undefined && role !== 'host') return { ok: false, reason: 'claims' };
    let display: string | undefined;
    if (name !== undefined) {
      const parsed = DisplayNameSchema.safeParse(name);
      if (!parsed.success) return { ok: false, reason: 'claims' };
      display = parsed.data;
    }
    if (allowed !== '*' && allowed !== room) return { ok: false, reason: 'room' };
    const grant: JoinGrant = { expiresAt: exp * 1000, host: role === 'host' };
    if (display !== undefined) grant.name = display;
    return { ok: true, grant };
  };
}
