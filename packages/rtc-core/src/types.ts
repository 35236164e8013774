import type { IceServer, MediaSource, MediaState, Peer, RoomState } from '@meshmeet/protocol/checks';
import type { MeshError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { RestartPolicy } from './RestartScheduler.ts';
import type { SignalingChannel, SignalingState } from './SignalingChannel.ts';
import type { WebRtcImplementation } from './webrtc.ts';

export interface MeshOptions {
  /** The transport, e.g. `createSocketIoSignaling(url)` from `@meshmeet/rtc-core/socket-io`. */
  signaling: SignalingChannel;
  /** `{ RTCPeerConnection, MediaStream }`; defaults to the browser's globals. */
  webrtc?: WebRtcImplementation;
  /** Silent by default. */
  logger?: Logger;
  /** Overrides the ICE servers the server hands out in the join answer. */
  iceServers?: IceServer[];
  /**
   * `'relay'` gathers TURN relay candidates only (forces every link through the TURN server, e.g.
   * to test it, or to hide addresses); `'all'`, the browser's default, when unset. Passed into every
   * RTCPeerConnection's configuration.
   */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /**
   * Total video uplink (kbps), split across the senders towards the N-1 others (setParameters).
   * The lowest of this, the server's budget (join answer) and `Mesh.setUplinkBudget` applies.
   */
  uplinkBudgetKbps?: number;
  /** When > 0, a `stats` event every that many milliseconds while joined. */
  statsIntervalMs?: number;
  /**
   * Exchange ICE-TCP candidates too (default false). Between hosts that reach each other over
   * UDP they only add connection attempts (wrtc gathers dozens per connection, which slowed a
   * six-party mesh's formation about twofold); where UDP is blocked, TURN is the dependable
   * route, and its relay candidates are kept either way.
   */
  tcpCandidates?: boolean;
  /**
   * How long (ms, default 8000) a connection's first offer may go unanswered before it is sent
   * again, with our candidates; after two unanswered re-sends that connection fails with
   * NEGOTIATION_FAILED (the participant stays, at 'failed'). 0 turns the watchdog off.
   */
  negotiationTimeoutMs?: number;
  /** When to restart ICE on an unhealthy connection; the defaults suit most apps. */
  restartPolicy?: Partial<RestartPolicy>;
  /**
   * How long (ms, default 2500) a connected participant's packets may stop arriving before it is
   * reported `interrupted` (a frozen process, a dead network: its socket may take far longer to
   * time out). Checked once a second from the connection's stats; 0 turns the check off, leaving
   * only ICE's own `disconnected`.
   */
  interruptionTimeoutMs?: number;
  /**
   * Chat, raised hands and reactions over a data channel on each link (default true). Announced
   * as the `data` capability; links to peers without it keep the three-transceiver layout.
   */
  dataChannels?: boolean;
}

/** A chat message, ours or someone's. `from` is a peer id (ours for our own). */
export interface ChatMessage {
  readonly id: string;
  readonly from: string;
  readonly text: string;
  /** On the sender's clock, ms since the epoch. */
  readonly sentAt: number;
}

export interface JoinedRoom {
  self: { id: string; name: string };
  peers: Peer[];
}

export interface RemoteParticipant {
  readonly id: string;
  readonly name: string;
  /** As last announced by that peer. */
  readonly media: MediaState;
  readonly connectionState: RTCPeerConnectionState;
  /**
   * True while nothing arrives from this participant although the connection was up (its media
   * stopped, or ICE reports `disconnected`). It stays in the room until the server says it left.
   */
  readonly interrupted: boolean;
  /** What the participant announced: `data` = it can receive chat, hands and reactions. */
  readonly capabilities: { readonly data: boolean };
  /** When it raised its hand (its own clock, ms since the epoch), or null while the hand is down. */
  readonly handRaisedAt: number | null;
  /** Receiver track of transceiver 0 (mic). */
  readonly audioTrack: MediaStreamTrack | null;
  /** A stream holding the receiver track of transceiver 1 (camera). */
  readonly cameraStream: MediaStream | null;
  /** A stream holding the receiver track of transceiver 2 (screen). */
  readonly screenStream: MediaStream | null;
}

/** An ICE candidate's type: a local address, one a STUN server or the peer saw, or a TURN relay. */
export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

/** How a link is connected: its selected ICE candidate pair. */
export interface LinkPath {
  local: CandidateType;
  remote: CandidateType;
  /** The transport of the pair's packets. */
  protocol: 'udp' | 'tcp';
  /** How we reach our TURN server, when the local candidate is a relay. */
  relayProtocol?: 'udp' | 'tcp' | 'tls';
  /** The pair's current round trip; null before the first measurement. */
  rttMs: number | null;
}

/**
 * A link's figures over its recent samples (the last 5 s of them, at least the previous one):
 * differences between the oldest and the newest sample, not lifetime totals, so they follow the
 * network within seconds.
 */
export interface RecentStats {
  /** The time the figures span; 0 on a link's first sample (then loss is 0, frame rate null). */
  windowMs: number;
  /** Inbound packets lost in the window, in percent of those expected (received + lost). */
  lossPct: number;
  /** Inbound jitter (the worst stream's), averaged over the window's samples; null if none reported. */
  jitterMs: number | null;
  /** The selected pair's round trip, averaged over the window's samples; null before a measurement. */
  rttMs: number | null;
  /** Video frames decoded per second over the window; null without inbound video or a window. */
  framesPerSecond: number | null;
}

export interface PeerStats {
  peerId: string;
  roundTripTimeMs: number | null;
  /** The selected candidate pair; null while none is selected. */
  path: LinkPath | null;
  inboundKbps: number;
  outboundKbps: number;
  /** The part of outboundKbps sent on video streams (camera and screen). */
  outboundVideoKbps: number;
  /** Over the connection's whole life; `recent.lossPct` is the present. */
  packetLossPct: number;
  /** Loss, jitter, round trip and frame rate over the last few seconds. */
  recent: RecentStats;
  framesPerSecond: number | null;
  framesDecoded: number;
  audioPacketsReceived: number;
  timestamp: number;
}

export interface MeshEvents {
  participantJoined: (participant: RemoteParticipant) => void;
  participantLeft: (participant: RemoteParticipant) => void;
  trackAdded: (e: { participant: RemoteParticipant; source: MediaSource; track: MediaStreamTrack; stream: MediaStream }) => void;
  trackRemoved: (e: { participant: RemoteParticipant; source: MediaSource; track: MediaStreamTrack }) => void;
  mediaChanged: (e: { participant: RemoteParticipant; media: MediaState }) => void;
  connectionStateChanged: (e: { participant: RemoteParticipant; state: RTCPeerConnectionState }) => void;
  /** A participant's media stopped arriving (`true`) or came back (`false`). */
  interruptionChanged: (e: { participant: RemoteParticipant; interrupted: boolean }) => void;
  /**
   * `reconnecting`: the signaling transport is lost; every participant, connection and track is
   * kept, and media keeps flowing peer to peer. `connected`: (back) in the room; after a reconnect
   * it comes once the mesh has resumed its membership. `disconnected`: out for good.
   */
  signalingStateChanged: (state: SignalingState) => void;
  /**
   * Our own peer id changed: the server could not resume the membership (away past its grace
   * period, or a server without resume), so the mesh joined afresh; every connection was rebuilt.
   */
  selfIdChanged: (id: string) => void;
  stats: (stats: Map<string, PeerStats>) => void;
  /** A chat message arrived, was sent by us, or came with a peer's history (each id once). */
  messageReceived: (message: ChatMessage) => void;
  /** A hand went up (`raisedAt`) or down (null); `peerId` may be our own id. */
  handChanged: (e: { peerId: string; raisedAt: number | null }) => void;
  /** A reaction, from a peer or from us. */
  reactionReceived: (e: { peerId: string; emoji: string }) => void;
  /** Who hosts the room, whether it is locked, whether it has a passcode (after joining, and on every change). */
  roomStateChanged: (state: RoomState) => void;
  /** The host removed us: the mesh has left the room (it may join again). */
  removed: () => void;
  error: (error: MeshError) => void;
}
