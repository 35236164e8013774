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

export const PeerSchema = z.strictObject({
  id: PeerIdSchema,
  name: DisplayNameSchema,
  media: MediaStateSchema,
});
export type Peer = z.infer<typeof PeerSchema>;

export const JoinRequestSchema = z.strictObject({
  room: RoomIdSchema,
  name: DisplayNameSchema,
  media: MediaStateSchema.optional(),
});
export type JoinRequest = z.input<typeof JoinRequestSchema>;

/** The RTCIceServer dictionary, as the server hands it to clients. */
export const IceServerSchema = z.strictObject({
  urls: z.union([z.string().min(1).max(512), z.array(z.string().min(1).max(512)).min(1).max(16)]),
  username: z.string().max(512).optional(),
  credential: z.string().max(512).optional(),
});
export type IceServer = z.infer<typeof IceServerSchema>;

export const JoinResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    self: z.strictObject({ id: PeerIdSchema, name: DisplayNameSchema }),
    peers: z.array(PeerSchema),
    iceServers: z.array(IceServerSchema),
  }),
  z.strictObject({ ok: z.literal(false), error: ErrorPayloadSchema }),
]);
export type JoinResult = z.infer<typeof JoinResultSchema>;
export type JoinSuccess = Extract<JoinResult, { ok: true }>;

export const PeerLeftSchema = z.strictObject({ id: PeerIdSchema });
export type PeerLeft = z.infer<typeof PeerLeftSchema>;
