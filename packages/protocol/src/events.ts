import type { z } from 'zod';
import { AckSchema, type Ack } from './errors.ts';
import { MediaMessageSchema, MediaStateSchema, type MediaMessage, type MediaState } from './media.ts';
import {
  JoinRequestSchema,
  PeerLeftSchema,
  PeerSchema,
  type JoinRequest,
  type JoinResult,
  type Peer,
  type PeerLeft,
} from './room.ts';
import {
  LockSchema,
  RemovedSchema,
  RemoveSchema,
  RoomStateSchema,
  SetPasscodeSchema,
  type Lock,
  type Remove,
  type Removed,
  type RoomState,
  type SetPasscode,
} from './moderation.ts';
import { SignalMessageSchema, SignalRequestSchema, type SignalMessage, type SignalRequest } from './signal.ts';

export type AckCallback<T = Ack> = (result: T) => void;

/** client -> server, in socket.io's event-map shape (ack last). */
export interface ClientToServerEvents {
  join: (request: JoinRequest, ack: AckCallback<JoinResult>) => void;
  signal: (message: SignalRequest, ack?: AckCallback) => void;
  media: (state: MediaState, ack?: AckCallback) => void;
  leave: (ack?: AckCallback) => void;
  /** Host only: set or clear the passcode new joiners must give. */
  'set-passcode': (request: SetPasscode, ack?: AckCallback) => void;
  /** Host only: lock or unlock the room to new joins. */
  lock: (request: Lock, ack?: AckCallback) => void;
  /** Host only: remove a participant. */
  remove: (request: Remove, ack?: AckCallback) => void;
}

/** server -> client. */
export interface ServerToClientEvents {
  'peer-joined': (peer: Peer) => void;
  'peer-left': (peer: PeerLeft) => void;
  signal: (message: SignalMessage) => void;
  media: (message: MediaMessage) => void;
  /** Who hosts the room, whether it is locked and whether it has a passcode. */
  'room-state': (state: RoomState) => void;
  /** The host removed the receiver from the room. */
  removed: (info: Removed) => void;
}

export type ClientEventName = keyof ClientToServerEvents;
export type ServerEventName = keyof ServerToClientEvents;

/**
 * The payload schema of every client event (`null` where the event has no payload). Keyed by the
 * event map so that a renamed or added event cannot drift from its runtime check.
 */
export const clientEventSchemas = {
  join: JoinRequestSchema,
  signal: SignalRequestSchema,
  media: MediaStateSchema,
  leave: null,
  'set-passcode': SetPasscodeSchema,
  lock: LockSchema,
  remove: RemoveSchema,
} as const satisfies Record<ClientEventName, z.ZodType | null>;

export const serverEventSchemas = {
  'peer-joined': PeerSchema,
  'peer-left': PeerLeftSchema,
  signal: SignalMessageSchema,
  media: MediaMessageSchema,
  'room-state': RoomStateSchema,
  removed: RemovedSchema,
} as const satisfies Record<ServerEventName, z.ZodType>;

export const CLIENT_EVENTS = Object.keys(clientEventSchemas) as ClientEventName[];
export const SERVER_EVENTS = Object.keys(serverEventSchemas) as ServerEventName[];

export { AckSchema };
