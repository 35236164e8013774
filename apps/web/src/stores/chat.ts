import type { Mesh } from '@meshmeet/rtc-core';
import { defineStore } from './store.ts';
import { computed, ref, shallowRef, watch } from 'vue';
import { chatProblemText, countUnread, mergeMessage, problemFromError, validateChatText, type ChatProblem } from '../lib/chat.ts';
import { meshData, type ChatMessage, type MeshData } from '../lib/meshChat.ts';
import { useViewStore } from './view.ts';

/** Chat over the mesh's data channels: the messages, what is unread, and why a send failed. */
export const useChatStore = defineStore(() => {
  const view = useViewStore();
  /** False when the engine has no data channels: the panel says chat is unavailable. */
  const available = ref(false);
  const messages = shallowRef<ChatMessage[]>([]);
  const seen = shallowRef<ReadonlySet<string>>(new Set());
  const problem = ref<{ kind: ChatProblem; text: string } | null>(null);
  let api: MeshData | null = null;
  let selfId: () => string | null = () => null;

  const open = computed(() => view.panel === 'chat');
  const unread = computed(() => countUnread(messages.value, seen.value, selfId()));

  function markAllSeen(): void {
    if (messages.value.every((m) => seen.value.has(m.id))) return;
    seen.value = new Set(messages.value.map((m) => m.id));
  }
  watch(open, (isOpen) => isOpen && markAllSeen());

  function add(message: ChatMessage): void {
    messages.value = mergeMessage(messages.value, message);
    if (open.value) markAllSeen();
  }

  /** Follows `mesh`'s chat for the length of the call; returns the detach function. */
  function attach(mesh: Mesh, self: () => string | null): () => void {
    api = meshData(mesh);
    selfId = self;
    available.value = api !== null;
    messages.value = [];
    seen.value = new Set();
    problem.value = null;
    if (!api) return () => undefined;
    const current = api;
    for (const m of current.messages) add(m);
    const off = current.on('messageReceived', add);
    return () => {
      off();
      if (api === current) {
        api = null;
        available.value = false;
      }
    };
  }

  /** Sends `text` to everyone; false (with `problem` set) when it cannot go. */
  function send(text: string): boolean {
    const invalid = api ? validateChatText(text) : 'unavailable';
    if (invalid) {
      problem.value = { kind: invalid, text: chatProblemText(invalid, text) };
      return false;
    }
    try {
      add((api as MeshData).sendMessage(text));
      problem.value = null;
      return true;
    } catch (error) {
      const kind = problemFromError(error);
      problem.value = { kind, text: chatProblemText(kind, text) };
      return false;
    }
  }

  function clearProblem(): void {
    problem.value = null;
  }

  return { available, messages, unread, problem, open, attach, send, clearProblem };
});
