import type { Mesh } from '@meshmeet/rtc-core';
import { defineStore } from './store.ts';
import { ref, shallowRef } from 'vue';
import { handRaisedAtOf, meshData, type MeshData } from '../lib/meshChat.ts';

/** How long a reaction floats over its sender's tile. */
export const REACTION_MS = 4000;
/** At most this many reactions float over one tile at once (a burst of clicks stays readable). */
const MAX_REACTIONS_PER_PEER = 4;

export interface FloatingReaction {
  readonly key: number;
  readonly peerId: string;
  readonly emoji: string;
}

/** Raised hands (ours included) and the reactions floating over tiles right now. */
export const useHandsStore = defineStore(() => {
  const available = ref(false);
  /** peer id -> when the hand went up (the raiser's clock); our own under our peer id. */
  const raised = shallowRef<ReadonlyMap<string, number>>(new Map());
  const reactions = shallowRef<readonly FloatingReaction[]>([]);
  let api: MeshData | null = null;
  let selfId: () => string | null = () => null;
  let nextKey = 1;
  const timers = new Set<ReturnType<typeof setTimeout>>();

  function setHand(peerId: string, raisedAt: number | null): void {
    if ((raised.value.get(peerId) ?? null) === raisedAt) return;
    const next = new Map(raised.value);
    if (raisedAt === null) next.delete(peerId);
    else next.set(peerId, raisedAt);
    raised.value = next;
  }

  function addReaction(peerId: string, emoji: string): void {
    const key = nextKey++;
    const mine = reactions.value.filter((r) => r.peerId === peerId);
    const dropped = mine.length >= MAX_REACTIONS_PER_PEER ? mine[0]?.key : undefined;
    reactions.value = [...reactions.value.filter((r) => r.key !== dropped), { key, peerId, emoji }];
    const timer = setTimeout(() => {
      timers.delete(timer);
      reactions.value = reactions.value.filter((r) => r.key !== key);
    }, REACTION_MS);
    timers.add(timer);
  }

  function clear(): void {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    raised.value = new Map();
    reactions.value = [];
  }

  function attach(mesh: Mesh, self: () => string | null): () => void {
    clear();
    api = meshData(mesh);
    selfId = self;
    available.value = api !== null;
    if (!api) return () => undefined;
    const current = api;
    const offs = [
      current.on('handChanged', (e) => setHand(e.peerId, e.raisedAt)),
      current.on('reactionReceived', (e) => addReaction(e.peerId, e.emoji)),
      // Hands a late joiner learns arrive on the participants; a leaver's hand goes with them.
      mesh.on('participantJoined', (p) => setHand(p.id, handRaisedAtOf(p))),
      mesh.on('participantLeft', (p) => setHand(p.id, null)),
    ];
    for (const p of mesh.participants.values()) setHand(p.id, handRaisedAtOf(p));
    return () => {
      for (const off of offs) off();
      if (api === current) {
        api = null;
        available.value = false;
      }
      clear();
    };
  }

  function selfRaised(): boolean {
    const id = selfId();
    return id !== null && raised.value.has(id);
  }

  function toggleHand(): void {
    if (!api) return;
    const up = !(api.handRaisedAt !== null || selfRaised());
    api.setHandRaised(up);
  }

  function react(emoji: string): void {
    api?.react(emoji);
  }

  return { available, raised, reactions, attach, toggleHand, react, selfRaised };
});
