import type { z } from 'zod';
import {
  clientEventSchemas,
  JoinRequestSchema,
  LIMITS,
  LockSchema,
  RemoveSchema,
  SetPasscodeSchema,
  MediaStateSchema,
  SignalRequestSchema,
  type MediaState,
  type ClientEventName,
  type SignalRequest,
} from '@meshmeet/protocol';

/**
 * Inbound validation. The protocol's zod schemas are the contract; `signal` (the hot path, every
 * ICE candidate) first goes through a hand-written check that accepts only what the schema
 * accepts, so the common valid message skips zod. Anything the fast check does not vouch for
 * goes to zod, which has the final word and writes the error message. signal.test.ts
 * cross-checks the two on many inputs.
 *
 * Each function returns the parsed value, or a string saying what is wrong.
 */

const ID = /^[A-Za-z0-9_-]+$/;
const PROTO = Object.prototype;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === PROTO;
}

function isOptionalBoundedString(value: unknown, max: number): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.length <= max);
}

function isCandidate(c: unknown): boolean {
  if (c === null) return true;
  if (!isPlainObject(c)) return false;
  let seen = 0;
  for (const key in c) {
    if (key !== 'candidate' && key !== 'sdpMid' && key !== 'sdpMLineIndex' && key !== 'usernameFragment') return false;
    seen++;
  }
  const line = c.candidate;
  if (typeof line !== 'string' || line.length > LIMITS.candidateMaxLength) return false;
  const index = c.sdpMLineIndex;
  if (index !== undefined && index !== null) {
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > LIMITS.maxMLineIndex) return false;
  }
  return (
    seen >= 1 &&
    isOptionalBoundedString(c.sdpMid, LIMITS.candidateFieldMaxLength) &&
    isOptionalBoundedString(c.usernameFragment, LIMITS.candidateFieldMaxLength)
  );
}

function isDescription(d: unknown): boolean {
  if (!isPlainObject(d)) return false;
  let seen = 0;
  for (const key in d) {
    if (key !== 'type' && key !== 'sdp') return false;
    seen++;
  }
  return (
    seen === 2 &&
    (d.type === 'offer' || d.type === 'answer') &&
    typeof d.sdp === 'string' &&
    d.sdp.length <= LIMITS.sdpMaxLength
  );
}

/** True only for payloads SignalRequestSchema accepts unchanged. */
export function isValidSignalFast(p: unknown): p is SignalRequest {
  if (!isPlainObject(p)) return false;
  let seen = 0;
  for (const key in p) {
    if (key !== 'to' && key !== 'description' && key !== 'candidate') return false;
    seen++;
  }
  // A (spoofed or echoed) `from` is left to zod: rare, and the relay replaces it anyway.
  if (seen !== 2) return false;
  const to = p.to;
  if (typeof to !== 'string' || to.length === 0 || to.length > LIMITS.peerIdMaxLength || !ID.test(to)) return false;
  if (p.description !== undefined) return p.candidate === undefined && isDescription(p.description);
  return 'candidate' in p && isCandidate(p.candidate);
}

export function parseSignal(payload: unknown): SignalRequest | string {
  if (isValidSignalFast(payload)) return payload;
  return parseWith(SignalRequestSchema, payload);
}

export function parseMedia(payload: unknown): MediaState | string {
  return parseWith(MediaStateSchema, payload);
}

export function parseJoin(payload: unknown): z.output<typeof JoinRequestSchema> | string {
  return parseWith(JoinRequestSchema, payload);
}

function parseWith<S extends z.ZodType>(schema: S, payload: unknown): z.output<S> | string {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) return 'invalid payload';
  const where = issue.path.length > 0 ? issue.path.map(String).join('.').slice(0, 100) : 'payload';
  return `${where}: ${issue.message}`.slice(0, 300);
}

type Schemas = typeof clientEventSchemas;
/** What the validator of event E returns: the parsed payload, or what is wrong with it. */
export type Parsed<E extends ClientEventName> = Schemas[E] extends z.ZodType ? z.output<Schemas[E]> : undefined;
type ValidatorOf<E extends ClientEventName> = Schemas[E] extends z.ZodType ? (payload: unknown) => Parsed<E> | string : null;

/**
 * The inbound check of every client event, keyed like the protocol's schema table: an event
 * with a schema has a validator, one without (leave) has none. The dispatcher iterates this.
 */
export const validators = {
  join: parseJoin,
  signal: parseSignal,
  media: parseMedia,
  leave: null,
  'set-passcode': (payload: unknown) => parseWith(SetPasscodeSchema, payload),
  lock: (payload: unknown) => parseWith(LockSchema, payload),
  remove: (payload: unknown) => parseWith(RemoveSchema, payload),
} as const satisfies { [E in ClientEventName]: ValidatorOf<E> };
