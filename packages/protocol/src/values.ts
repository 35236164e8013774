/**
 * The contract's plain values. They live apart from the zod schemas so that the client entry
 * (`@meshmeet/protocol/checks`) can share them without pulling zod into a browser bundle; the
 * schema modules re-export them, so either entry hands out the very same objects.
 */
import type { MediaState } from './media.ts';

/**
 * The three sources in the order of the transceivers every connection carries:
 * m-line 0 audio (mic), 1 video (camera), 2 video (screen).
 */
export const MEDIA_SOURCES = ['mic', 'camera', 'screen'] as const;
export type MediaSource = (typeof MEDIA_SOURCES)[number];
export const TRANSCEIVER_KINDS: Readonly<Record<MediaSource, 'audio' | 'video'>> = {
  mic: 'audio',
  camera: 'video',
  screen: 'video',
};

export const NO_MEDIA: Readonly<MediaState> = Object.freeze({ mic: false, camera: false, screen: false });

/** Every error a server can answer with, as a string code. */
export const ERROR_CODES = [
  'INVALID_MESSAGE',
  'ROOM_FULL',
  'NOT_IN_ROOM',
  'UNKNOWN_PEER',
  'ALREADY_JOINED',
  'RATE_LIMITED',
  'UNAUTHORIZED',
  'INTERNAL',
  'PASSCODE_REQUIRED',
  'PASSCODE_WRONG',
  'ROOM_LOCKED',
  'FORBIDDEN',
  'UNAVAILABLE',
] as const;

/**
 * The contract revision a client speaks. 1 (or absent) is the wave-1 contract; 2 adds stable
 * peer ids with resume credentials; 3 adds the server's video uplink budget to the join answer.
 * The server answers each client in its own revision, so an older client never sees a field it
 * does not know.
 */
export const PROTOCOL_REVISION = 3;

/** Capabilities a client can announce in its join (revision 2). */
export const CAPABILITIES = { data: 'data' } as const;

/** The reactions a client may send on a link's data channel (others are dropped). */
export const REACTIONS = ['👍', '👏', '😂', '❤️', '🎉', '😮'] as const;
export type Reaction = (typeof REACTIONS)[number];

/** What a receiver can ask of a sender's camera on one link (`want` on the data channel). */
export const VIDEO_WANTS = ['none', 'low', 'full'] as const;
export type VideoWant = (typeof VIDEO_WANTS)[number];

/** The data channel every `data`-capable link negotiates in its first offer (negotiated, id 0). */
export const LINK_CHANNEL = { label: 'meshmeet', id: 0 } as const;
