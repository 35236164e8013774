/**
 * `@meshmeet/protocol/checks`: the client's side of the contract without zod. The same values
 * and types as the main entry, and runtime checks that accept exactly what the zod schemas accept
 * and return what they would return (`checks.test.ts` holds them to that). A browser bundle that
 * imports only this entry carries about a kilobyte of validation instead of zod's.
 *
 * The results have the shape of zod's `safeParse` (`success`, `data`, `error.issues`), so a
 * caller can move between the two entries without rewriting its handling.
 */
import type { Ack } from '../errors.ts';
import type { ServerEventName, ServerToClientEvents } from '../events.ts';
import type { MediaState } from '../media.ts';
import type { JoinRequest, JoinResult } from '../room.ts';
import type { SignalRequest } from '../signal.ts';
import type { LinkMessage } from '../link.ts';
import type { Lock, Remove, SetPasscode } from '../moderation.ts';
import { Failure, type Check, type Path } from './kit.ts';
import * as shapes from './shapes.ts';
import * as transport from './transport.ts';

export { LIMITS } from '../limits.ts';
export { isPolite } from '../negotiation.ts';
export { CAPABILITIES, ERROR_CODES, LINK_CHANNEL, MEDIA_SOURCES, NO_MEDIA, PROTOCOL_REVISION, REACTIONS, TRANSCEIVER_KINDS, VIDEO_WANTS, type MediaSource, type Reaction, type VideoWant } from '../values.ts';
export type { LinkChat, LinkMessage } from '../link.ts';
export type { Ack, AckError, ErrorCode, ErrorPayload } from '../errors.ts';
export type { AckCallback, ClientEventName, ClientToServerEvents, ServerEventName, ServerToClientEvents } from '../events.ts';
export type { MediaMessage, MediaState } from '../media.ts';
export type {
  DisplayName,
  IceServer,
  JoinRequest,
  JoinResult,
  JoinSuccess,
  Peer,
  PeerId,
  PeerLeft,
  ResumeOutcome,
  ResumeToken,
  RoomId,
} from '../room.ts';
export type { Lock, Remove, Removed, RoomState, SetPasscode } from '../moderation.ts';
export type { IceCandidate, SessionDescription, SignalMessage, SignalRequest } from '../signal.ts';

export interface CheckIssue {
  /** Where in the payload, e.g. `['candidate', 'sdpMid']`; empty for the payload itself. */
  readonly path: Path;
  readonly message: string;
}

/** The first problem found in a payload. */
export class CheckError extends Error {
  override readonly name = 'CheckError';
  readonly issues: readonly CheckIssue[];

  constructor(issue: CheckIssue) {
    super(`${issue.path.join('.') || 'payload'}: ${issue.message}`);
    this.issues = [issue];
  }
}

export type CheckResult<T> = { success: true; data: T } | { success: false; error: CheckError };

function run<T>(check: Check<unknown>, value: unknown): CheckResult<T> {
  try {
    return { success: true, data: check(value, []) as T };
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    return { success: false, error: new CheckError({ path: error.path, message: error.message }) };
  }
}

/** A join request as the server will read it (the name trimmed). Check before sending. */
export const checkJoinRequest = (value: unknown): CheckResult<JoinRequest> => run(shapes.joinRequest, value);
export const checkSignalRequest = (value: unknown): CheckResult<SignalRequest & { from?: string }> => run(transport.signalRequest, value);
export const checkMediaState = (value: unknown): CheckResult<MediaState> => run(shapes.mediaState, value);
export const checkRoomId = (value: unknown): CheckResult<string> => run(shapes.roomId, value);
/** A display name, trimmed; refuses empty names and control or bidi-override characters. */
export const checkDisplayName = (value: unknown): CheckResult<string> => run(shapes.displayName, value);

/** The host's requests: what a client is about to send. */
export const checkSetPasscode = (value: unknown): CheckResult<SetPasscode> => run(shapes.setPasscode, value);
export const checkLock = (value: unknown): CheckResult<Lock> => run(shapes.lock, value);
export const checkRemove = (value: unknown): CheckResult<Remove> => run(shapes.remove, value);

/** A chat message's text: not blank, at most LIMITS.chatMaxBytes of UTF-8. */
export const checkChatText = (value: unknown): CheckResult<string> => run(shapes.chatText, value);
/** A message from a link's data channel (chat, hand, reaction, video want). */
export const parseLinkMessage = (value: unknown): CheckResult<LinkMessage> => run(shapes.linkMessage, value);

/** The server's answer to `join`. */
export const parseJoinResult = (value: unknown): CheckResult<JoinResult> => run(transport.joinResult, value);
/** The server's answer to `signal`, `media` and `leave`. */
export const parseAck = (value: unknown): CheckResult<Ack> => run(transport.ack, value);

type ServerPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

const serverEventChecks = {
  'peer-joined': transport.peer,
  'peer-left': transport.peerLeft,
  signal: transport.signalMessage,
  media: transport.mediaMessage,
  'room-state': transport.roomState,
  removed: transport.removed,
} satisfies Record<ServerEventName, Check<unknown>>;

/** Every server -> client event, in the order of the main entry's `SERVER_EVENTS`. */
export const SERVER_EVENTS = /* @__PURE__ */ Object.keys(serverEventChecks) as ServerEventName[];

/** A server -> client event's payload; an unknown event name is a failure, not an exception. */
export function parseServerEvent<E extends ServerEventName>(event: E, payload: unknown): CheckResult<ServerPayload<E>> {
  const check: Check<unknown> | undefined = Object.hasOwn(serverEventChecks, event) ? serverEventChecks[event] : undefined;
  if (!check) return { success: false, error: new CheckError({ path: [], message: `unknown event ${String(event)}` }) };
  return run(check, payload);
}
