// The chat and hands stores against a fake of rtc-core's data-channel API (see lib/meshChat.ts).
import { resetStores } from './store.ts';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Mesh } from '@meshmeet/rtc-core';
import type { ChatMessage } from '../lib/meshChat.ts';
import { useChatStore } from './chat.ts';
import { useHandsStore, REACTION_MS } from './hands.ts';
import { useViewStore } from './view.ts';

type Listener = (...args: never[]) => void;
class FakeDataMesh {
  selfId = 'me';
  messages: ChatMessage[] = [];
  handRaisedAt: number | null = null;
  participants = new Map<string, { id: string; handRaisedAt: number | null }>();
  listeners = new Map<string, Set<Listener>>();
  sent = 0;
  reacted: string[] = [];
  on(event: string, listener: Listener) {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => set.delete(listener);
  }
  emit(event: string, ...args: unknown[]) {
    for (const l of this.listeners.get(event) ?? []) (l as (...a: unknown[]) => void)(...args);
  }
  sendMessage(text: string): ChatMessage {
    if (++this.sent > 2) throw Object.assign(new Error('slow down'), { code: 'RATE_LIMITED' });
    const message = { id: `m${this.sent}`, from: this.selfId, text, sentAt: 1000 + this.sent };
    this.emit('messageReceived', message);
    return message;
  }
  setHandRaised(up: boolean) {
    this.handRaisedAt = up ? 5000 : null;
    this.emit('handChanged', { peerId: this.selfId, raisedAt: this.handRaisedAt });
  }
  react(emoji: string) {
    this.reacted.push(emoji);
    this.emit('reactionReceived', { peerId: this.selfId, emoji });
  }
}
const asMesh = (m: FakeDataMesh) => m as unknown as Mesh;

describe('useChatStore', () => {
  beforeEach(() => resetStores());

  it('starts from the engine history, de-duplicates by id, and counts unread while the panel is closed', () => {
    const mesh = new FakeDataMesh();
    mesh.messages = [{ id: 'h1', from: 'bo', text: 'earlier', sentAt: 10 }];
    const chat = useChatStore();
    chat.attach(asMesh(mesh), () => 'me');
    expect(chat.available).toBe(true);
    expect(chat.messages.map((m) => m.id)).toEqual(['h1']);
    expect(chat.unread).toBe(1);
    mesh.emit('messageReceived', { id: 'h1', from: 'bo', text: 'earlier', sentAt: 10 });
    mesh.emit('messageReceived', { id: 'x', from: 'cy', text: 'hi', sentAt: 20 });
    expect(chat.unread).toBe(2);
    expect(chat.send('mine')).toBe(true);
    expect(chat.messages).toHaveLength(3);
    // Our own message is never unread.
    expect(chat.unread).toBe(2);
  });

  it('opening the panel marks everything read, and messages that come while it is open stay read', async () => {
    const mesh = new FakeDataMesh();
    const chat = useChatStore();
    const view = useViewStore();
    chat.attach(asMesh(mesh), () => 'me');
    mesh.emit('messageReceived', { id: 'a', from: 'bo', text: '1', sentAt: 1 });
    view.togglePanel('chat');
    await Promise.resolve();
    expect(chat.unread).toBe(0);
    mesh.emit('messageReceived', { id: 'b', from: 'bo', text: '2', sentAt: 2 });
    expect(chat.unread).toBe(0);
    view.togglePanel('chat');
    mesh.emit('messageReceived', { id: 'c', from: 'bo', text: '3', sentAt: 3 });
    expect(chat.unread).toBe(1);
  });

  it('refuses too long text before the engine sees it, and says so when sending too fast', () => {
    const mesh = new FakeDataMesh();
    const chat = useChatStore();
    chat.attach(asMesh(mesh), () => 'me');
    expect(chat.send('x'.repeat(1024 * 1024))).toBe(false);
    expect(chat.problem?.kind).toBe('too-long');
    expect(mesh.sent).toBe(0);
    expect(chat.send('1')).toBe(true);
    expect(chat.problem).toBeNull();
    chat.send('2');
    expect(chat.send('3')).toBe(false);
    expect(chat.problem?.kind).toBe('too-fast');
  });
});

describe('useHandsStore', () => {
  beforeEach(() => {
    resetStores();
    vi.useFakeTimers();
  });

  it('follows hands, ours and theirs, including those a late joiner learns from the participants', () => {
    const mesh = new FakeDataMesh();
    mesh.participants.set('bo', { id: 'bo', handRaisedAt: 100 });
    const hands = useHandsStore();
    const detach = hands.attach(asMesh(mesh), () => 'me');
    expect([...hands.raised]).toEqual([['bo', 100]]);
    hands.toggleHand();
    expect(hands.selfRaised()).toBe(true);
    hands.toggleHand();
    expect(hands.selfRaised()).toBe(false);
    mesh.emit('handChanged', { peerId: 'cy', raisedAt: 50 });
    mesh.emit('participantLeft', { id: 'bo' });
    expect([...hands.raised.keys()]).toEqual(['cy']);
    detach();
    expect(hands.raised.size).toBe(0);
  });

  it('shows a reaction for a few seconds', () => {
    const mesh = new FakeDataMesh();
    const hands = useHandsStore();
    hands.attach(asMesh(mesh), () => 'me');
    hands.react('🎉');
    expect(hands.reactions.map((r) => r.emoji)).toEqual(['🎉']);
    vi.advanceTimersByTime(REACTION_MS + 1);
    expect(hands.reactions).toEqual([]);
  });

  it('does nothing without the engine API', () => {
    const hands = useHandsStore();
    hands.attach({ on: () => () => undefined, participants: new Map() } as unknown as Mesh, () => 'me');
    expect(hands.available).toBe(false);
    hands.toggleHand();
    hands.react('👍');
    expect(hands.reactions).toEqual([]);
  });
});
