export { LIMITS } from './limits.ts';
export {
  ErrorCodeSchema,
  ErrorPayloadSchema,
  AckSchema,
  ERROR_CODES,
  ackError,
  type ErrorCode,
  type ErrorPayload,
  type Ack,
  type AckError,
} from './errors.ts';
export {
  MediaStateSchema,
  MediaMessageSchema,
  MEDIA_SOURCES,
  TRANSCEIVER_KINDS,
  NO_MEDIA,
  type MediaState,
  type MediaMessage,
  type MediaSource,
} from './media.ts';
export {
  RoomIdSchema,
  DisplayNameSchema,
  PeerIdSchema,
  PeerSchema,
  PeerLeftSchema,
  JoinRequestSchema,
  JoinResultSchema,
  IceServerSchema,
  type RoomId,
  type DisplayName,
  type PeerId,
  type Peer,
  type PeerLeft,
  type JoinRequest,
  type JoinResult,
  type JoinSuccess,
  type IceServer,
} from './room.ts';
export {
  SessionDescriptionSchema,
  IceCandidateSchema,
  SignalRequestSchema,
  SignalMessageSchema,
  type SessionDescription,
  type IceCandidate,
  type SignalRequest,
  type SignalMessage,
} from './signal.ts';
export {
  clientEventSchemas,
  serverEventSchemas,
  CLIENT_EVENTS,
  SERVER_EVENTS,
  type AckCallback,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type ClientEventName,
  type ServerEventName,
} from './events.ts';
export { isPolite } from './negotiation.ts';
