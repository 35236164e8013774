/**
 * The protocol's schemas again, written with the small validators of `kit.ts` instead of zod, one
 * for each zod schema of the same name (room.ts, signal.ts, media.ts, errors.ts). Keep the two in
 * step: `checks.test.ts` feeds both thousands of payloads and fails on any disagreement.
 */
import { LIMITS } from '../limits.ts';
import { utf8Length } from '../utf8.ts';
import { ERROR_CODES, REACTIONS } from '../values.ts';
import { array, boolean, fail, int, literal, nullable, oneOf, optional, refine, strict, string, union, type Check } from './kit.ts';

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
export const mediaMessage = strict({ mic: boolean, camera: boolean, screen: boolean, id: string(1, 64) });

export const capabilities = array(string(0, 32, /^[a-z][a-z0-9-]{0,31}$/, 'not a capability name'), 0, LIMITS.maxCapabilities);

export const peer = strict({ id: peerId, name: displayName, media: mediaState, caps: optional(capabilities) });
export const peerLeft = strict({ id: peerId });

const errorPayload = strict({ code: oneOf(ERROR_CODES), message: string(0, 1024) });
const failure = strict({ ok: literal(false), error: errorPayload });

export const ack = union<{ ok: true } | { ok: false; error: { code: (typeof ERROR_CODES)[number]; message: string } }>(
  strict({ ok: literal(true) }),
  failure,
);

const url = string(1, 512);
export const iceServer = strict({
  urls: union<string | string[]>(url, array(url, 1, 16)),
  username: optional(string(0, 512)),
  credential: optional(string(0, 512)),
});

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
export const roomState = strict({ hostId: nullable(peerId), locked: boolean, passcode: boolean });
export const removed = strict({});

const joinSuccess = strict({
  ok: literal(true),
  self: strict({ id: peerId, name: displayName }),
  peers: array(peer),
  iceServers: array(iceServer),
  resume: optional(resumeToken),
  resumeExpiresAt: optional(int(0)),
  resumeGraceMs: optional(int(0)),
  resumed: optional(oneOf(['kept', 'restored', 'refused'] as const)),
});
export const joinResult = union<unknown>(joinSuccess, failure);

const sessionDescription = strict({ type: oneOf(['offer', 'answer'] as const), sdp: string(0, LIMITS.sdpMaxLength) });
const field = nullable(string(0, LIMITS.candidateFieldMaxLength));
const iceCandidate = strict({
  candidate: string(0, LIMITS.candidateMaxLength),
  sdpMid: optional(field),
  sdpMLineIndex: optional(nullable(int(0, LIMITS.maxMLineIndex))),
  usernameFragment: optional(field),
});
const signalBody = { description: optional(sessionDescription), candidate: optional(nullable(iceCandidate)) };
const exactlyOne = (m: { description?: unknown; candidate?: unknown }): boolean =>
  (m.description !== undefined) !== (m.candidate !== undefined);
const EXACTLY_ONE = 'a signal carries exactly one of description or candidate';

export const signalRequest = refine(strict({ to: peerId, from: optional(peerId), ...signalBody }), exactlyOne, EXACTLY_ONE);
export const signalMessage = refine(strict({ from: peerId, ...signalBody }), exactlyOne, EXACTLY_ONE);

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
);
