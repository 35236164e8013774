import type { Mesh, RemoteParticipant } from '@meshmeet/rtc-core';

// A local shim for rtc-core's data-channel API (issue 12), which lands in rtc-core separately.
// Every member is reached through a guarded cast, so this app compiles against an engine without
// it and degrades to "chat unavailable". Once rtc-core exports these types, this file reduces to
// re-exports and can go.

/** One chat message. `from` is the sender's peer id (our own `selfId` for ours). */
export interface ChatMessage {
  readonly id: string;
  readonly from: string;
  readonly text: string;
  /** The sender's clock, ms since the epoch. */
  readonly sentAt: number;
}

export interface HandChange {
  readonly peerId: string;
  readonly raisedAt: number | null;
}

export interface ReactionEvent {
  readonly peerId: string;
  readonly emoji: string;
}

/** The fixed set of reactions (rtc-core exports the same list as `REACTIONS`). */
export const REACTIONS = ['👍', '👏', '😂', '❤️', '🎉', '😮'] as const;
export type Reaction = (typeof REACTIONS)[number];

export interface MeshDataEvents {
  /** A message from anyone, ourselves included; also history items arriving after join. */
  messageReceived: (message: ChatMessage) => void;
  /** A hand went up or down, ours included. */
  handChanged: (e: HandChange) => void;
  /** A reaction, ours included. */
  reactionReceived: (e: ReactionEvent) => void;
}

/** The members of rtc-core's Mesh that carry chat, hands and reactions over data channels. */
export interface MeshData {
  /** Throws MeshError INVALID_ARGUMENT (empty, over 4 KiB of UTF-8) or RATE_LIMITED (over 5 per 2 s). */
  sendMessage(text: string): ChatMessage;
  /** Recent history: the last 50, including what a late joiner received from a peer. */
  readonly messages: readonly ChatMessage[];
  setHandRaised(up: boolean): void;
  readonly handRaisedAt: number | null;
  react(emoji: string): void;
  on<E extends keyof MeshDataEvents>(event: E, listener: MeshDataEvents[E]): () => void;
}

/** The data-channel API of `mesh`, or null when this engine does not have it. */
export function meshData(mesh: Mesh | null): MeshData | null {
  if (!mesh) return null;
  const candidate = mesh as unknown as Partial<Record<keyof MeshData, unknown>>;
  const ok =
    typeof candidate.sendMessage === 'function' &&
    typeof candidate.setHandRaised === 'function' &&
    typeof candidate.react === 'function' &&
    typeof candidate.on === 'function';
  return ok ? (mesh as unknown as MeshData) : null;
}

/** Whether a participant can take part in chat, hands and reactions (false for wave-1 clients). */
export function canReceiveData(participant: RemoteParticipant | { capabilities?: unknown }): boolean {
  const capabilities = (participant as { capabilities?: { data?: unknown } }).capabilities;
  return capabilities?.data === true;
}

/** The time a participant raised their hand, or null (also when the engine does not know hands). */
export function handRaisedAtOf(participant: RemoteParticipant | { handRaisedAt?: unknown }): number | null {
  const at = (participant as { handRaisedAt?: unknown }).handRaisedAt;
  return typeof at === 'number' ? at : null;
}
