import { PROTOCOL_REVISION, NO_MEDIA } from '../values.ts';
import type { JoinRequest } from '../room.ts';
import type { Membership } from './membership.ts';
import type { JoinInput, ResumeClaim } from './RoomModel.ts';

/** A join request read the way every server reads it (revision, capabilities, credential expiry). */
export interface ReadJoin<C> {
  input: JoinInput<C>;
  /** The revision the answer is written in. */
  revision: number;
  /** Expiry of the credential to issue with the answer (revision 2). */
  expiresAt: number;
}

/**
 * Turns a validated join request into the model's input. `verify` checks the resume credential
 * (called only for revision 2 with one); a revision-1 client holds no credential, so its
 * tombstone need not outlive the join.
 */
export function readJoin<C>(
  request: JoinRequest,
  conn: C,
  current: Membership<C> | null,
  options: { now: number; ttlMs: number; verify: (token: string) => ResumeClaim },
): ReadJoin<C> {
  const { now } = options;
  const revision = Math.min(request.v ?? 1, PROTOCOL_REVISION);
  const v2 = revision >= 2;
  const expiresAt = now + options.ttlMs;
  const input: JoinInput<C> = {
    conn,
    current,
    room: request.room,
    name: request.name,
    media: request.media ?? { ...NO_MEDIA },
    revision,
    caps: v2 ? (request.caps ?? []) : [],
    resume: v2 && request.resume !== undefined ? options.verify(request.resume) : null,
    credentialExpiresAt: v2 ? expiresAt : now,
    now,
  };
  if (request.passcode !== undefined) input.passcode = request.passcode;
  return { input, revision, expiresAt };
}
