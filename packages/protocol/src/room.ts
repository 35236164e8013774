import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { ErrorPayloadSchema } from './errors.ts';
import { MediaStateSchema } from './media.ts';

export const RoomIdSchema = z
  .string()
  .min(1)
  .max(LIMITS.roomMaxLength)
  .regex(/^[A-Za-z0-9_-]+$/, 'room may hold only letters, digits, "_" and "-"');
export type RoomId = z.infer<typeof RoomIdSchema>;

// Control characters and bidirectional overrides would let a name disguise itself in other
// people's UIs, so they are refused rather than stripped.
const FORBIDDEN_NAME_CHARS = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

export const DisplayNameSchema = z
  .string()
  .max(LIMITS.nameMaxLength * 4)
  .trim()
  .min(1, 'name must not be empty')
  .max(LIMITS.nameMaxLength)
  .refine((s) => !FORBIDDEN_NAME_CHARS.test(s), 'name must not contain control characters');
export type DisplayName = z.infer<typeof DisplayNameSchema>;

/** Peer ids are assigned by the server; clients only echo them back as targets. */
export const PeerIdSchema = z
  .string()
  .min(1)
  .max(LIMITS.peerIdMaxLength)
  .regex(/^[A-Za-z0-9_-]+$/, 'not a peer id');
export type PeerId = z.infer<typeof PeerIdSchema>;

/**
 * A feature a client supports beyond the base contract (revision 2+). Unknown names are
 * accepted and passed on unchanged, so that newer clients can announce features older servers
 * do not know. `data`: the client opens the data channel of the link layout (see the README).
 */
export const CapabilitySchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'not a capability name');
export const CapabilitiesSchema = z.array(CapabilitySchema).max(LIMITS.maxCapabilities);
export { CAPABILITIES } from './values.ts';

export const PeerSchema = z.strictObject({
  id: PeerIdSchema,
  name: DisplayNameSchema,
  media: MediaStateSchema,
  /** Revision 2+: what that peer announced in its join; sent only to revision-2 clients. */
  caps: CapabilitiesSchema.optional(),
});
export type Peer = z.infer<typeof PeerSchema>;

export { PROTOCOL_REVISION } from './values.ts';
export const ProtocolRevisionSchema = z.number().int().min(1).max(1000);

/**
 * A resume credential: opaque to clients (the server signs it), handed back unchanged. Bounded
 * and URL-safe so that it can be stored and logged-around without escaping.
 */
export const ResumeTokenSchema = z
  .string()
  .min(1)
  .max(LIMITS.resumeTokenMaxLength)
  .regex(/^[A-Za-z0-9_.-]+$/, 'not a resume credential');
export type ResumeToken = z.infer<typeof ResumeTokenSchema>;

/** A join token: a JWT in compact form (three base64url parts), checked by servers with AUTH_SECRET. */
export const JoinTokenSchema = z
  .string()
  .min(1)
  .max(LIMITS.joinTokenMaxLength)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/, 'not a join token');

/** A room passcode as typed by people: any characters, 1-64 of them, compared exactly. */
export const PasscodeSchema = z.string().min(1).max(LIMITS.passcodeMaxLength);

export const JoinRequestSchema = z.strictObject({
  room: RoomIdSchema,
  name: DisplayNameSchema,
  media: MediaStateSchema.optional(),
  /** Revision 2+: the revision the client speaks (absent = 1). */
  v: ProtocolRevisionSchema.optional(),
  /** Revision 2+: the credential of an earlier membership of this room, to keep its peer id. */
  resume: ResumeTokenSchema.optional(),
  /** Revision 2+: features this client supports, shown to the others in its `Peer`. */
  caps: CapabilitiesSchema.optional(),
  /** A join token from the app that sent the person here (required by servers with AUTH_SECRET). */
  token: JoinTokenSchema.optional(),
  /** The room's passcode, when its host set one. */
  passcode: PasscodeSchema.optional(),
});
export type JoinRequest = z.input<typeof JoinRequestSchema>;

/** The RTCIceServer dictionary, as the server hands it to clients. */
export const IceServerSchema = z.strictObject({
  urls: z.union([z.string().min(1).max(512), z.array(z.string().min(1).max(512)).min(1).max(16)]),
  username: z.string().max(512).optional(),
  credential: z.string().max(512).optional(),
});
export type IceServer = z.infer<typeof IceServerSchema>;

/**
 * How the server treated a presented resume credential:
 * - `kept`: it still held the membership (the client was away briefly); `peers` is the whole room.
 * - `restored`: it had no record of it (it restarted, or the client reached another node) and
 *   re-created it with the same id; `peers` lists only those who are back so far, the others
 *   follow as `peer-joined`.
 * - `refused`: not honoured (expired, ended by a leave or by the grace running out, signed by
 *   another secret, or for another room); this is a fresh membership with a new id.
 */
export const ResumeOutcomeSchema = z.enum(['kept', 'restored', 'refused']);
export type ResumeOutcome = z.infer<typeof ResumeOutcomeSchema>;

export const JoinResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    self: z.strictObject({ id: PeerIdSchema, name: DisplayNameSchema }),
    peers: z.array(PeerSchema),
    iceServers: z.array(IceServerSchema),
    /** Revision 2+: the credential that resumes this membership (a new one on every join). */
    resume: ResumeTokenSchema.optional(),
    /** Revision 2+: when that credential expires (Unix time, milliseconds). */
    resumeExpiresAt: z.number().int().nonnegative().optional(),
    /**
     * Revision 2+: how long (ms) the server keeps a membership whose connection dropped without
     * a leave before it tells the room that the participant left.
     */
    resumeGraceMs: z.number().int().nonnegative().optional(),
    /** Revision 2+, only when the join presented a credential: what became of it. */
    resumed: ResumeOutcomeSchema.optional(),
    /**
     * Revision 3+: the most video (kbps) the server wants each participant to send in total,
     * across all its connections; absent = no budget.
     */
    videoUplinkKbps: z.number().int().positive().optional(),
  }),
  z.strictObject({ ok: z.literal(false), error: ErrorPayloadSchema }),
]);
export type JoinResult = z.infer<typeof JoinResultSchema>;
export type JoinSuccess = Extract<JoinResult, { ok: true }>;

export const PeerLeftSchema = z.strictObject({ id: PeerIdSchema });
export type PeerLeft = z.infer<typeof PeerLeftSchema>;
