import type { LinkMessage } from '@meshmeet/protocol';
import { describe, expect, it } from 'vitest';
import { InCall } from './InCall.ts';
import { Participant } from './Participant.ts';

function setup() {
  const sent: LinkMessage[] = [];
  const events: Array<[string, unknown]> = [];
  const inCall = new InCall({
    selfId: () => 'me',
    openLinks: () => [{ participant: new Participant('p1', 'P'), send: (m) => (sent.push(m), true) }],
    emit: (event, ...args) => events.push([event, args[0]]),
  });
  return { inCall, sent, events };
}

describe('InCall', () => {
  it('sends chat to every open link, keeps it in history once, and refuses empty, oversized and too fast messages', () => {
    const { inCall, sent, events } = setup();
    const m = inCall.sendMessage('hello');
    expect(sent).toEqual([{ t: 'chat', id: m.id, text: 'hello', sentAt: m.sentAt }]);
    expect(events).toEqual([['messageReceived', m]]);
    expect(() => inCall.sendMessage('   ')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => inCall.sendMessage('é'.repeat(2049))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' })); // 4098 bytes
    for (let i = 0; i < 4; i++) inCall.sendMessage(`m${i}`);
    expect(() => inCall.sendMessage('one too many')).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
    expect(inCall.messages).toHaveLength(5);
  });

  it('takes the sender of a live message from the link, of a history item from the item, and each id once, in sending order', () => {
    const { inCall, events } = setup();
    const p = new Participant('p1', 'P');
    inCall.onMessage(p, { t: 'chat', id: 'b', text: 'second', sentAt: 20 });
    inCall.onMessage(p, { t: 'chat', id: 'a', text: 'first', sentAt: 10, from: 'p9' });
    inCall.onMessage(p, { t: 'chat', id: 'a', text: 'first', sentAt: 10, from: 'p9' });
    expect(inCall.messages.map((m) => [m.id, m.from])).toEqual([['a', 'p9'], ['b', 'p1']]);
    expect(events.filter(([e]) => e === 'messageReceived')).toHaveLength(2);
  });

  it('hands a newcomer the history and a raised hand; hands and reactions are reported', () => {
    const { inCall, events } = setup();
    inCall.sendMessage('hi');
    inCall.setHandRaised(true);
    inCall.setHandRaised(true); // no change, no second event
    const toNewcomer: LinkMessage[] = [];
    inCall.onOpen((m) => (toNewcomer.push(m), true));
    expect(toNewcomer.map((m) => m.t)).toEqual(['chat', 'hand']);
    expect(toNewcomer[0]).toMatchObject({ from: 'me', text: 'hi' });
    const p = new Participant('p1', 'P');
    inCall.onMessage(p, { t: 'hand', raisedAt: 7 });
    expect(p.handRaisedAt).toBe(7);
    inCall.onLeft(p);
    expect(p.handRaisedAt).toBeNull();
    inCall.onMessage(p, { t: 'react', emoji: '🎉' });
    expect(() => inCall.react('💩')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(events.filter(([e]) => e === 'handChanged').map(([, v]) => v)).toEqual([
      { peerId: 'me', raisedAt: expect.any(Number) },
      { peerId: 'p1', raisedAt: 7 },
      { peerId: 'p1', raisedAt: null },
    ]);
    expect(events.at(-1)).toEqual(['reactionReceived', { peerId: 'p1', emoji: '🎉' }]);
  });
});
