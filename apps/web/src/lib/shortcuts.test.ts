import { describe, expect, it } from 'vitest';
import { isMacLike, shortcutFor, shortcutLabel, type KeyLike } from './shortcuts.ts';

const press = (key: string, extra: Partial<KeyLike> = {}): KeyLike => ({
  key,
  ctrlKey: true,
  metaKey: false,
  altKey: false,
  target: { tagName: 'BODY' },
  ...extra,
});

describe('shortcutFor', () => {
  it('maps Ctrl/⌘+D to the mic and Ctrl/⌘+E to the camera, in either case', () => {
    expect(shortcutFor(press('d'))).toBe('mic');
    expect(shortcutFor(press('D'))).toBe('mic');
    expect(shortcutFor(press('e'))).toBe('camera');
    expect(shortcutFor(press('e', { ctrlKey: false, metaKey: true }))).toBe('camera');
  });
  it('needs the modifier, and ignores other keys, extra modifiers and auto-repeat', () => {
    expect(shortcutFor(press('d', { ctrlKey: false }))).toBeNull();
    expect(shortcutFor(press('x'))).toBeNull();
    expect(shortcutFor(press('d', { altKey: true }))).toBeNull();
    expect(shortcutFor(press('e', { shiftKey: true }))).toBeNull();
    expect(shortcutFor(press('d', { repeat: true }))).toBeNull();
  });
  it('never fires while typing in a field', () => {
    expect(shortcutFor(press('d', { target: { tagName: 'INPUT' } }))).toBeNull();
    expect(shortcutFor(press('e', { target: { tagName: 'div', isContentEditable: true } }))).toBeNull();
  });
});

describe('shortcutLabel', () => {
  it('writes the shortcut the platform way', () => {
    expect(shortcutLabel('mic', false)).toBe('Ctrl+D');
    expect(shortcutLabel('camera', true)).toBe('⌘E');
    expect(isMacLike('MacIntel')).toBe(true);
    expect(isMacLike('Linux x86_64')).toBe(false);
  });
});
