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
import { SignalMessageSchema, SignalRequestSchema, type SignalMessage, type SignalRequest } from './signal.ts';

export type AckCallback<T = Ack> = (result: T) => void;

/** client -> server, in socket.io's event-map shape (ack last). */
export interface ClientToServerEvents {
  join: (request: JoinRequest, ack: AckCallback<JoinResult>) => void;
  signal: (message: SignalRequest, ack?: AckCallback) => void;
  media: (state: MediaState, ack?: AckCallback) => void;
  leave: (ack?: AckCallback) => void;
}

/** server -> client. */
export interface ServerToClientEvents {
  'peer-joined': (peer: Peer) => void;
  'peer-left': (peer: PeerLeft) => void;
  signal: (message: SignalMessage) => void;
  media: (message: MediaMessage) => void;
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
} as const satisfies Record<ClientEventName, z.ZodType | null>;

export const serverEventSchemas = {
  'peer-joined': PeerSchema,
  'peer-left': PeerLeftSchema,
  signal: SignalMessageSchema,
  media: MediaMessageSchema,
} as const satisfies Record<ServerEventName, z.ZodType>;

export const CLIENT_EVENTS = Object.keys(clientEventSchemas) as ClientEventName[];
export const SERVER_EVENTS = Object.keys(serverEventSchemas) as ServerEventName[];

export { AckSchema };
