import type { Membership } from './membership.ts';

/**
 * Who hosts one room and what gates its door. `P` is the caller's passcode record (the server
 * keeps a scrypt hash and its salt); the model never sees a passcode in the clear beyond handing
 * the presented one to the caller's `verifyPasscode`, so it carries no crypto.
 */
export interface RoomGate<P> {
  hostId: string | null;
  locked: boolean;
  passcode: P | null;
}

export type GateRefusal = 'ROOM_LOCKED' | 'PASSCODE_REQUIRED' | 'PASSCODE_WRONG';

/** Whether a newcomer may pass: the lock first (no point asking for a passcode), then the passcode. */
export function admit<P>(gate: RoomGate<P> | undefined, given: string | undefined, verify: (stored: P, given: string) => boolean): GateRefusal | null {
  if (!gate) return null;
  if (gate.locked) return 'ROOM_LOCKED';
  if (gate.passcode === null) return null;
  if (given === undefined) return 'PASSCODE_REQUIRED';
  return verify(gate.passcode, given) ? null : 'PASSCODE_WRONG';
}

/**
 * The next host after `leaving`: the longest-present member (rooms keep join order), preferring
 * one that is connected; an away one only when nobody else is (it may still come back).
 */
export function nextHost<C>(members: Iterable<Membership<C>>, leaving: Membership<C>): string | null {
  let away: string | null = null;
  for (const m of members) {
    if (m === leaving) continue;
    if (m.conn !== null) return m.id;
    away ??= m.id;
  }
  return away;
}
