import { describe, expect, it } from 'vitest';
import { shortcutFor, type KeyLike } from './shortcuts.ts';

const press = (key: string, extra: Partial<KeyLike> = {}): KeyLike => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: { tagName: 'BODY' },
  ...extra,
});

describe('shortcutFor', () => {
  it('maps M to the mic and V to the camera, in either case', () => {
    expect(shortcutFor(press('m'))).toBe('mic');
    expect(shortcutFor(press('M'))).toBe('mic');
    expect(shortcutFor(press('v'))).toBe('camera');
  });
  it('ignores other keys, modifiers and auto-repeat', () => {
    expect(shortcutFor(press('x'))).toBeNull();
    expect(shortcutFor(press('m', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press('v', { metaKey: true }))).toBeNull();
    expect(shortcutFor(press('m', { repeat: true }))).toBeNull();
  });
  it('never fires while typing in a field', () => {
    expect(shortcutFor(press('m', { target: { tagName: 'INPUT' } }))).toBeNull();
    expect(shortcutFor(press('m', { target: { tagName: 'div', isContentEditable: true } }))).toBeNull();
  });
});
