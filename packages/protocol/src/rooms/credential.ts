// Resume credentials: `<peerId>.<expiresAtMs>.<mac>`. The MAC binds the revision, the room, the
// peer id and the expiry; the room is not in the token because the join that presents it names
// the room. Checking needs no server state, so a restarted server (or another node with the same
// secret) accepts what an earlier one issued.

/**
 * Signs and checks MACs. Injected so that this module carries no crypto library: the server
 * uses HMAC-SHA256 from node:crypto (with a constant-time compare); in-process test servers may
 * use something simpler.
 */
export interface CredentialSigner {
  /** A URL-safe MAC of `data` (characters of `[A-Za-z0-9_-]`). */
  sign(data: string): string;
  /** True when `mac` is `sign(data)`; must not leak through timing how much of it matched. */
  verify(data: string, mac: string): boolean;
}

/** The revision of the credential format, bound by the MAC so a later format cannot be mistaken for this one. */
export const CREDENTIAL_REVISION = 2;

export type CredentialCheck =
  | { ok: true; peerId: string; expiresAt: number }
  | { ok: false; reason: 'malformed' | 'bad-mac' | 'expired' };

const TOKEN = /^([A-Za-z0-9_-]{1,64})\.(\d{1,15})\.([A-Za-z0-9_-]{16,128})$/;

function macInput(room: string, peerId: string, expiresAt: number): string {
  return `meshmeet-resume\n${CREDENTIAL_REVISION}\n${room}\n${peerId}\n${expiresAt}`;
}

export function issueCredential(signer: CredentialSigner, room: string, peerId: string, expiresAt: number): string {
  return `${peerId}.${expiresAt}.${signer.sign(macInput(room, peerId, expiresAt))}`;
}

/**
 * Checks a presented credential for a join into `room` at time `now` (ms). A credential issued
 * for another room fails as `bad-mac`, like a forged one: the two are indistinguishable by design.
 */
export function checkCredential(signer: CredentialSigner, token: string, room: string, now: number): CredentialCheck {
  const match = TOKEN.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, peerId = '', expiry = '', mac = ''] = match;
  const expiresAt = Number(expiry);
  if (!signer.verify(macInput(room, peerId, expiresAt), mac)) return { ok: false, reason: 'bad-mac' };
  if (expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, peerId, expiresAt };
}
