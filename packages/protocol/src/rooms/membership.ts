import type { MediaState } from '../media.ts';
import type { Peer } from '../room.ts';
import type { SignalMessage } from '../signal.ts';

/**
 * One participant's membership of one room: it outlives the connection that created it (a
 * dropped connection leaves it away, waiting for a resume). `C` is the caller's connection
 * handle (a socket.io socket, an in-memory channel); `T` its grace timer handle.
 */
export interface Membership<C, T = unknown> {
  readonly id: string;
  readonly room: string;
  name: string;
  media: MediaState;
  /** The contract revision the member's current connection speaks. */
  revision: number;
  /** What it announced in its join (revision 2). */
  caps: readonly string[];
  /** The current connection, or null while away. */
  conn: C | null;
  /** When the server last heard from the member before it went away (ms), or null. */
  awaySince: number | null;
  /** When its grace period ends (ms), or null while connected. */
  graceEndsAt: number | null;
  /** The caller's timer for the grace end; the model only stores it. */
  timer: T | null;
  /** Signals addressed to it while away, in arrival order, delivered after its resume answer. */
  held: SignalMessage[];
  /** Expiry of the newest credential issued for it; its tombstone lives that long. */
  credentialExpiresAt: number;
  /**
   * Set by servers that check join tokens: the expiry (ms) of the token that let it in. Its
   * resume credentials and TURN credentials never outlive it.
   */
  authExpiresAt?: number;
}

/** The member as `recipientRevision` sees it: a wave-1 client never gets a later field. */
export function toPeer(m: Membership<unknown>, recipientRevision = 1): Peer {
  const peer: Peer = { id: m.id, name: m.name, media: { mic: m.media.mic, camera: m.media.camera, screen: m.media.screen } };
  if (recipientRevision >= 2) peer.caps = [...m.caps];
  return peer;
}

export function isPresent(m: Membership<unknown>): boolean {
  return m.conn !== null;
}
