import { describe, expect, it } from 'vitest';
import { BindingCache, nodeOf } from './bindingCache.ts';

describe('BindingCache', () => {
  it('keeps bindings per room: an id learned in one room is unknown in another', () => {
    const cache = new BindingCache();
    cache.learn('x', 'p1', 'node-b|s1');
    expect(cache.binding('x', 'p1')).toBe('node-b|s1');
    expect(cache.binding('y', 'p1')).toBeUndefined();
    cache.forget('x', 'p1');
    expect(cache.binding('x', 'p1')).toBeUndefined();
  });

  it('never lets a late learn revive an ended id', () => {
    const cache = new BindingCache();
    cache.learn('x', 'p1', 'node-b|s1');
    cache.ended('x', 'p1');
    cache.learn('x', 'p1', 'node-b|s1');
    expect(cache.binding('x', 'p1')).toBeUndefined();
    expect(cache.hasEnded('x', 'p1')).toBe(true);
    expect(cache.hasEnded('y', 'p1')).toBe(false);
  });

  it('bounds the ended ids it remembers per room, forgetting the oldest', () => {
    const cache = new BindingCache();
    for (let i = 0; i < 600; i++) cache.ended('x', `p${i}`);
    expect(cache.hasEnded('x', 'p0')).toBe(false);
    expect(cache.hasEnded('x', 'p599')).toBe(true);
  });

  it('drops rooms without local members', () => {
    const cache = new BindingCache();
    cache.learn('x', 'p1', 'node-b|s1');
    cache.learn('y', 'p2', 'node-b|s2');
    cache.keepOnly(new Set(['y']));
    expect(cache.size).toBe(1);
    expect(cache.binding('y', 'p2')).toBe('node-b|s2');
  });

  it('reads the node of a binding, an away one included', () => {
    expect(nodeOf('node-a|sock')).toBe('node-a');
    expect(nodeOf('node-a|')).toBe('node-a');
  });
});
