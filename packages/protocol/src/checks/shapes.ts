/**
 * The protocol's schemas again, written with the small validators of `kit.ts` instead of zod, one
 * for each zod schema of the same name (room.ts, signal.ts, media.ts, errors.ts, link.ts). Keep the
 * two in step: `checks.test.ts` feeds both thousands of payloads and fails on any disagreement.
 *
 * This module holds what the engine itself checks (a join request, chat, link messages) and the
 * pieces those share; what only a signaling transport reads is in `transport.ts`. The split is for
 * bundle size: esbuild keeps every top-level call of a module it includes (it cannot tell that
 * `string(1, LIMITS.x)` has no side effects), but drops a module nothing uses.
 */
import { LIMITS } from '../limits.ts';
import { utf8Length } from '../utf8.ts';
import { REACTIONS, VIDEO_WANTS } from '../values.ts';
import { array, boolean, fail, int, nullable, oneOf, optional, refine, strict, string, union, type Check } from './kit.ts';

const ID = /^[A-Za-z0-9_-]+$/;
const FORBIDDEN_NAME_CHARS = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

export const roomId = string(1, LIMITS.roomMaxLength, ID, 'room may hold only letters, digits, "_" and "-"');
export const peerId = string(1, LIMITS.peerIdMaxLength, ID, 'not a peer id');
export const resumeToken = string(1, LIMITS.resumeTokenMaxLength, /^[A-Za-z0-9_.-]+$/, 'not a resume credential');

/** Bounded before trimming (so a huge input is refused cheaply), then trimmed, then bounded again. */
export const displayName: Check<string> = (v, p) => {
  const raw = string(0, LIMITS.nameMaxLength * 4)(v, p);
  const name = raw.trim();
  if (name.length < 1) return fail(p, 'name must not be empty');
  if (name.length > LIMITS.nameMaxLength) return fail(p, `must have at most ${LIMITS.nameMaxLength} characters`);
  if (FORBIDDEN_NAME_CHARS.test(name)) return fail(p, 'name must not contain control characters');
  return name;
};

export const mediaState = strict({ mic: boolean, camera: boolean, screen: boolean });

export const capabilities = array(string(0, 32, /^[a-z][a-z0-9-]{0,31}$/, 'not a capability name'), 0, LIMITS.maxCapabilities);

export const joinToken = string(1, LIMITS.joinTokenMaxLength, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/, 'not a join token');
export const passcode = string(1, LIMITS.passcodeMaxLength);

export const joinRequest = strict({
  room: roomId,
  name: displayName,
  media: optional(mediaState),
  v: optional(int(1, 1000)),
  resume: optional(resumeToken),
  caps: optional(capabilities),
  token: optional(joinToken),
  passcode: optional(passcode),
});

export const setPasscode = strict({ passcode: nullable(passcode) });
export const lock = strict({ locked: boolean });
export const remove = strict({ id: peerId });

export const chatText = refine(
  refine(string(1, LIMITS.chatMaxBytes), (t) => t.trim().length > 0, 'a message must not be empty'),
  (t) => utf8Length(t) <= LIMITS.chatMaxBytes,
  `a message holds at most ${LIMITS.chatMaxBytes} bytes`,
);
const epochMs = int(0, 8.64e15);
export const linkMessage = union<unknown>(
  strict({ t: oneOf(['chat'] as const), id: string(1, 64, /^[A-Za-z0-9_-]{1,64}$/, 'not a message id'), text: chatText, sentAt: epochMs, from: optional(peerId) }),
  strict({ t: oneOf(['hand'] as const), raisedAt: nullable(epochMs) }),
  strict({ t: oneOf(['react'] as const), emoji: oneOf(REACTIONS) }),
  strict({ t: oneOf(['want'] as const), video: oneOf(VIDEO_WANTS) }),
);
