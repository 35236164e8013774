import { z } from 'zod';
import { PasscodeSchema, PeerIdSchema } from './room.ts';

// The host's controls and what the room hears of them. A room's host is its first joiner (or
// a joiner with a `host` token); only the host may send these, anyone else gets FORBIDDEN.

/** client -> server: set the room's passcode, or clear it with null. */
export const SetPasscodeSchema = z.strictObject({ passcode: PasscodeSchema.nullable() });
export type SetPasscode = z.infer<typeof SetPasscodeSchema>;

/** client -> server: lock (no new joins) or unlock the room. */
export const LockSchema = z.strictObject({ locked: z.boolean() });
export type Lock = z.infer<typeof LockSchema>;

/** client -> server: remove a participant from the room. */
export const RemoveSchema = z.strictObject({ id: PeerIdSchema });
export type Remove = z.infer<typeof RemoveSchema>;

/**
 * server -> client: who hosts the room and what gates its door. Sent to a joiner right after
 * its join answer, and to the whole room whenever one of them changes. `hostId` is null only
 * while nobody present can host (every member away).
 */
export const RoomStateSchema = z.strictObject({
  hostId: PeerIdSchema.nullable(),
  locked: z.boolean(),
  passcode: z.boolean(),
});
export type RoomState = z.infer<typeof RoomStateSchema>;

/** server -> client: the host removed you; you are no longer in the room (the socket stays). */
export const RemovedSchema = z.strictObject({});
export type Removed = z.infer<typeof RemovedSchema>;
