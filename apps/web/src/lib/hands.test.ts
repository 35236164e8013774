import { describe, expect, it } from 'vitest';
import { ordinal, participantOrder, raisedInOrder } from './hands.ts';

describe('raisedInOrder', () => {
  it('lists raised hands first raised first, and leaves lowered ones out', () => {
    const entries = [
      { id: 'c', raisedAt: 300 },
      { id: 'a', raisedAt: null },
      { id: 'b', raisedAt: 100 },
    ];
    expect(raisedInOrder(entries).map((e) => e.id)).toEqual(['b', 'c']);
  });
});

describe('participantOrder', () => {
  it('puts raised hands on top in raise order, then yourself, then others by name', () => {
    const rows = [
      { id: '1', name: 'Zoe', raisedAt: null, self: false },
      { id: '2', name: 'Bob', raisedAt: 50, self: false },
      { id: '3', name: 'Me', raisedAt: null, self: true },
      { id: '4', name: 'Ada', raisedAt: null, self: false },
      { id: '5', name: 'Cy', raisedAt: 20, self: false },
    ];
    expect(participantOrder(rows).map((r) => r.name)).toEqual(['Cy', 'Bob', 'Me', 'Ada', 'Zoe']);
  });
});

describe('ordinal', () => {
  it('spells raise positions', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd']);
  });
});
