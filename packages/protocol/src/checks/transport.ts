/**
 * The rest of the protocol's schemas as `kit.ts` checks (see `shapes.ts`): what only a signaling
 * transport reads or sends — signals, and the server's answers and events. The engine's main entry
 * never imports this module, so a bundle of it does not carry these.
 */
import { LIMITS } from '../limits.ts';
import { ERROR_CODES } from '../values.ts';
import { array, boolean, int, literal, nullable, oneOf, optional, refine, strict, string, union } from './kit.ts';
import { capabilities, displayName, mediaState, peerId, resumeToken } from './shapes.ts';

export const mediaMessage = strict({ mic: boolean, camera: boolean, screen: boolean, id: string(1, 64) });

export const peer = strict({ id: peerId, name: displayName, media: mediaState, caps: optional(capabilities) });
export const peerLeft = strict({ id: peerId });
export const roomState = strict({ hostId: nullable(peerId), locked: boolean, passcode: boolean });
export const removed = strict({});

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

const joinSuccess = strict({
  ok: literal(true),
  self: strict({ id: peerId, name: displayName }),
  peers: array(peer),
  iceServers: array(iceServer),
  resume: optional(resumeToken),
  resumeExpiresAt: optional(int(0)),
  resumeGraceMs: optional(int(0)),
  resumed: optional(oneOf(['kept', 'restored', 'refused'] as const)),
  videoUplinkKbps: optional(int(1)),
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
