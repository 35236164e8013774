import { describe, expect, it, vi } from 'vitest';
import { Emitter } from './emitter.ts';

interface Events {
  ping: (n: number) => void;
  pong: () => void;
}

describe('Emitter', () => {
  it('delivers to every listener, and on() returns a working unsubscribe', () => {
    const emitter = new Emitter<Events>();
    const a = vi.fn();
    const b = vi.fn();
    const offA = emitter.on('ping', a);
    emitter.on('ping', b);
    emitter.emit('ping', 1);
    offA();
    emitter.emit('ping', 2);
    expect(a.mock.calls).toEqual([[1]]);
    expect(b.mock.calls).toEqual([[1], [2]]);
  });

  it('keeps calling the other listeners when one throws, and reports the error', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<Events>((error) => errors.push(error));
    const after = vi.fn();
    emitter.on('pong', () => {
      throw new Error('boom');
    });
    emitter.on('pong', after);
    emitter.emit('pong');
    expect(after).toHaveBeenCalledOnce();
    expect(errors).toHaveLength(1);
  });

  it('lets a listener unsubscribe itself without skipping its neighbour', () => {
    const emitter = new Emitter<Events>();
    const second = vi.fn();
    const off = emitter.on('pong', () => off());
    emitter.on('pong', second);
    emitter.emit('pong');
    expect(second).toHaveBeenCalledOnce();
    expect(emitter.listenerCount('pong')).toBe(1);
  });

  it('clear() removes everything', () => {
    const emitter = new Emitter<Events>();
    emitter.on('pong', () => {});
    emitter.on('ping', () => {});
    emitter.clear();
    expect(emitter.listenerCount()).toBe(0);
  });
});
