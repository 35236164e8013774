import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { PeerIdSchema } from './room.ts';

export const SessionDescriptionSchema = z.strictObject({
  type: z.enum(['offer', 'answer']),
  sdp: z.string().max(LIMITS.sdpMaxLength),
});
export type SessionDescription = z.infer<typeof SessionDescriptionSchema>;

/** An RTCIceCandidateInit. `null` (in a signal) means end of candidates. */
export const IceCandidateSchema = z.strictObject({
  candidate: z.string().max(LIMITS.candidateMaxLength),
  sdpMid: z.string().max(LIMITS.candidateFieldMaxLength).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(LIMITS.maxMLineIndex).nullable().optional(),
  usernameFragment: z.string().max(LIMITS.candidateFieldMaxLength).nullable().optional(),
});
export type IceCandidate = z.infer<typeof IceCandidateSchema>;

const signalBody = {
  description: SessionDescriptionSchema.optional(),
  candidate: IceCandidateSchema.nullable().optional(),
};

type SignalBody = { description?: unknown; candidate?: unknown };
const exactlyOne = (m: SignalBody): boolean =>
  (m.description !== undefined) !== (m.candidate !== undefined);
const EXACTLY_ONE = 'a signal carries exactly one of description or candidate';

/**
 * client -> server: relay this to peer `to` in my room. A `from` the client puts in is accepted
 * only so that a client echoing a received message is not refused; the server always replaces it
 * with its own record of the sender.
 */
export const SignalRequestSchema = z
  .strictObject({ to: PeerIdSchema, from: PeerIdSchema.optional(), ...signalBody })
  .refine(exactlyOne, EXACTLY_ONE);
/** What a client sends: the type leaves `from` out, since only the server sets it. */
export type SignalRequest = Omit<z.infer<typeof SignalRequestSchema>, 'from'>;

/** server -> client: a signal from peer `from` (set by the server, never by the sender). */
export const SignalMessageSchema = z
  .strictObject({ from: PeerIdSchema, ...signalBody })
  .refine(exactlyOne, EXACTLY_ONE);
export type SignalMessage = z.infer<typeof SignalMessageSchema>;
