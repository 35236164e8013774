import { describe, expect, it } from 'vitest';
import { MAX_CHAT_BYTES, chatProblemText, countUnread, mergeMessage, problemFromError, senderName, unreadBadge, utf8Length, validateChatText } from './chat.ts';
import type { ChatMessage } from './meshChat.ts';

const msg = (id: string, from: string, sentAt: number, text = id): ChatMessage => ({ id, from, sentAt, text });

describe('validateChatText', () => {
  it('refuses empty and blank text', () => {
    expect(validateChatText('')).toBe('empty');
    expect(validateChatText('  \n ')).toBe('empty');
  });
  it('counts bytes of UTF-8, not characters', () => {
    expect(validateChatText('a'.repeat(MAX_CHAT_BYTES))).toBeNull();
    expect(validateChatText('a'.repeat(MAX_CHAT_BYTES + 1))).toBe('too-long');
    // 1366 × 3 bytes = 4098: under 4096 characters but over the byte limit.
    expect(utf8Length('€')).toBe(3);
    expect(validateChatText('€'.repeat(1366))).toBe('too-long');
    expect(validateChatText('x'.repeat(1024 * 1024))).toBe('too-long');
  });
  it('maps engine errors to problems, and says them politely', () => {
    expect(problemFromError({ code: 'RATE_LIMITED' })).toBe('too-fast');
    expect(problemFromError({ code: 'INVALID_ARGUMENT' })).toBe('too-long');
    expect(problemFromError(new Error('x'))).toBe('unavailable');
    expect(chatProblemText('too-long', 'x'.repeat(1024 * 1024))).toMatch(/too long \(1024 KB\)/);
    expect(chatProblemText('too-fast')).toMatch(/Wait a moment/);
  });
});

describe('mergeMessage', () => {
  it('drops a message whose id is known already', () => {
    const list = [msg('1', 'a', 10)];
    expect(mergeMessage(list, msg('1', 'a', 10, 'again'))).toBe(list);
  });
  it('keeps the sender clock order, so history arriving late slots in before newer messages', () => {
    let list: ChatMessage[] = [];
    list = mergeMessage(list, msg('new', 'b', 300));
    list = mergeMessage(list, msg('old1', 'a', 100));
    list = mergeMessage(list, msg('old2', 'a', 200));
    list = mergeMessage(list, msg('same', 'c', 300));
    expect(list.map((m) => m.id)).toEqual(['old1', 'old2', 'new', 'same']);
  });
  it('keeps only the last `cap`', () => {
    let list: ChatMessage[] = [];
    for (let i = 0; i < 5; i++) list = mergeMessage(list, msg(String(i), 'a', i), 3);
    expect(list.map((m) => m.id)).toEqual(['2', '3', '4']);
  });
});

describe('unread counting', () => {
  it('counts unseen messages from others only', () => {
    const list = [msg('1', 'a', 1), msg('2', 'me', 2), msg('3', 'b', 3)];
    expect(countUnread(list, new Set(), 'me')).toBe(2);
    expect(countUnread(list, new Set(['1']), 'me')).toBe(1);
    expect(countUnread(list, new Set(['1', '3']), 'me')).toBe(0);
  });
  it('caps the badge text', () => {
    expect(unreadBadge(3)).toBe('3');
    expect(unreadBadge(10)).toBe('9+');
  });
});

describe('senderName', () => {
  it('takes names from the roster, never from the message', () => {
    const names = new Map([['a', 'Ada']]);
    expect(senderName('a', 'me', names)).toBe('Ada');
    expect(senderName('me', 'me', names)).toBe('You');
    expect(senderName('zz', 'me', names)).toBe('Someone who left');
  });
});
