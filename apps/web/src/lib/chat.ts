import type { ChatMessage } from './meshChat.ts';

/** rtc-core's bound on one message, in bytes of UTF-8. */
export const MAX_CHAT_BYTES = 4096;
/** How many messages the panel keeps (the engine keeps the last 50 for late joiners). */
export const MAX_CHAT_MESSAGES = 200;

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

export type ChatProblem = 'empty' | 'too-long' | 'too-fast' | 'unavailable';

/** Why `text` cannot be sent, or null: the same bounds rtc-core enforces, checked before asking it. */
export function validateChatText(text: string): ChatProblem | null {
  if (text.trim() === '') return 'empty';
  if (utf8Length(text) > MAX_CHAT_BYTES) return 'too-long';
  return null;
}

/** The polite sentence for a problem, shown under the chat input. */
export function chatProblemText(problem: ChatProblem, text = ''): string {
  switch (problem) {
    case 'empty':
      return 'Type a message first.';
    case 'too-long': {
      const kb = Math.ceil(utf8Length(text) / 1024);
      return `That message is too long (${kb} KB). Messages can be up to 4 KB; try splitting it.`;
    }
    case 'too-fast':
      return 'You are sending messages quickly. Wait a moment, then send again.';
    case 'unavailable':
      return 'Chat is not available in this call.';
  }
}

/** The problem for an error rtc-core threw from sendMessage. */
export function problemFromError(error: unknown): ChatProblem {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'RATE_LIMITED') return 'too-fast';
  if (code === 'INVALID_ARGUMENT') return 'too-long';
  return 'unavailable';
}

/**
 * Adds `incoming` to `list` unless a message with its id is there already (history items can
 * arrive after join, and our own message both from sendMessage and as an event). The list stays
 * ordered by the sender's clock, arrival order breaking ties, and keeps the last `cap`.
 */
export function mergeMessage(list: readonly ChatMessage[], incoming: ChatMessage, cap = MAX_CHAT_MESSAGES): ChatMessage[] {
  if (list.some((m) => m.id === incoming.id)) return list as ChatMessage[];
  let at = list.length;
  while (at > 0 && (list[at - 1] as ChatMessage).sentAt > incoming.sentAt) at -= 1;
  const next = [...list.slice(0, at), incoming, ...list.slice(at)];
  return next.length > cap ? next.slice(next.length - cap) : next;
}

/** Messages from others that have not been seen (the panel was closed when they came). */
export function countUnread(list: readonly ChatMessage[], seen: ReadonlySet<string>, selfId: string | null): number {
  let count = 0;
  for (const m of list) if (m.from !== selfId && !seen.has(m.id)) count += 1;
  return count;
}

/** The badge text: "9+" past nine, so the badge keeps its size. */
export function unreadBadge(count: number): string {
  return count > 9 ? '9+' : String(count);
}

/** "14:05": a message's time on the reader's clock, in the reader's locale. */
export function messageTime(sentAt: number, locale?: string): string {
  return new Date(sentAt).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/** The sender as shown: from the roster (never from the message), "You" for ourselves. */
export function senderName(from: string, selfId: string | null, names: ReadonlyMap<string, string>): string {
  if (from === selfId) return 'You';
  return names.get(from) ?? 'Someone who left';
}
