import { describe, expect, it } from 'vitest';
import { Outbox } from './Outbox.ts';
import type { OutgoingSignal } from './PeerLink.ts';

const candidate = (n: number): OutgoingSignal => ({ candidate: { candidate: `candidate:${n} 1 udp 1 192.0.2.1 ${n} typ host` } });

describe('Outbox', () => {
  it('sends what it holds in order to ready peers, keeps it for unconfirmed ones, drops it for those gone', () => {
    const box = new Outbox();
    box.hold('a', { description: { type: 'offer', sdp: 'o' } });
    box.hold('a', candidate(1));
    box.hold('b', candidate(2));
    box.hold('c', candidate(3));
    const sent: Array<[string, OutgoingSignal]> = [];
    box.flush((to) => to === 'a', (to) => to === 'c', (to, s) => sent.push([to, s]));
    expect(sent).toEqual([['a', { description: { type: 'offer', sdp: 'o' } }], ['a', candidate(1)]]);
    expect(box.size).toBe(1);
    box.flush(() => true, () => false, (to, s) => sent.push([to, s]));
    expect(sent.at(-1)).toEqual(['b', candidate(2)]);
    expect(box.size).toBe(0);
  });

  it('is bounded per peer, losing the oldest first', () => {
    const box = new Outbox();
    for (let i = 0; i < 300; i++) box.hold('a', candidate(i));
    expect(box.size).toBe(256);
    const sent: OutgoingSignal[] = [];
    box.flush(() => true, () => false, (_to, s) => sent.push(s));
    expect(sent[0]).toEqual(candidate(44));
  });
});
