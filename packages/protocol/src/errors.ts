import { z } from 'zod';
import { ERROR_CODES } from './values.ts';

export { ERROR_CODES };

/** Every error a server can answer with, as a string code. */
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorPayloadSchema = z.strictObject({
  code: ErrorCodeSchema,
  message: z.string().max(1024),
});
export type ErrorPayload = z.infer<typeof ErrorPayloadSchema>;

/** The answer to a call that returns nothing but success or an error. */
export const AckSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true) }),
  z.strictObject({ ok: z.literal(false), error: ErrorPayloadSchema }),
]);
export type Ack = z.infer<typeof AckSchema>;
export type AckError = Extract<Ack, { ok: false }>;

/** Builds the failure answer for any ack; used by servers and tests alike. */
export function ackError(code: ErrorCode, message: string): AckError {
  return { ok: false, error: { code, message } };
}
