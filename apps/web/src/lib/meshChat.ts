// The part of rtc-core's Mesh that carries chat, hands and reactions over the links' data
// channels, as an interface of its own so that store tests can hand in a small fake.
import type { ChatMessage, Mesh, RemoteParticipant } from '@meshmeet/rtc-core';

export type { ChatMessage } from '@meshmeet/rtc-core';
export { REACTIONS, type Reaction } from '@meshmeet/rtc-core';

export interface HandChange {
  readonly peerId: string;
  readonly raisedAt: number | null;
}

export interface ReactionEvent {
  readonly peerId: string;
  readonly emoji: string;
}

export interface MeshDataEvents {
  /** A message from anyone, ourselves included; also history items arriving after join. */
  messageReceived: (message: ChatMessage) => void;
  /** A hand went up or down, ours included. */
  handChanged: (e: HandChange) => void;
  /** A reaction, ours included. */
  reactionReceived: (e: ReactionEvent) => void;
}

/** The members of rtc-core's Mesh that carry chat, hands and reactions. */
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

/**
 * The mesh's chat, hands and reactions, or null without a mesh or with an engine (or a test's
 * stand-in) that lacks them: the app then shows chat as unavailable.
 */
export function meshData(mesh: Mesh | null): MeshData | null {
  if (!mesh) return null;
  const m: Partial<MeshData> = mesh;
  return typeof m.sendMessage === 'function' && typeof m.setHandRaised === 'function' && typeof m.react === 'function' && Array.isArray(m.messages) ? mesh : null;
}

/** Whether a participant can take part in chat, hands and reactions (false for wave-1 clients). */
export function canReceiveData(participant: Partial<Pick<RemoteParticipant, 'capabilities'>>): boolean {
  return participant.capabilities?.data === true;
}

/** The time a participant raised their hand, or null. */
export function handRaisedAtOf(participant: Partial<Pick<RemoteParticipant, 'handRaisedAt'>>): number | null {
  return participant.handRaisedAt ?? null;
}
