import type { Ack, ClientToServerEvents, ErrorPayload, JoinRequest, JoinResult, MediaMessage, MediaState, Peer, PeerLeft, Removed, RoomState, SignalMessage, SignalRequest } from '@meshmeet/protocol/checks';

/** The host's controls, by event name. */
export type HostControl = 'set-passcode' | 'lock' | 'remove';
export type HostControlPayload<E extends HostControl> = Parameters<ClientToServerEvents[E]>[0];

/** connected: messages flow; reconnecting: transport lost, trying again; disconnected: closed for good. */
export type SignalingState = 'connected' | 'reconnecting' | 'disconnected';

/** What a signaling channel delivers to the mesh (the server -> client events plus its own state). */
export interface SignalingEvents {
  'peer-joined': (peer: Peer) => void;
  'peer-left': (peer: PeerLeft) => void;
  signal: (message: SignalMessage) => void;
  media: (message: MediaMessage) => void;
  'room-state': (state: RoomState) => void;
  removed: (info: Removed) => void;
  /**
   * The transport's state. After `reconnecting` -> `connected` the mesh sends its join again with
   * its resume credential, and the server gives it its membership (and peer id) back.
   */
  state: (state: SignalingState) => void;
  /** The server refused a fire-and-forget message (e.g. RATE_LIMITED, UNKNOWN_PEER). */
  rejected: (e: { event: 'signal' | 'media'; to?: string; error: ErrorPayload }) => void;
}

/**
 * The transport the mesh talks to: it sends the protocol's client -> server messages and delivers
 * the server -> client ones. `@meshmeet/rtc-core/socket-io` implements it over socket.io; an app
 * may bring its own.
 */
export interface SignalingChannel {
  readonly state: SignalingState | 'connecting';
  /** Resolves with the server's answer; rejects (MeshError 'SIGNALING_UNAVAILABLE') when it cannot reach the server. */
  join(request: JoinRequest): Promise<JoinResult>;
  /** Fire and forget; a refusal arrives as a `rejected` event. */
  signal(message: SignalRequest): void;
  media(state: MediaState): void;
  leave(): Promise<void>;
  /** Sends a host control and resolves with the server's answer (optional: channels without it cannot host). */
  control?<E extends HostControl>(event: E, payload: HostControlPayload<E>): Promise<Ack>;
  on<E extends keyof SignalingEvents>(event: E, listener: SignalingEvents[E]): () => void;
  /** Closes the transport for good. */
  close(): void;
}
